// Ranking keys: each hit's `_rankingScoreDetails` turned into a flat vector
// where, position by position, higher is better. Comparing two keys
// lexicographically is comparing the hits rule by rule in ranking-rule order,
// which is how one node orders its buckets (API.md §5, milli `bucket_sort`).
//
// Each rule, placed at its `order`, fills two slots [class, value]:
// - scored rules (words, typo, proximity, attribute*, wordPosition, exactness):
//   [0, score]. Within one query every hit of a rule shares max_rank (it comes
//   from the query and the settings, API.md §5.3), and score = rank/max_rank is
//   a correctly rounded quotient of small integers, so comparing the scores of
//   one rule is comparing the integer ranks exactly. Even where max_rank differs
//   between nodes (matchingStrategy `frequency`), two different fractions with
//   denominators below 2^26 are more than one ulp apart, so their doubles keep
//   their order. A single folded `_rankingScore` would not do: sort rules are
//   left out of it, and the mixed-radix product can exceed 2^53.
// - `skipped` (search cut-off) counts as rank 0: [0, 0].
// - `vectorSort`: [0, similarity].
// - sort rules `field:asc|desc`: numbers before strings before missing, with
//   classes 3, 1 and 0; a number is [3, v] (negated when ascending); a string
//   is [1, -1 when ascending else 1] and the string itself, compared by code
//   point (UTF-8 byte order, as Rust compares the facet strings).
// - geo sort `_geoPoint(lat, lng):asc|desc`: [3, ±distance], missing [0, 0].
// - a redacted sort rule `<hidden-rule-N>` has no value to compare: [0, 0],
//   reported as an approximation.
// Keys are built lazily by the merge: only hits that reach a list head need one.
//
// When the plan ranked by score (node-query.ts rankingBasis: no sort, no
// vector, default-like rules), nodes send no details and the key is the one
// slot pair [0, _rankingScore].
import type { RankingBasis } from './node-query.ts';
import type { Approximation, Hit } from './types.ts';
import { compareCodePoints } from './facet-value.ts';

export interface RankingKey {
  readonly slots: number[];
  /** The string sort values, at index slot/2, or null when the key has none. */
  strings: (string | undefined)[] | null;
}

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

const STRING_CLASS = 1;
const NUMBER_CLASS = 3;

/** What key building remembers across the hits of one merge. */
export class RankingKeyBuilder {
  private readonly kinds = new Map<string, Kind>();
  // The rule names seen at each position by the previous hit: every hit of one
  // query lists the same rules, so an identity check usually replaces the map lookup.
  private readonly lastNames: string[] = [];
  private readonly lastKinds: Kind[] = [];
  // The max rank each scored rule reports (words, typo, exactness carry it), by
  // position: hits of one query agree on it unless a node used another
  // matchingStrategy outcome (`frequency`) or other settings.
  private readonly maxRanks: (number | undefined)[] = [];
  readonly approximations = new Set<Approximation>();

  constructor(private readonly rankedBy: RankingBasis = 'details') {}

  keyOf(hit: Hit): RankingKey {
    const details = this.rankedBy === 'details' ? hit['_rankingScoreDetails'] : undefined;
    if (typeof details !== 'object' || details === null) {
      const score = hit['_rankingScore'];
      if (this.rankedBy === 'details' || typeof score !== 'number') this.approximations.add('missing-ranking-details');
      return { slots: [0, typeof score === 'number' ? score : 0], strings: null };
    }
    const entries = details as Record<string, Record<string, unknown> | undefined>;
    const key: RankingKey = { slots: [], strings: null };
    let position = 0;
    for (const name in entries) {
      const entry = entries[name] ?? {};
      if (entry['order'] !== position) return this.keyOfUnordered(entries);
      let kind: Kind;
      if (this.lastNames[position] === name) {
        kind = this.lastKinds[position]!;
      } else {
        kind = this.kindOf(name);
        this.lastNames[position] = name;
        this.lastKinds[position] = kind;
      }
      if (kind === Kind.Score) this.checkMaxRank(position, entry);
      this.push(key, kind, entry);
      position++;
    }
    return key;
  }

  /** The slow path for details whose keys are not listed in `order` order. */
  private keyOfUnordered(entries: Record<string, Record<string, unknown> | undefined>): RankingKey {
    const order = (e: Record<string, unknown> | undefined): number =>
      typeof e?.['order'] === 'number' ? e['order'] : Number.MAX_SAFE_INTEGER;
    const names = Object.keys(entries).sort((a, b) => order(entries[a]) - order(entries[b]));
    const key: RankingKey = { slots: [], strings: null };
    for (const name of names) this.push(key, this.kindOf(name), entries[name] ?? {});
    return key;
  }

  private checkMaxRank(position: number, entry: Record<string, unknown>): void {
    const max = entry['maxMatchingWords'] ?? entry['maxTypoCount'];
    if (typeof max !== 'number') return;
    const seen = this.maxRanks[position];
    if (seen === undefined) this.maxRanks[position] = max;
    else if (seen !== max) this.approximations.add('inconsistent-max-rank');
  }

  private kindOf(name: string): Kind {
    let kind = this.kinds.get(name);
    if (kind === undefined) this.kinds.set(name, (kind = kindOf(name)));
    return kind;
  }

  private push(key: RankingKey, kind: Kind, entry: Record<string, unknown>): void {
    const slots = key.slots;
    switch (kind) {
      case Kind.Score:
        slots.push(0, numberOr(entry['score'], 0));
        return;
      case Kind.Skipped:
        slots.push(0, 0);
        return;
      case Kind.Vector:
        slots.push(0, numberOr(entry['similarity'], 0));
        return;
      case Kind.Hidden:
        this.approximations.add('hidden-sort-values');
        slots.push(0, 0);
        return;
      case Kind.GeoAsc:
      case Kind.GeoDesc: {
        const d = entry['distance'];
        if (typeof d === 'number') slots.push(NUMBER_CLASS, kind === Kind.GeoAsc ? -d : d);
        else slots.push(0, 0);
        return;
      }
      case Kind.SortAsc:
      case Kind.SortDesc:
        pushSortValue(key, entry['value'], kind === Kind.SortAsc);
        return;
    }
  }
}

function pushSortValue(key: RankingKey, value: unknown, ascending: boolean): void {
  if (typeof value === 'number') {
    key.slots.push(NUMBER_CLASS, ascending ? -value : value);
  } else if (typeof value === 'string') {
    (key.strings ??= [])[key.slots.length >> 1] = value;
    key.slots.push(STRING_CLASS, ascending ? -1 : 1);
  } else {
    key.slots.push(0, 0);
  }
}

/** Negative when `a` ranks before `b`; 0 when the rules cannot tell them apart. */
export function compareRankingKeys(a: RankingKey, b: RankingKey): number {
  const x = a.slots;
  const y = b.slots;
  const n = x.length < y.length ? x.length : y.length;
  for (let i = 0; i < n; i += 2) {
    const cx = x[i]!;
    const cy = y[i]!;
    if (cx !== cy) return cx > cy ? -1 : 1;
    const vx = x[i + 1]!;
    const vy = y[i + 1]!;
    if (vx !== vy) return vx > vy ? -1 : 1;
    if (cx === STRING_CLASS) {
      const c = compareCodePoints(a.strings![i >> 1]!, b.strings![i >> 1]!);
      if (c !== 0) return vx < 0 ? c : -c;
    }
  }
  return 0;
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

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
