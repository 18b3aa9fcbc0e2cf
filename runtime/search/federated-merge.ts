// The cross-query merge of a federated multi-search (API.md §4.5, following
// Meilisearch's `search/federated/perform.rs` and milli's weighted score
// values). Pure: each query's hits arrive already merged over the cluster, in
// that query's ranking order, with `_rankingScore` and `_rankingScoreDetails`.
//
// A hit's ranking becomes a list of values compared left to right (bigger
// first): each run of consecutive scored rules is one group, each sort rule a
// value (`field:asc|desc`, `_geoPoint(...)`), scores multiplied by the query's
// weight. Two sort values in different directions cannot be compared: the
// side with more values left wins, then the weighted global score decides.
// Remaining ties go to the lower query position, and each query's own order
// is kept (the merge only ever takes list heads).
//
// Approximation (documented, as Meilisearch folds a group into one score):
// when a hit has no sort rule its only group is exactly `_rankingScore ×
// weight`, as in Meilisearch. When sort rules split the rules into several
// groups, a group is compared as the tuple of its rules' weighted local
// scores: the same order as the fold for hits of one query, but two queries
// with different weights can compare differently than Meilisearch's folded
// group scores would.
//
// Federation-level `distinct` drops later hits with an already seen value
// (their count is reported so totals can be reduced), and a document reached
// by several queries of the same index is shown once, at its best position.
import { compareCodePoints, valueAtPath } from '../merge/facet-value.ts';
import type { Hit } from '../merge/types.ts';

export interface QueryHitList {
  readonly queryPosition: number;
  readonly indexUid: string;
  readonly weight: number;
  readonly primaryKey: string | null;
  readonly hits: readonly Hit[];
}

export interface FederatedHit {
  readonly hit: Hit;
  readonly indexUid: string;
  readonly queryPosition: number;
  readonly weightedRankingScore: number;
}

type Value =
  | { readonly kind: 'scores'; readonly scores: readonly number[] }
  | { readonly kind: 'sort'; readonly ascending: boolean; readonly value: unknown }
  | { readonly kind: 'geo'; readonly ascending: boolean; readonly distance: number | null };

interface Head {
  readonly values: readonly Value[];
  readonly global: number;
}

/** The merged order of every fetched hit (no window), distinct and duplicates removed. */
export function mergeFederated(
  lists: readonly QueryHitList[],
  distinct: string | null,
): { merged: FederatedHit[]; distinctRejected: number } {
  const cursors = lists.map(() => 0);
  const heads: (Head | undefined)[] = lists.map((l) => headOf(l, 0));
  const merged: FederatedHit[] = [];
  const shown = new Set<string>();
  const seenDistinct = new Set<string>();
  let distinctRejected = 0;
  for (;;) {
    const best = bestList(lists, heads);
    if (best < 0) break;
    const list = lists[best]!;
    const hit = list.hits[cursors[best]!]!;
    const head = heads[best]!;
    cursors[best]! += 1;
    heads[best] = headOf(list, cursors[best]!);
    const docKey = documentKey(list, hit);
    if (docKey !== null) {
      if (shown.has(docKey)) continue;
      shown.add(docKey);
    }
    if (distinct !== null && isDistinctDuplicate(hit, distinct, seenDistinct)) {
      distinctRejected++;
      continue;
    }
    merged.push({ hit, indexUid: list.indexUid, queryPosition: list.queryPosition, weightedRankingScore: head.global });
  }
  return { merged, distinctRejected };
}

function bestList(lists: readonly QueryHitList[], heads: readonly (Head | undefined)[]): number {
  let best = -1;
  for (let i = 0; i < lists.length; i++) {
    const head = heads[i];
    if (head === undefined) continue;
    if (best < 0) {
      best = i;
      continue;
    }
    const order = compareHeads(head, heads[best]!);
    if (order > 0 || (order === 0 && lists[i]!.queryPosition < lists[best]!.queryPosition)) best = i;
  }
  return best;
}

function headOf(list: QueryHitList, at: number): Head | undefined {
  const hit = list.hits[at];
  if (hit === undefined) return undefined;
  const score = hit['_rankingScore'];
  const global = (typeof score === 'number' ? score : 0) * list.weight;
  return { values: weightedValues(hit, list.weight, global), global };
}

/** The weighted score values of one hit from its `_rankingScoreDetails`. */
export function weightedValues(hit: Hit, weight: number, global: number): Value[] {
  const details = hit['_rankingScoreDetails'];
  if (typeof details !== 'object' || details === null) return [{ kind: 'scores', scores: [global] }];
  const rules = Object.entries(details as Record<string, Record<string, unknown> | null>)
    .map(([name, detail]) => ({ name, detail: detail ?? {}, order: Number(detail?.['order'] ?? 0) }))
    .sort((a, b) => a.order - b.order);
  const values: Value[] = [];
  let group: number[] | null = null;
  let hasSort = false;
  for (const { name, detail } of rules) {
    const ascending = name.endsWith(':asc') ? true : name.endsWith(':desc') ? false : null;
    if (ascending === null) {
      const score = name === 'skipped' ? 0 : Number(detail['score'] ?? 0);
      if (group === null) values.push({ kind: 'scores', scores: (group = []) });
      group.push(score * weight);
      continue;
    }
    hasSort = true;
    group = null;
    if (name.startsWith('_geoPoint(')) {
      const distance = detail['distance'];
      values.push({ kind: 'geo', ascending, distance: typeof distance === 'number' ? distance : null });
    } else {
      values.push({ kind: 'sort', ascending, value: detail['value'] ?? null });
    }
  }
  return hasSort ? values : [{ kind: 'scores', scores: [global] }];
}

/** Positive when `a` ranks before `b`. */
function compareHeads(a: Head, b: Head): number {
  const n = Math.max(a.values.length, b.values.length);
  for (let i = 0; i < n; i++) {
    const x = a.values[i];
    const y = b.values[i];
    if (x === undefined || y === undefined) return x === undefined ? (y === undefined ? 0 : -1) : 1;
    const order = compareValue(x, y);
    if (order === 0) continue;
    if (order !== null) return order;
    const remaining = Math.sign(a.values.length - b.values.length);
    return remaining !== 0 ? remaining : Math.sign(a.global - b.global);
  }
  return 0;
}

function compareValue(a: Value, b: Value): number | null {
  if (a.kind === 'scores' && b.kind === 'scores') {
    for (let i = 0; i < Math.max(a.scores.length, b.scores.length); i++) {
      const d = (a.scores[i] ?? 0) - (b.scores[i] ?? 0);
      if (d !== 0) return Math.sign(d);
    }
    return 0;
  }
  if (a.kind === 'sort' && b.kind === 'sort') {
    return a.ascending === b.ascending ? compareSortValues(a.ascending, a.value, b.value) : null;
  }
  if (a.kind === 'geo' && b.kind === 'geo') {
    if (a.ascending !== b.ascending) return null;
    if (a.distance === null || b.distance === null) return a.distance === b.distance ? 0 : a.distance === null ? -1 : 1;
    const order = Math.sign(a.distance - b.distance);
    return a.ascending ? -order : order;
  }
  return null;
}

/**
 * milli's `compare_sort_values`, positive when `a` ranks first: a missing
 * value always ranks last, numbers always before strings, then the direction.
 */
function compareSortValues(ascending: boolean, a: unknown, b: unknown): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'string') return 1;
  if (typeof a === 'string' && typeof b === 'number') return -1;
  let order = 0;
  if (typeof a === 'number' && typeof b === 'number') order = Math.sign(a - b);
  else if (typeof a === 'string' && typeof b === 'string') order = Math.sign(compareCodePoints(a, b));
  return ascending ? -order : order;
}

function documentKey(list: QueryHitList, hit: Hit): string | null {
  if (list.primaryKey === null) return null;
  const id = hit[list.primaryKey];
  return id === undefined ? null : `${list.indexUid}\u0000${JSON.stringify(id)}`;
}

function isDistinctDuplicate(hit: Hit, field: string, seen: Set<string>): boolean {
  const value = valueAtPath(hit, field);
  if (value === undefined || value === null) return false;
  const keys = (Array.isArray(value) ? value : [value]).map((v) =>
    typeof v === 'string' ? `s:${v.trim().toLowerCase()}` : `v:${JSON.stringify(v)}`,
  );
  if (keys.some((k) => seen.has(k))) return true;
  for (const k of keys) seen.add(k);
  return false;
}

const TRAILING_KEYS = ['_formatted', '_matchesPosition', '_rankingScore', '_rankingScoreDetails'] as const;

/**
 * A hit as federated search shows it: the document's fields, then
 * `_federation`, then `_formatted`, `_matchesPosition` and the scores the
 * query asked for.
 */
export function federatedHitView(
  merged: FederatedHit,
  keep: { readonly rankingScore: boolean; readonly rankingScoreDetails: boolean },
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in merged.hit) {
    if (!(TRAILING_KEYS as readonly string[]).includes(key)) out[key] = merged.hit[key];
  }
  out['_federation'] = {
    indexUid: merged.indexUid,
    queriesPosition: merged.queryPosition,
    weightedRankingScore: merged.weightedRankingScore,
  };
  for (const key of TRAILING_KEYS) {
    if (!(key in merged.hit)) continue;
    if (key === '_rankingScore' && !keep.rankingScore) continue;
    if (key === '_rankingScoreDetails' && !keep.rankingScoreDetails) continue;
    out[key] = merged.hit[key];
  }
  return out;
}
