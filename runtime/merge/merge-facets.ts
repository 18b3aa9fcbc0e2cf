// Facet results summed over nodes (ARCHITECTURE §4.4, API.md §4.2, §4.5).
//
// - facetDistribution: counts summed per facet value, values identified by
//   their normalized form (a node may show "Blue" where another shows "blue";
//   the first response's spelling wins, as one node shows one original
//   spelling). Then each facet is re-ordered and truncated as a node would:
//   `alpha` puts number-looking values first in numeric order, then strings in
//   code-point order of their normalized form (milli walks the number
//   database, then the string database); `count` is by count, descending,
//   ties in alpha order. At most maxValuesPerFacet values are kept.
// - facetStats: min of mins, max of maxes.
// - Facet names come out sorted (Meilisearch serializes them from a BTreeMap).
// Counts of values a node cut at maxValuesPerFacet are missing from the sum;
// that is the inherent approximation of API.md §5.3 (6).
import { compareCodePoints, normalizeFacetString } from './facet-value.ts';
import type { FacetDistribution, FacetOrder, FacetStats, FacetingSettings } from './types.ts';

interface Bucket {
  readonly value: string;
  readonly normalized: string;
  count: number;
}

const NUMBER_LIKE = /^-?\d+(\.\d+)?$/;

/** The order of a facet's values under `sortFacetValuesBy`: exact name, then patterns, then `*`. */
export function facetOrderOf(facet: string, sortFacetValuesBy: Readonly<Record<string, FacetOrder>>): FacetOrder {
  const exact = sortFacetValuesBy[facet];
  if (exact !== undefined) return exact;
  const patterns = Object.keys(sortFacetValuesBy).filter((p) => p !== '*' && p.includes('*'));
  for (const pattern of patterns.sort(compareCodePoints)) {
    if (globMatches(pattern, facet)) return sortFacetValuesBy[pattern]!;
  }
  return sortFacetValuesBy['*'] ?? 'alpha';
}

export function mergeFacetDistributions(
  distributions: readonly (FacetDistribution | undefined)[],
  faceting: FacetingSettings,
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
  const out: Record<string, Record<string, number>> = {};
  for (const facet of [...byFacet.keys()].sort(compareCodePoints)) {
    const order = facetOrderOf(facet, faceting.sortFacetValuesBy);
    const sorted = sortBuckets([...byFacet.get(facet)!.values()], order).slice(0, faceting.maxValuesPerFacet);
    const values: Record<string, number> = {};
    for (const b of sorted) values[b.value] = b.count;
    out[facet] = values;
  }
  return out;
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

function sortBuckets(buckets: Bucket[], order: FacetOrder): Bucket[] {
  if (order === 'alpha') return buckets.sort(compareAlpha);
  return buckets.sort((a, b) => b.count - a.count || compareAlpha(a, b));
}

function compareAlpha(a: Bucket, b: Bucket): number {
  const an = NUMBER_LIKE.test(a.value);
  const bn = NUMBER_LIKE.test(b.value);
  if (an !== bn) return an ? -1 : 1;
  if (an) {
    const d = Number(a.value) - Number(b.value);
    if (d !== 0) return d;
  }
  return compareCodePoints(a.normalized, b.normalized) || compareCodePoints(a.value, b.value);
}

function globMatches(pattern: string, name: string): boolean {
  const parts = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`).test(name);
}
