// Plans a keyword search: parse `q`, build the query graph, resolve it
// against the index, compute the documents matching at each word-removal
// step, and hand back the candidates with a ranker for the bucket sort.
// Work is proportional to the postings the query's derivations touch.
import { Bitset } from '../core/bitset.ts';
import type { MatchingStrategy } from '../core/contracts.ts';
import type { Settings } from '../../api/protocol/settings/settings.ts';
import { pathMatches } from '../index/flatten.ts';
import type { InvertedIndex } from '../index/inverted-index.ts';
import { slotBit } from '../index/searchable-fields.ts';
import type { ParsedQuery } from '../query/parse-query.ts';
import { parseQuery } from '../query/parse-query.ts';
import type { QueryNode, SynonymMap } from '../query/query-graph.ts';
import { buildNodes } from '../query/query-graph.ts';
import { DocRanker } from '../ranking/doc-ranker.ts';
import type { SlotFilter } from '../ranking/term-matcher.ts';
import { phraseOccurrences, TermMatcher } from '../ranking/term-matcher.ts';
import { anyLevel, docsMatching, planWords } from '../ranking/words-rule.ts';

export interface KeywordPlan {
  parsed: ParsedQuery;
  nodes: QueryNode[];
  matcher: TermMatcher;
  ranker: DocRanker;
  candidates: Bitset;
}

export interface KeywordContext {
  index: InvertedIndex;
  settings: Settings;
  synonyms: SynonymMap;
  capacity: number;
  documentOf: (doc: number) => Record<string, unknown>;
}

export function slotFilter(index: InvertedIndex, searchOn: readonly string[] | null): SlotFilter {
  if (searchOn === null) return { allowed: () => true, mask: ~0 };
  // Decided once per slot: ranking asks for every token of every ranked
  // document, and matching names against paths each time cost more than the rules.
  const slots = new Uint8Array(index.fields.slotCount);
  let mask = 0;
  for (let slot = 0; slot < slots.length; slot++) {
    if (!searchOn.some((name) => pathMatches(name, index.fields.pathOf(slot)))) continue;
    slots[slot] = 1;
    mask |= slotBit(slot);
  }
  return { allowed: (slot) => slots[slot] === 1, mask };
}

/** Documents holding a word or phrase the query excludes (`-word`, `-"a phrase"`). */
export function excludedDocs(ctx: KeywordContext, parsed: ParsedQuery, filter: SlotFilter): Bitset {
  const out = new Bitset(ctx.capacity);
  for (const word of parsed.negativeWords) ctx.index.postings(word)?.collect(out, filter.mask);
  for (const phrase of parsed.negativePhrases) {
    const ids = phrase.map((w) => (w === null ? null : ctx.index.wordId(w) ?? -1));
    if (ids.some((id) => id === -1)) continue;
    const first = ids.find((id): id is number => id !== null);
    if (first === undefined) continue;
    for (const doc of ctx.index.postings(ctx.index.word(first))?.ids() ?? []) {
      const tokens = ctx.index.tokensOf(doc);
      if (tokens && phraseOccurrences(tokens, ids, filter).length > 0) out.add(doc);
    }
  }
  return out;
}

export function planKeywordSearch(ctx: KeywordContext, q: string, strategy: MatchingStrategy, searchOn: readonly string[] | null, universe: Bitset): KeywordPlan | { parsed: ParsedQuery; excluded: Bitset } {
  const parsed = parseQuery(q, ctx.settings, ctx.index.tokenizer);
  const filter = slotFilter(ctx.index, searchOn);
  const excluded = excludedDocs(ctx, parsed, filter);
  if (parsed.terms.length === 0) return { parsed, excluded };
  const allowed = universe.clone().subtract(excluded);
  const nodes = buildNodes(parsed, ctx.settings, ctx.synonyms);
  const matcher = new TermMatcher(ctx.index, nodes, ctx.settings, filter, ctx.capacity);
  const frequency = (term: number) => {
    const docs = new Bitset(ctx.capacity);
    for (const node of nodes) if (node.termStart <= term && term <= node.termEnd) docs.union(anyLevel(matcher.resolved[node.index]!));
    return docs.size;
  };
  const plan = planWords(parsed.terms, strategy, frequency);
  const matchAt: Bitset[] = [];
  let cumulative = new Bitset(ctx.capacity);
  for (const kept of plan.kept) {
    cumulative = cumulative.clone().union(docsMatching(nodes, matcher.resolved, kept, allowed));
    matchAt.push(cumulative);
  }
  const candidates = matchAt[matchAt.length - 1] ?? new Bitset(ctx.capacity);
  const ranker = new DocRanker(ctx.index, nodes, matcher, plan, matchAt, filter, ctx.settings.proximityPrecision === 'byAttribute', ctx.documentOf);
  return { parsed, nodes, matcher, ranker, candidates };
}
