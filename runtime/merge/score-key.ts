// Ranking keys: each hit's `_rankingScoreDetails` turned into one flat vector
// of numbers where, position by position, higher is better. Comparing two keys
// lexicographically is comparing the hits rule by rule in ranking-rule order,
// which is how one node orders its buckets (API.md §5, milli `bucket_sort`).
//
// Each rule, placed at its `order`, fills two slots [class, value]:
// - scored rules (words, typo, proximity, attribute*, wordPosition, exactness):
//   [0, score]. Within one query every hit of a rule shares max_rank (it comes
//   from the query and the settings, API.md §5.3), and score = rank/max_rank is
//   a correctly rounded quotient of small integers, so comparing the scores of
//   one rule is comparing the integer ranks exactly. A single folded
//   `_rankingScore` would not be: sort rules are left out of it, and the
//   mixed-radix product can exceed 2^53.
// - `skipped` (search cut-off) counts as rank 0: [0, 0].
// - `vectorSort`: [0, similarity].
// - sort rules `field:asc|desc`: numbers before strings before missing, the
//   class being 2, 1 and 0; numbers by value (negated when ascending); strings
//   by their rank in the code-point order of all string values met at that
//   position in this merge (negated when ascending), because a float cannot
//   hold a string but a rank can.
// - geo sort `_geoPoint(lat, lng):asc|desc`: [1, ±distance], missing [0, 0].
// - a redacted sort rule `<hidden-rule-N>` has no value to compare: [0, 0],
//   reported as an approximation.
import type { Approximation, Hit } from './types.ts';
import { compareCodePoints } from './facet-value.ts';

export type RankingKey = number[];

const enum Kind {
  Score,
  SortAsc,
  SortDesc,
  GeoAsc,
  GeoDesc,
  Hidden,
  Vector,
  Skipped,
}

interface PendingString {
  readonly key: RankingKey;
  readonly slot: number;
  readonly value: string;
  readonly ascending: boolean;
}

/** Negative when `a` ranks before `b`; 0 when the rules cannot tell them apart. */
export function compareRankingKeys(a: RankingKey, b: RankingKey): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x > y ? -1 : 1;
  }
  return 0;
}

/** The ranking key of every hit of every list, in the same shape as the input. */
export function rankingKeys(
  lists: readonly (readonly Hit[])[],
  approximations: Set<Approximation>,
): RankingKey[][] {
  const kinds = new Map<string, Kind>();
  const pending: PendingString[] = [];
  const keys = lists.map((hits) => hits.map((hit) => keyOf(hit, kinds, pending, approximations)));
  resolveStrings(pending);
  return keys;
}

function keyOf(hit: Hit, kinds: Map<string, Kind>, pending: PendingString[], approx: Set<Approximation>): RankingKey {
  const details = hit['_rankingScoreDetails'];
  if (typeof details !== 'object' || details === null) {
    approx.add('missing-ranking-details');
    const score = hit['_rankingScore'];
    return [0, typeof score === 'number' ? score : 0];
  }
  const entries = Object.entries(details as Record<string, unknown>);
  if (!entries.every(([, e], i) => orderOf(e) === i)) entries.sort((a, b) => orderOf(a[1]) - orderOf(b[1]));
  const key: RankingKey = [];
  for (const [name, entry] of entries) {
    let kind = kinds.get(name);
    if (kind === undefined) kinds.set(name, (kind = kindOf(name)));
    pushComponent(key, kind, (entry ?? {}) as Record<string, unknown>, pending, approx);
  }
  return key;
}

function pushComponent(
  key: RankingKey,
  kind: Kind,
  entry: Record<string, unknown>,
  pending: PendingString[],
  approx: Set<Approximation>,
): void {
  switch (kind) {
    case Kind.Score:
      key.push(0, numberOr(entry['score'], 0));
      return;
    case Kind.Skipped:
      key.push(0, 0);
      return;
    case Kind.Vector:
      key.push(0, numberOr(entry['similarity'], 0));
      return;
    case Kind.Hidden:
      approx.add('hidden-sort-values');
      key.push(0, 0);
      return;
    case Kind.GeoAsc:
    case Kind.GeoDesc: {
      const d = entry['distance'];
      if (typeof d === 'number') key.push(1, kind === Kind.GeoAsc ? -d : d);
      else key.push(0, 0);
      return;
    }
    case Kind.SortAsc:
    case Kind.SortDesc:
      pushSortValue(key, entry['value'], kind === Kind.SortAsc, pending);
      return;
  }
}

function pushSortValue(key: RankingKey, value: unknown, ascending: boolean, pending: PendingString[]): void {
  if (typeof value === 'number') {
    key.push(2, ascending ? -value : value);
  } else if (typeof value === 'string') {
    pending.push({ key, slot: key.length + 1, value, ascending });
    key.push(1, 0);
  } else {
    key.push(0, 0);
  }
}

/** Replaces each string sort value by its code-point rank among the values at the same slot. */
function resolveStrings(pending: readonly PendingString[]): void {
  if (pending.length === 0) return;
  const bySlot = new Map<number, Set<string>>();
  for (const p of pending) {
    const set = bySlot.get(p.slot);
    if (set) set.add(p.value);
    else bySlot.set(p.slot, new Set([p.value]));
  }
  const ranks = new Map<number, Map<string, number>>();
  for (const [slot, values] of bySlot) {
    const sorted = [...values].sort(compareCodePoints);
    ranks.set(slot, new Map(sorted.map((v, i) => [v, i + 1])));
  }
  for (const p of pending) {
    const rank = ranks.get(p.slot)!.get(p.value)!;
    p.key[p.slot] = p.ascending ? -rank : rank;
  }
}

function kindOf(name: string): Kind {
  if (name === 'skipped') return Kind.Skipped;
  if (name === 'vectorSort') return Kind.Vector;
  if (name.startsWith('<hidden-rule-')) return Kind.Hidden;
  const ascending = name.endsWith(':asc');
  if (!ascending && !name.endsWith(':desc')) return Kind.Score;
  if (name.startsWith('_geoPoint(')) return ascending ? Kind.GeoAsc : Kind.GeoDesc;
  return ascending ? Kind.SortAsc : Kind.SortDesc;
}

function orderOf(entry: unknown): number {
  const order = (entry as { order?: unknown } | null)?.order;
  return typeof order === 'number' ? order : Number.MAX_SAFE_INTEGER;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
