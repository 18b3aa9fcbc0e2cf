// Facet results summed over nodes (ARCHITECTURE §4.4, API.md §4.2, §4.5).
//
// - facetDistribution: counts summed per facet value, values identified by
//   their normalized form (a node may show "Blue" where another shows "blue";
//   the first response's spelling wins, as one node shows one original
//   spelling). Then each facet's values are picked and ordered as one node
//   holding every document would (milli `facet_distribution.rs`): numbers
//   first, then strings, at most maxValuesPerFacet values in all, and
//   - `alpha` over at most 3000 candidates: numbers by their printed form
//     (milli walks the candidates into a map keyed by the printed number),
//     strings by normalized form; each list cut to the room left;
//   - `alpha` over more candidates: numbers in numeric order, strings by
//     normalized form, each walk stopping when the map size *equals* the cap
//     after an insertion (so a cap the numbers alone fill lets every string
//     in, and a cap of 0 stops nothing: milli's quirk, kept);
//   - `count`: the same walks, by count descending, ties by value descending
//     (milli pops a max-heap of (count, value)).
//   The order of a facet is its own `sortFacetValuesBy` entry when the search
//   named it, else the `*` entry (milli OrderByMap::get).
// - facetStats: min of mins, max of maxes.
// - Facet names come out sorted (Meilisearch serializes them from a BTreeMap).
// Exactness: under `alpha` over at most 3000 candidates every node holds at
// most 3000 and cut its lists in the same order, so the union of the node
// lists holds the values the client must see, with full counts. Otherwise a
// value a node cut is missing from the sum (API.md §5.3 (6)): under `count`,
// or under `alpha` above 3000 candidates when a node with at most 3000 of
// them cut its numbers in printed order.
import { compareCodePoints, isPrintedNumber, normalizeFacetString } from './facet-value.ts';
import type { FacetDistribution, FacetOrder, FacetStats, FacetingSettings } from './types.ts';

interface Bucket {
  readonly value: string;
  readonly normalized: string;
  count: number;
}

/** Above this many candidates milli walks the facet levels instead of the candidates (LINEAR_SCAN_CANDIDATES_THRESHOLD). */
export const LINEAR_SCAN_CANDIDATES_MAX = 3000;

/** What the merge knows of the search whose facets it merges. */
export interface FacetSearchContext {
  /** The `facets` of the search, after renaming: a facet named here has its own order. */
  readonly requested: readonly string[];
  /** The search's candidates over every node; null when unknown (levels order assumed). */
  readonly candidates: number | null;
}

/** The order of a facet's values under `sortFacetValuesBy`: its own entry, else `*`, else alpha. */
export function facetOrderOf(facet: string, sortFacetValuesBy: Readonly<Record<string, FacetOrder>>): FacetOrder {
  return sortFacetValuesBy[facet] ?? sortFacetValuesBy['*'] ?? 'alpha';
}

export function mergeFacetDistributions(
  distributions: readonly (FacetDistribution | undefined)[],
  faceting: FacetingSettings,
  search: FacetSearchContext | null = null,
): Record<string, Record<string, number>> {
  const byFacet = new Map<string, Map<string, Bucket>>();
  for (const distribution of distributions) {
    if (!distribution) continue;
    for (const facet in distribution) {
      let buckets = byFacet.get(facet);
      if (!buckets) byFacet.set(facet, (buckets = new Map()));
      const values = distribution[facet]!;
      for (const value in values) addCount(buckets, value, values[value]!);
    }
  }
  const linear = search !== null && search.candidates !== null && search.candidates <= LINEAR_SCAN_CANDIDATES_MAX;
  const out: Record<string, Record<string, number>> = {};
  for (const facet of [...byFacet.keys()].sort(compareCodePoints)) {
    const named = search === null || search.requested.includes(facet);
    const order = facetOrderOf(named ? facet : '*', faceting.sortFacetValuesBy);
    const values: Record<string, number> = {};
    for (const b of pickValues([...byFacet.get(facet)!.values()], order, linear, faceting.maxValuesPerFacet)) values[b.value] = b.count;
    out[facet] = values;
  }
  return out;
}

/** The values one node shows for a facet, in its order (see the header). */
function pickValues(buckets: Bucket[], order: FacetOrder, linear: boolean, max: number): Bucket[] {
  const numbers = buckets.filter((b) => isPrintedNumber(b.value));
  const strings = buckets.filter((b) => !isPrintedNumber(b.value));
  if (order === 'alpha' && linear) {
    numbers.sort((a, b) => compareCodePoints(a.value, b.value));
    strings.sort(compareStrings);
    const kept = numbers.slice(0, max);
    return kept.concat(strings.slice(0, Math.max(0, max - kept.length)));
  }
  if (order === 'alpha') {
    numbers.sort((a, b) => Number(a.value) - Number(b.value));
    strings.sort(compareStrings);
  } else {
    numbers.sort((a, b) => b.count - a.count || Number(b.value) - Number(a.value));
    strings.sort((a, b) => b.count - a.count || compareStrings(b, a));
  }
  const kept: Bucket[] = [];
  for (const list of [numbers, strings]) {
    for (const b of list) {
      kept.push(b);
      if (kept.length === max) break;
    }
  }
  return kept;
}

function compareStrings(a: Bucket, b: Bucket): number {
  return compareCodePoints(a.normalized, b.normalized) || compareCodePoints(a.value, b.value);
}

export function mergeFacetStats(all: readonly (FacetStats | undefined)[]): Record<string, { min: number; max: number }> {
  const merged = new Map<string, { min: number; max: number }>();
  for (const stats of all) {
    if (!stats) continue;
    for (const facet in stats) {
      const { min, max } = stats[facet]!;
      const prev = merged.get(facet);
      merged.set(facet, prev ? { min: Math.min(prev.min, min), max: Math.max(prev.max, max) } : { min, max });
    }
  }
  const out: Record<string, { min: number; max: number }> = {};
  for (const facet of [...merged.keys()].sort(compareCodePoints)) out[facet] = merged.get(facet)!;
  return out;
}

export interface FacetHit {
  readonly value: string;
  readonly count: number;
}

export interface NodeFacetSearchResponse {
  readonly facetHits: readonly FacetHit[];
  readonly facetQuery: string | null;
  readonly processingTimeMs: number;
}

/** POST /facet-search over nodes: counts summed per value, re-sorted and truncated like one node. */
export function mergeFacetSearch(input: {
  readonly responses: readonly NodeFacetSearchResponse[];
  readonly facetName: string;
  readonly facetQuery: string | null;
  readonly faceting: FacetingSettings;
}): { facetHits: FacetHit[]; facetQuery: string | null; processingTimeMs: number } {
  const buckets = new Map<string, Bucket>();
  let processingTimeMs = 0;
  for (const response of input.responses) {
    for (const hit of response.facetHits) addCount(buckets, hit.value, hit.count);
    processingTimeMs = Math.max(processingTimeMs, response.processingTimeMs);
  }
  const order = facetOrderOf(input.facetName, input.faceting.sortFacetValuesBy);
  const facetHits = sortBuckets([...buckets.values()], order)
    .slice(0, input.faceting.maxValuesPerFacet)
    .map((b) => ({ value: b.value, count: b.count }));
  return { facetHits, facetQuery: input.facetQuery, processingTimeMs };
}

function addCount(buckets: Map<string, Bucket>, value: string, count: number): void {
  const normalized = normalizeFacetString(value);
  const bucket = buckets.get(normalized);
  if (bucket) bucket.count += count;
  else buckets.set(normalized, { value, normalized, count });
}

/** Facet-search hits are strings only (numbers are not searchable). */
function sortBuckets(buckets: Bucket[], order: FacetOrder): Bucket[] {
  if (order === 'alpha') return buckets.sort(compareStrings);
  return buckets.sort((a, b) => b.count - a.count || compareStrings(a, b));
}
