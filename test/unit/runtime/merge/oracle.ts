// The "one node holding every document" oracle for the merge tests, written
// independently of runtime/merge: a seeded random corpus with synthetic
// `_rankingScoreDetails`, a straightforward comparator over integer ranks and
// raw field values, and a model node (sort, distinct, cut at offset+limit).
import type { Rng } from '../../../../runtime/env/clock.ts';

export type Rule =
  | { readonly kind: 'words' | 'typo' | 'proximity' | 'attributeRank' | 'wordPosition' | 'exactness'; readonly maxRank: number }
  | { readonly kind: 'sort'; readonly field: string; readonly ascending: boolean };

export interface Doc {
  readonly id: number | string;
  readonly fields: Record<string, unknown>;
  /** Integer rank per scored rule, by rule index. */
  readonly ranks: ReadonlyMap<number, number>;
}

const codePoints = (s: string): number[] => Array.from(s, (c) => c.codePointAt(0)!);

function compareCodePointArrays(a: string, b: string): number {
  const x = codePoints(a);
  const y = codePoints(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** The facet value a node sorts a document by, as milli would store it. */
export function bucketValue(raw: unknown, ascending: boolean): number | string | null {
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v): Array<number | string> =>
    typeof v === 'number' ? [v] : typeof v === 'string' ? [v.trim().normalize('NFKD').toLowerCase()] : [],
  );
  let best: number | string | null = null;
  for (const v of values) if (best === null || compareValues(v, best, ascending) < 0) best = v;
  return best;
}

export function compareValues(a: number | string | null, b: number | string | null, ascending: boolean): number {
  const cls = (v: unknown): number => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : 2);
  if (cls(a) !== cls(b)) return cls(a) - cls(b);
  if (a === null || b === null) return 0;
  const c = typeof a === 'number' ? a - (b as number) : compareCodePointArrays(a, b as string);
  return ascending ? c : -c;
}

function comparePk(a: number | string, b: number | string): number {
  if (typeof a !== typeof b) return typeof a === 'number' ? -1 : 1;
  return typeof a === 'number' ? a - (b as number) : compareCodePointArrays(a, b as string);
}

export function oracleCompare(rules: readonly Rule[]): (a: Doc, b: Doc) => number {
  // Sort values are derived once per document: the comparator is called often.
  const cache = new Map<Doc, Array<number | string | null>>();
  const valuesOf = (doc: Doc): Array<number | string | null> => {
    let values = cache.get(doc);
    if (!values) {
      values = rules.map((rule) => (rule.kind === 'sort' ? bucketValue(doc.fields[rule.field], rule.ascending) : null));
      cache.set(doc, values);
    }
    return values;
  };
  return (a, b) => {
    const va = valuesOf(a);
    const vb = valuesOf(b);
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (rule.kind === 'sort') {
        const c = compareValues(va[i]!, vb[i]!, rule.ascending);
        if (c !== 0) return c;
      } else {
        const d = b.ranks.get(i)! - a.ranks.get(i)!;
        if (d !== 0) return d;
      }
    }
    return comparePk(a.id, b.id);
  };
}

/** The hit a node returns for `doc`, with score details as Meilisearch serializes them. */
export function hitOf(doc: Doc, rules: readonly Rule[]): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  let rank = 1;
  let maxRank = 1;
  rules.forEach((rule, order) => {
    if (rule.kind === 'sort') {
      const name = `${rule.field}:${rule.ascending ? 'asc' : 'desc'}`;
      details[name] = { order, value: bucketValue(doc.fields[rule.field], rule.ascending) };
      return;
    }
    const r = doc.ranks.get(order)!;
    const m = rule.maxRank;
    rank = (rank - 1) * m + r;
    maxRank *= m;
    details[rule.kind] = scoredDetail(rule.kind, order, r, m);
  });
  return { ...doc.fields, _rankingScore: rank / maxRank, _rankingScoreDetails: details };
}

function scoredDetail(kind: string, order: number, r: number, m: number): Record<string, unknown> {
  if (kind === 'words') return { order, matchingWords: r, maxMatchingWords: m, score: r / m };
  if (kind === 'typo') return { order, typoCount: m - r, maxTypoCount: m - 1, score: r / m };
  return { order, score: r / m };
}

export function distinctKeys(doc: Doc, attribute: string): string[] {
  const raw = doc.fields[attribute];
  return (Array.isArray(raw) ? raw : [raw]).flatMap((v) =>
    typeof v === 'number' ? [`n${v}`] : typeof v === 'string' ? [`s${v.trim().normalize('NFKD').toLowerCase()}`] : [],
  );
}

/** Keeps the first document per distinct value, in the given order (milli's rule). */
export function applyDistinct(sorted: readonly Doc[], attribute: string | null): Doc[] {
  if (attribute === null) return [...sorted];
  const seen = new Set<string>();
  return sorted.filter((doc) => {
    const keys = distinctKeys(doc, attribute);
    if (keys.some((k) => seen.has(k))) return false;
    for (const k of keys) seen.add(k);
    return true;
  });
}

const GENRES = ['Horror', 'horror ', 'Drama', 'comedy', 'Ünï', 'ｆｕｌｌ', '😀', 'z'];
const TITLES = ['alpha', 'Beta', 'beta', 'gamma', 'é', 'e\u0301', '\uffff', '😀', '10', 'zeta'];

export function randomDoc(rng: Rng, id: number | string, rules: readonly Rule[], shard: number): Doc {
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
  const fields: Record<string, unknown> = { id };
  const price = rng.next();
  if (price < 0.5) fields['price'] = rng.int(20) * 5 + (rng.next() < 0.2 ? 0.5 : 0);
  else if (price < 0.7) fields['price'] = pick(TITLES);
  else if (price < 0.8) fields['price'] = [rng.int(50), pick(TITLES)];
  const title = rng.next();
  if (title < 0.8) fields['title'] = pick(TITLES);
  else if (title < 0.9) fields['title'] = rng.int(30);
  const genre = rng.next();
  if (genre < 0.6) fields['genre'] = pick(GENRES);
  else if (genre < 0.7) fields['genre'] = [pick(GENRES), pick(GENRES)];
  else if (genre < 0.8) fields['genre'] = rng.int(4);
  // The distinct attribute of the tests: one value per document (or none),
  // because distinct over array values is not composable across nodes (a
  // node may keep [a, b] where the whole corpus keeps a later [b]).
  const edition = rng.next();
  if (edition < 0.6) fields['edition'] = pick(GENRES);
  else if (edition < 0.8) fields['edition'] = rng.int(4);
  fields['_miroir_shard'] = shard;
  const ranks = new Map<number, number>();
  rules.forEach((rule, i) => {
    if (rule.kind !== 'sort') ranks.set(i, 1 + rng.int(rule.maxRank));
  });
  return { id, fields, ranks };
}
