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
// Only list heads are ever compared (k-way.ts), so there is one key per list,
// the key of its current head, rewritten in place when the list advances: a
// page of 20 out of 1,000 fetched hits reads the details of about 20 + k of
// them, and no hit allocates anything. Slots live in one array of doubles per
// list (written from index 0 on, so it only grows to the longest key), the
// string sort values beside them.
//
// When the plan ranked by score (node-query.ts rankingBasis: no sort, no
// vector, default-like rules), nodes send no details and the key is the one
// slot pair [0, _rankingScore].
import type { RankingBasis } from './node-query.ts';
import type { Approximation, Hit } from './types.ts';
import { compareCodePoints } from './facet-value.ts';

const enum Kind {
  /** A scored rule without a max rank in its details (proximity, attribute*, wordPosition). */
  Score,
  /** words and exactness: their max rank is `maxMatchingWords`. */
  ScoreWords,
  /** typo: its max rank is `maxTypoCount`. */
  ScoreTypo,
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

type Details = Record<string, Record<string, unknown> | undefined>;

/** The ranking keys of the heads of k lists, and what key building remembers across one merge. */
export class HeadKeys {
  private readonly slots: number[][] = [];
  private readonly sizes: number[] = [];
  /** The string sort values of each list's key, at index slot/2 (read only where the class says string). */
  private readonly strings: (string | undefined)[][] = [];
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

  constructor(
    lists: number,
    private readonly rankedBy: RankingBasis = 'details',
  ) {
    for (let i = 0; i < lists; i++) {
      this.slots.push([]);
      this.sizes.push(0);
      this.strings.push([]);
    }
  }

  /** Makes `hit` the key of `list`. */
  load(list: number, hit: Hit): void {
    this.sizes[list] = 0;
    const details = this.rankedBy === 'details' ? hit['_rankingScoreDetails'] : undefined;
    if (typeof details !== 'object' || details === null) {
      const score = hit['_rankingScore'];
      if (this.rankedBy === 'details' || typeof score !== 'number') this.approximations.add('missing-ranking-details');
      this.put(list, 0, typeof score === 'number' ? score : 0);
      return;
    }
    const entries = details as Details;
    // The scored rules (the common case) are written straight into the list's
    // buffer; the other kinds go through putRule.
    const buffer = this.slots[list]!;
    let size = 0;
    let position = 0;
    for (const name in entries) {
      const entry = entries[name] ?? {};
      if (entry['order'] !== position) {
        this.loadUnordered(list, entries);
        return;
      }
      let kind: Kind;
      if (this.lastNames[position] === name) {
        kind = this.lastKinds[position]!;
      } else {
        kind = this.kindOf(name);
        this.lastNames[position] = name;
        this.lastKinds[position] = kind;
      }
      if (kind === Kind.Score || kind === Kind.ScoreWords || kind === Kind.ScoreTypo) {
        if (kind !== Kind.Score) this.checkMaxRank(position, kind, entry);
        buffer[size] = 0;
        buffer[size + 1] = numberOr(entry['score'], 0);
        size += 2;
      } else {
        this.sizes[list] = size;
        this.putRule(list, kind, entry);
        size = this.sizes[list]!;
      }
      position++;
    }
    this.sizes[list] = size;
  }

  /** Negative when the head of list `a` ranks before the head of list `b`; 0 when the rules cannot tell them apart. */
  compare(a: number, b: number): number {
    const x = this.slots[a]!;
    const y = this.slots[b]!;
    const sizeA = this.sizes[a]!;
    const sizeB = this.sizes[b]!;
    const n = sizeA < sizeB ? sizeA : sizeB;
    for (let i = 0; i < n; i += 2) {
      const cx = x[i]!;
      const cy = y[i]!;
      if (cx !== cy) return cx > cy ? -1 : 1;
      const vx = x[i + 1]!;
      const vy = y[i + 1]!;
      if (vx !== vy) return vx > vy ? -1 : 1;
      if (cx === STRING_CLASS) {
        const c = compareCodePoints(this.strings[a]![i >> 1]!, this.strings[b]![i >> 1]!);
        if (c !== 0) return vx < 0 ? c : -c;
      }
    }
    return 0;
  }

  /** The slow path for details whose keys are not listed in `order` order. */
  private loadUnordered(list: number, entries: Details): void {
    this.sizes[list] = 0;
    const order = (e: Record<string, unknown> | undefined): number =>
      typeof e?.['order'] === 'number' ? e['order'] : Number.MAX_SAFE_INTEGER;
    const names = Object.keys(entries).sort((a, b) => order(entries[a]) - order(entries[b]));
    for (const name of names) this.putRule(list, this.kindOf(name), entries[name] ?? {});
  }

  /** Checks that a scored rule's max rank (words, exactness, typo carry it) agrees between hits. */
  private checkMaxRank(position: number, kind: Kind, entry: Record<string, unknown>): void {
    const max = kind === Kind.ScoreTypo ? entry['maxTypoCount'] : entry['maxMatchingWords'];
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

  private putRule(list: number, kind: Kind, entry: Record<string, unknown>): void {
    switch (kind) {
      case Kind.Score:
      case Kind.ScoreWords:
      case Kind.ScoreTypo:
        this.put(list, 0, numberOr(entry['score'], 0));
        return;
      case Kind.Skipped:
        this.put(list, 0, 0);
        return;
      case Kind.Vector:
        this.put(list, 0, numberOr(entry['similarity'], 0));
        return;
      case Kind.Hidden:
        this.approximations.add('hidden-sort-values');
        this.put(list, 0, 0);
        return;
      case Kind.GeoAsc:
      case Kind.GeoDesc: {
        const d = entry['distance'];
        if (typeof d === 'number') this.put(list, NUMBER_CLASS, kind === Kind.GeoAsc ? -d : d);
        else this.put(list, 0, 0);
        return;
      }
      case Kind.SortAsc:
      case Kind.SortDesc:
        this.putSortValue(list, entry['value'], kind === Kind.SortAsc);
        return;
    }
  }

  private putSortValue(list: number, value: unknown, ascending: boolean): void {
    if (typeof value === 'number') {
      this.put(list, NUMBER_CLASS, ascending ? -value : value);
    } else if (typeof value === 'string') {
      this.strings[list]![this.sizes[list]! >> 1] = value;
      this.put(list, STRING_CLASS, ascending ? -1 : 1);
    } else {
      this.put(list, 0, 0);
    }
  }

  /** Appends one [class, value] slot pair to the key of `list`. */
  private put(list: number, cls: number, value: number): void {
    const buffer = this.slots[list]!;
    const size = this.sizes[list]!;
    buffer[size] = cls;
    buffer[size + 1] = value;
    this.sizes[list] = size + 2;
  }
}

function kindOf(name: string): Kind {
  if (name === 'skipped') return Kind.Skipped;
  if (name === 'vectorSort') return Kind.Vector;
  if (name.startsWith('<hidden-rule-')) return Kind.Hidden;
  if (name === 'words' || name === 'exactness') return Kind.ScoreWords;
  if (name === 'typo') return Kind.ScoreTypo;
  const ascending = name.endsWith(':asc');
  if (!ascending && !name.endsWith(':desc')) return Kind.Score;
  if (name.startsWith('_geoPoint(')) return ascending ? Kind.GeoAsc : Kind.GeoDesc;
  return ascending ? Kind.SortAsc : Kind.SortDesc;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
