// The `exactness` rule: milli's ExactAttribute stage (does a field equal the
// query, or start with it?) followed by its ExactWords graph (how many query
// terms appear without typo or prefix). See milli exact_attribute.rs and
// ranking_rule_graph/exactness.
//   exactMatch   – some field holds the exact terms at their query positions
//                  and has exactly as many words as the query covers;
//   matchesStart – the same, but the field is longer;
//   noExactMatch – anything else, including any path using an n-gram or a typo
//                  before its first exact term.
import type { DocTokens } from '../index/inverted-index.ts';
import { nodeLength } from '../query/query-graph.ts';
import type { MatchType, Outcome, PathState, RuleContext } from './doc-rules.ts';
import { bucketedPosition } from './doc-rules.ts';
import type { IdPhrase, ResolvedNode } from './term-matcher.ts';

/** What exactness reads beyond the common rule context. */
export interface ExactnessInput {
  doc: number;
  tokens: DocTokens | undefined;
  resolved: readonly ResolvedNode[];
  allowed: (slot: number) => boolean;
  /** From the postings: whether `word` sits at bucketed `position` in `doc`; null when postings cannot tell. */
  wordAtBucket: (doc: number, word: number, position: number) => boolean | null;
  /** The search's plans by path (planOf), filled as documents are ranked. */
  plans: ExactPlans;
}

export interface ExactnessOutcome {
  attribute: Outcome<{ matchType: MatchType }>;
  words: Outcome<{ matchingWords: number; maxMatchingWords: number }>;
}

const MATCH_RANK: Record<MatchType, number> = { exactMatch: 3, matchesStart: 2, noExactMatch: 1 };

export function exactnessRule(ctx: RuleContext, input: ExactnessInput, paths: PathState[]): ExactnessOutcome {
  let bestType: MatchType = 'noExactMatch';
  let bestPaths: PathState[] = [];
  for (const p of paths) {
    const t = exactAttribute(ctx, input, p);
    if (MATCH_RANK[t] > MATCH_RANK[bestType] || bestPaths.length === 0) {
      bestType = t;
      bestPaths = [p];
    } else if (t === bestType) bestPaths.push(p);
  }
  const attribute = {
    cost: 3 - MATCH_RANK[bestType],
    rank: { rank: MATCH_RANK[bestType], maxRank: 3 },
    detail: { matchType: bestType },
    paths: bestPaths,
  };
  return { attribute, words: exactWords(ctx, bestPaths) };
}

function exactWords(ctx: RuleContext, paths: PathState[]): ExactnessOutcome['words'] {
  let min = Infinity;
  let max = 0;
  for (const p of paths) {
    let cost = 0;
    let pathMax = 0;
    p.nodes.forEach((n, i) => {
      const len = nodeLength(ctx.nodes[n]!);
      pathMax += len;
      const exactAllowed = (p.levels[i]! & 1) !== 0;
      if (!(exactAllowed && ctx.hasExactTerm(n))) cost += len;
    });
    min = Math.min(min, cost);
    max = Math.max(max, pathMax);
  }
  const rank = { rank: max + 1 - min, maxRank: max + 1 };
  return { cost: min, rank, detail: { matchingWords: rank.rank - 1, maxMatchingWords: max }, paths };
}

interface ExactTerm {
  termStart: number;
  posStart: number;
  positions: number;
  words: IdPhrase;
}

/** What exactAttribute needs of a path, the same for every document: its exact terms, their distinct words, the positions they cover. */
interface ExactPlan {
  terms: ExactTerm[];
  words: number[];
  countAll: number;
}

/**
 * Plans by path, shared by the documents of one search: keyed by the path's
 * node list (shared by the paths narrowed from one enumerated path) and the
 * bits of its nodes allowed to match exactly, which is all a plan reads.
 */
export type ExactPlans = Map<readonly number[], Map<number, ExactPlan | null>>;

function planOf(input: ExactnessInput, p: PathState): ExactPlan | null {
  // Over 30 nodes the bit key would not fit: plan afresh.
  if (p.nodes.length > 30) return exactPlan(input, p);
  let key = 0;
  for (let i = 0; i < p.levels.length; i++) key |= (p.levels[i]! & 1) << i;
  let byKey = input.plans.get(p.nodes);
  if (!byKey) {
    byKey = new Map();
    input.plans.set(p.nodes, byKey);
  }
  let plan = byKey.get(key);
  if (plan === undefined) {
    plan = exactPlan(input, p);
    byKey.set(key, plan);
  }
  return plan;
}

function exactPlan(input: ExactnessInput, p: PathState): ExactPlan | null {
  const terms: ExactTerm[] = [];
  p.nodes.forEach((n, i) => {
    const r = input.resolved[n]!;
    if ((p.levels[i]! & 1) === 0) return;
    const words: IdPhrase | undefined = r.exactPhrase ?? (r.exactWord !== undefined ? [r.exactWord] : undefined);
    if (!words) return;
    terms.push({ termStart: r.node.termStart, posStart: r.node.posStart, positions: r.node.posEnd - r.node.posStart + 1, words });
  });
  terms.sort((a, b) => a.termStart - b.termStart);
  // milli bails out when the exact terms do not start at the first term or leave a hole.
  if (terms.length === 0 || terms[0]!.termStart !== 0) return null;
  for (let i = 1; i < terms.length; i++) if (terms[i]!.termStart - terms[i - 1]!.termStart > 1) return null;
  const words = [...new Set(terms.flatMap((t) => t.words.filter((w): w is number => w !== null)))];
  return { terms, words, countAll: terms.reduce((acc, t) => acc + t.positions, 0) };
}

function exactAttribute(ctx: RuleContext, input: ExactnessInput, p: PathState): MatchType {
  const tokens = input.tokens;
  if (!tokens) return 'noExactMatch';
  const plan = planOf(input, p);
  if (!plan) return 'noExactMatch';
  // Every exact word must sit at its query position (bucketed, in any field).
  for (const t of plan.terms) {
    for (let k = 0; k < t.words.length; k++) {
      const w = t.words[k];
      if (w === null || w === undefined) continue;
      const fast = input.wordAtBucket(input.doc, w, t.posStart + k);
      if (fast === false || (fast === null && !hasWordAt(input, tokens, w, bucketedPosition(t.posStart + k)))) return 'noExactMatch';
    }
  }
  const held = slotsHoldingAll(input, tokens, plan.words);
  let result: MatchType = 'noExactMatch';
  for (const [slot, count] of ctx.wordCounts) {
    if (!input.allowed(slot) || !held(slot)) continue;
    if (count === plan.countAll) return 'exactMatch';
    result = 'matchesStart';
  }
  return result;
}

function hasWordAt(input: ExactnessInput, tokens: DocTokens, word: number, position: number): boolean {
  for (let k = 0; k < tokens.words.length; k++) {
    if (tokens.words[k] === word && bucketedPosition(tokens.positions[k]!) === position && input.allowed(tokens.slots[k]!)) return true;
  }
  return false;
}

/** Per slot, a bit for each of the plan's words seen there (reused: one document at a time). */
let seenBySlot = new Int32Array(64);

/**
 * Whether a slot holds every one of `words`: one pass over the document's
 * tokens, marking which words each slot holds, instead of a pass (and a set)
 * per slot.
 */
function slotsHoldingAll(input: ExactnessInput, tokens: DocTokens, words: readonly number[]): (slot: number) => boolean {
  if (words.length > 30) return (slot) => slotHoldsAll(tokens, slot, new Set(words));
  let maxSlot = -1;
  for (let k = 0; k < tokens.slots.length; k++) if (tokens.slots[k]! > maxSlot) maxSlot = tokens.slots[k]!;
  if (seenBySlot.length <= maxSlot) seenBySlot = new Int32Array(Math.max(maxSlot + 1, seenBySlot.length * 2));
  const seen = seenBySlot;
  seen.fill(0, 0, maxSlot + 1);
  for (let k = 0; k < tokens.words.length; k++) {
    const i = words.indexOf(tokens.words[k]!);
    if (i >= 0) seen[tokens.slots[k]!]! |= 1 << i;
  }
  const all = (1 << words.length) - 1;
  return (slot) => (slot <= maxSlot ? seen[slot]! : 0) === all;
}

function slotHoldsAll(tokens: DocTokens, slot: number, words: Set<number>): boolean {
  const seen = new Set<number>();
  for (let k = 0; k < tokens.words.length; k++) {
    if (tokens.slots[k] === slot && words.has(tokens.words[k]!)) seen.add(tokens.words[k]!);
  }
  return seen.size === words.size;
}
