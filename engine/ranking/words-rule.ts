// The `words` rule and the matching strategy: which terms are kept after r
// removal steps, which documents match each step, and the rule's max rank.
//   last      – drop non-phrase terms from the end; without a phrase the first
//               term is never dropped;
//   frequency – drop the terms matching the most documents of this index
//               first, terms of equal frequency together;
//   all       – drop nothing (and the words rule is not in the rule list).
// Phrases are never dropped. maxRank = 1 + (words in phrases − 1) + steps,
// rank = maxRank − steps taken (milli graph_based_ranking_rule.rs).
import { Bitset } from '../core/bitset.ts';
import type { MatchingStrategy } from '../core/contracts.ts';
import type { BaseTerm } from '../query/parse-query.ts';
import type { QueryNode } from '../query/query-graph.ts';
import { nodeLength } from '../query/query-graph.ts';
import type { ResolvedNode } from './term-matcher.ts';

export interface WordsPlan {
  /** Kept term indexes after r removal steps, r = 0 … steps. */
  kept: number[][];
  maxRank: number;
}

export function planWords(terms: readonly BaseTerm[], strategy: MatchingStrategy, frequency: (term: number) => number): WordsPlan {
  const all = terms.map((_, i) => i);
  const phraseWords = terms.reduce((acc, t) => acc + (t.kind === 'phrase' ? t.words.filter((w) => w !== null).length : 0), 0);
  const base = 1 + Math.max(0, phraseWords - 1);
  if (strategy === 'all') return { kept: [all], maxRank: base };
  const removable = all.filter((i) => terms[i]!.kind === 'word');
  const hasMandatory = removable.length < terms.length;
  const groups = strategy === 'last' ? removable.map((i) => [i]).reverse() : frequencyGroups(removable, frequency);
  // Without a mandatory term, the last group is never removed.
  const steps = hasMandatory ? groups : groups.slice(0, -1);
  const kept: number[][] = [all];
  const removed = new Set<number>();
  for (const group of steps) {
    for (const t of group) removed.add(t);
    kept.push(all.filter((i) => !removed.has(i)));
  }
  return { kept, maxRank: base + steps.length };
}

function frequencyGroups(removable: number[], frequency: (term: number) => number): number[][] {
  // A term matching nothing counts as the most frequent, so it goes first.
  const f = (t: number) => (frequency(t) === 0 ? Infinity : frequency(t));
  const sorted = [...removable].sort((a, b) => f(b) - f(a) || b - a);
  const groups: number[][] = [];
  for (const t of sorted) {
    const last = groups[groups.length - 1];
    if (last && f(last[0]!) === f(t)) last.push(t);
    else groups.push([t]);
  }
  return groups;
}

/** Documents with a path over `kept` whose every node matches (any typo level). */
export function docsMatching(nodes: readonly QueryNode[], resolved: readonly ResolvedNode[], kept: readonly number[], universe: Bitset): Bitset {
  const sorted = [...kept].sort((a, b) => a - b);
  const keptSet = new Set(sorted);
  const reach: Array<Bitset | null> = sorted.map(() => null);
  reach[0] = universe.clone();
  const result = new Bitset(0);
  for (let k = 0; k < sorted.length; k++) {
    const from = reach[k];
    if (!from || from.isEmpty()) continue;
    for (const node of nodes) {
      if (node.termStart !== sorted[k]) continue;
      const span = nodeLength(node);
      let ok = sorted[k + span - 1] === node.termEnd;
      for (let t = node.termStart; t <= node.termEnd; t++) if (!keptSet.has(t)) ok = false;
      if (!ok) continue;
      const docs = anyLevel(resolved[node.index]!).intersect(from);
      const target = k + span;
      if (target === sorted.length) result.union(docs);
      else reach[target] = reach[target] ? reach[target]!.union(docs) : docs;
    }
  }
  return sorted.length === 0 ? universe.clone() : result;
}

export function anyLevel(r: ResolvedNode): Bitset {
  return r.docs[0].clone().union(r.docs[1]).union(r.docs[2]);
}
