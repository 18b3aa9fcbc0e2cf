// The graph-based ranking rules (typo, proximity, attributeRank, wordPosition,
// exactness), evaluated for one document at a time on the query paths that
// document satisfies. Costs and maximum costs follow milli's
// ranking_rule_graph/* edge costs; rank = (1 + max cost) − cost.
// Milli builds each rule's graph from the paths that matched any document of
// the bucket; here the graph is the paths this document matches, so a
// document's rank never depends on which other documents share its bucket.
// Each rule also narrows the paths handed to the next rule, as milli does:
// the typo rule keeps only the cheapest paths, restricted to the typo level
// each node was matched at.
import { bucketedPosition } from '../index/position-buckets.ts';
import type { QueryNode } from '../query/query-graph.ts';
import { maxTypoCost, nodeLength } from '../query/query-graph.ts';
import type { Rank } from './rank.ts';
import type { DocOccurrences, Occurrence } from './term-matcher.ts';

export interface PathState {
  nodes: number[];
  /** Per node of the path: a bitmask of the typo levels it may match at. */
  levels: number[];
}

export type MatchType = 'exactMatch' | 'matchesStart' | 'noExactMatch';

export interface RuleContext {
  nodes: readonly QueryNode[];
  /** Where each node occurs in the document; computed on first use. */
  occurrences: () => DocOccurrences;
  /** Whether the node matches the document at a typo level (from postings, no scan). */
  hasLevel: (node: number, level: number) => boolean;
  /** Weight of a field slot (attributeRank). */
  weightOf: (slot: number) => number;
  maxWeight: number;
  byAttribute: boolean;
  /** Field slot → number of words it holds, for exactMatch. */
  wordCounts: Map<number, number>;
  /** Fast paths without occurrences (null when they do not apply): see TermMatcher. */
  minPositionCost(n: number, levels: number, len: number, posStart: number): number | null;
  minWeight(n: number, levels: number): number | null;
  minProximity(left: number, leftLevels: number, right: number, rightLevels: number, cap: number): number | null;
  /** Whether the document holds the node's exact term (word or phrase) anywhere. */
  hasExactTerm: (node: number) => boolean;
}

export interface Outcome<D> {
  cost: number;
  rank: Rank;
  detail: D;
  paths: PathState[];
}

const ALL_LEVELS = 0b111;
const MAX_DISTANCE = 4;

export { bucketedPosition };

export function fullPath(nodes: number[]): PathState {
  return { nodes, levels: nodes.map(() => ALL_LEVELS) };
}

function occurrencesOf(ctx: RuleContext, node: number, levels: number): Occurrence[] {
  const per = ctx.occurrences()[node]!;
  const out: Occurrence[] = [];
  for (let l = 0; l < 3; l++) if (levels & (1 << l)) out.push(...per[l]!);
  return out;
}

/** Evaluates every path, keeps the cheapest, and takes the max over all of them. */
function best<T>(paths: PathState[], cost: (p: PathState) => { cost: number; max: number; narrowed: PathState; extra?: T }): { cost: number; max: number; kept: PathState[]; extra: T | undefined } {
  let min = Infinity;
  let max = 0;
  let kept: PathState[] = [];
  let extra: T | undefined;
  for (const p of paths) {
    const c = cost(p);
    max = Math.max(max, c.max);
    if (c.cost < min) {
      min = c.cost;
      kept = [c.narrowed];
      extra = c.extra;
    } else if (c.cost === min) kept.push(c.narrowed);
  }
  return { cost: min, max, kept, extra };
}

function toRank(cost: number, max: number): Rank {
  return { rank: max + 1 - cost, maxRank: max + 1 };
}

/** A path's typo cost and max cost, and the typo level each node was matched at (bit mask per node). */
export function typoPath(ctx: RuleContext, p: PathState): { cost: number; max: number; narrowed: PathState } {
  const levels: number[] = [];
  const { cost, max } = typoPathCost(ctx, p, levels);
  return { cost, max, narrowed: { nodes: p.nodes, levels } };
}

/** Like typoPath without building the narrowed path; `levels`, when given, receives the level masks. */
export function typoPathCost(ctx: RuleContext, p: PathState, levels: number[] | null): { cost: number; max: number } {
  let cost = 0;
  let max = 0;
  for (let i = 0; i < p.nodes.length; i++) {
    const n = p.nodes[i]!;
    const node = ctx.nodes[n]!;
    const len = nodeLength(node);
    const base = len === 1 ? 0 : len;
    let level = 0;
    while (level < 3 && !((p.levels[i]! & (1 << level)) && ctx.hasLevel(n, level))) level++;
    cost += Math.min(level, 2) + base;
    max += maxTypoCost(node) + base;
    levels?.push(1 << Math.min(level, 2));
  }
  return { cost, max };
}

export function typoRule(ctx: RuleContext, paths: PathState[]): Outcome<{ typoCount: number; maxTypoCount: number }> {
  const b = best(paths, (p) => typoPath(ctx, p));
  return { cost: b.cost, rank: toRank(b.cost, b.max), detail: { typoCount: b.cost, maxTypoCount: b.max }, paths: b.kept };
}

function indexProximity(left: number, right: number): number {
  return left <= right ? Math.min(right - left, MAX_DISTANCE) : Math.min(left - right + 1, MAX_DISTANCE);
}

export function pairProximity(ctx: RuleContext, left: Occurrence[], right: Occurrence[]): number {
  let best = MAX_DISTANCE;
  for (const l of left) {
    for (const r of right) {
      // A word never pairs with itself: milli's word pairs are between two positions.
      if (l.slot !== r.slot || (l.end === r.start && l.start === r.end)) continue;
      const p = ctx.byAttribute ? 1 : indexProximity(l.end, r.start);
      if (p < best) best = p;
      if (best === 1) return 1;
    }
  }
  return best;
}

export function proximityPath(ctx: RuleContext, p: PathState): { cost: number; max: number; narrowed: PathState } {
  let cost = 0;
  let max = 0;
  for (let i = 0; i < p.nodes.length; i++) {
    const n = p.nodes[i]!;
    const node = ctx.nodes[n]!;
    const ngramMax = nodeLength(node) - 1;
    const prev = i > 0 ? ctx.nodes[p.nodes[i - 1]!]! : null;
    if (!prev || prev.posEnd + 1 !== node.posStart) {
      cost += ngramMax;
      max += ngramMax;
      continue;
    }
    const proximity = ctx.minProximity(prev.index, p.levels[i - 1]!, n, p.levels[i]!, MAX_DISTANCE)
      ?? pairProximity(ctx, occurrencesOf(ctx, prev.index, p.levels[i - 1]!), occurrencesOf(ctx, n, p.levels[i]!));
    // Conditions exist for proximities ngramMax+1 … ngramMax+3 at cost proximity−1;
    // anything else falls to the catch-all edge.
    const fallback = MAX_DISTANCE - 1 + ngramMax;
    cost += proximity >= ngramMax + 1 && proximity <= ngramMax + MAX_DISTANCE - 1 ? proximity - 1 : fallback;
    max += fallback;
  }
  return { cost, max, narrowed: p };
}

export function proximityRule(ctx: RuleContext, paths: PathState[]): Outcome<null> {
  const b = best(paths, (p) => proximityPath(ctx, p));
  return { cost: b.cost, rank: toRank(b.cost, b.max), detail: null, paths: b.kept };
}

export function fidPath(ctx: RuleContext, p: PathState): { cost: number; max: number; narrowed: PathState } {
  let cost = 0;
  let max = 0;
  for (let i = 0; i < p.nodes.length; i++) {
    const n = p.nodes[i]!;
    const len = nodeLength(ctx.nodes[n]!);
    // With every field at weight 0 (searchableAttributes ["*"]) the rule is constant.
    let weight = ctx.maxWeight === 0 ? 0 : ctx.minWeight(n, p.levels[i]!);
    if (weight === null) {
      weight = ctx.maxWeight;
      for (const o of occurrencesOf(ctx, n, p.levels[i]!)) weight = Math.min(weight, ctx.weightOf(o.slot));
    }
    cost += weight * len;
    max += ctx.maxWeight * len;
  }
  return { cost, max, narrowed: p };
}

export function fidRule(ctx: RuleContext, paths: PathState[]): Outcome<null> {
  const b = best(paths, (p) => fidPath(ctx, p));
  return { cost: b.cost, rank: toRank(b.cost, b.max), detail: null, paths: b.kept };
}

export function costFromDistance(d: number): number {
  if (d <= 1) return d;
  if (d <= 4) return 2;
  if (d <= 7) return 3;
  if (d <= 11) return 4;
  if (d <= 16) return 5;
  if (d <= 24) return 6;
  if (d <= 64) return 7;
  if (d <= 256) return 8;
  if (d <= 1024) return 9;
  return 10;
}

export function positionPath(ctx: RuleContext, p: PathState): { cost: number; max: number; narrowed: PathState } {
  let cost = 0;
  let max = 0;
  for (let i = 0; i < p.nodes.length; i++) {
    const n = p.nodes[i]!;
    const node = ctx.nodes[n]!;
    const len = nodeLength(node);
    const fast = ctx.minPositionCost(n, p.levels[i]!, len, node.posStart);
    let nodeCost = fast ?? 10 * len;
    if (fast === null) {
      for (const o of occurrencesOf(ctx, n, p.levels[i]!)) {
        const distance = Math.abs(bucketedPosition(o.start) - node.posStart);
        let c = 0;
        for (let k = 0; k < len; k++) c += costFromDistance(distance + k);
        if (c < nodeCost) nodeCost = c;
      }
    }
    cost += nodeCost;
    max += 10 * len;
  }
  return { cost, max, narrowed: p };
}

export function positionRule(ctx: RuleContext, paths: PathState[]): Outcome<null> {
  const b = best(paths, (p) => positionPath(ctx, p));
  return { cost: b.cost, rank: toRank(b.cost, b.max), detail: null, paths: b.kept };
}
