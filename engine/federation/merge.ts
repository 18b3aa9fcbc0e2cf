// The federated merge of multi-search (API.md §4.5), pure: each query's hits
// arrive in that query's ranking order with their `_rankingScore`; they are
// k-way merged by their weighted score values (score-values.ts: rule groups
// and sort values compared in order, the weighted global score
// `_rankingScore × weight` as the fallback; biggest first, ties to the lower
// query position, each query's own order kept), a federation-level
// `distinct` drops later hits with an already seen value, and the window
// (offset/limit) is applied after the merge.
import type { Document } from '../core/contracts.ts';
import { compareHits, weightedScoreValues, type ScoreValue } from './score-values.ts';

export interface QueryHits {
  readonly queryIndex: number;
  readonly indexUid: string;
  readonly weight: number;
  /** The index's primary key: a document reached by two queries of one index is shown once. */
  readonly primaryKey?: string | null;
  /** Hits in the query's ranking order; each carries `_rankingScore`. */
  readonly hits: readonly Document[];
}

export interface MergedHit {
  readonly hit: Document;
  readonly indexUid: string;
  readonly queryIndex: number;
  readonly weightedRankingScore: number;
}

function score(hit: Document, weight: number): number {
  const s = hit['_rankingScore'];
  return (typeof s === 'number' ? s : 0) * weight;
}

interface Head {
  readonly hit: Document;
  readonly values: readonly ScoreValue[];
  readonly global: number;
}

function headOf(q: QueryHits, cursor: number): Head | undefined {
  const hit = q.hits[cursor];
  if (hit === undefined) return undefined;
  const global = score(hit, q.weight);
  return { hit, values: weightedScoreValues(hit, q.weight) ?? [{ kind: 'score', scores: [global] }], global };
}

/** The full merged order (no window), with distinct applied. */
export function mergeHits(queries: readonly QueryHits[], distinct: string | null): { merged: MergedHit[]; rejected: number } {
  const cursors = queries.map(() => 0);
  const merged: MergedHit[] = [];
  const seen = new Set<string>();
  const shown = new Set<string>();
  let rejected = 0;
  for (;;) {
    let best = -1;
    let bestHead: Head | undefined;
    queries.forEach((q, i) => {
      const head = headOf(q, cursors[i] as number);
      if (head === undefined) return;
      const current = queries[best];
      const order = bestHead === undefined ? 1 : compareHits(head.values, head.global, bestHead.values, bestHead.global);
      if (order > 0 || (order === 0 && current !== undefined && q.queryIndex < current.queryIndex)) {
        best = i;
        bestHead = head;
      }
    });
    const q = queries[best];
    if (q === undefined || bestHead === undefined) break;
    cursors[best] = (cursors[best] as number) + 1;
    const docKey = documentKey(q, bestHead.hit);
    if (docKey !== null) {
      if (shown.has(docKey)) continue;
      shown.add(docKey);
    }
    if (distinct !== null && isDuplicate(bestHead.hit, distinct, seen)) {
      rejected++;
      continue;
    }
    merged.push({ hit: bestHead.hit, indexUid: q.indexUid, queryIndex: q.queryIndex, weightedRankingScore: bestHead.global });
  }
  return { merged, rejected };
}

function documentKey(q: QueryHits, hit: Document): string | null {
  if (q.primaryKey === null || q.primaryKey === undefined) return null;
  const id = hit[q.primaryKey];
  return id === undefined ? null : `${q.indexUid}\u0000${JSON.stringify(id)}`;
}

function valueAt(doc: Document, path: string): unknown {
  if (path in doc) return doc[path];
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function isDuplicate(hit: Document, field: string, seen: Set<string>): boolean {
  const value = valueAt(hit, field);
  if (value === undefined || value === null) return false;
  const keys = (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' ? `s:${v.trim().toLowerCase()}` : `v:${JSON.stringify(v)}`));
  if (keys.some((k) => seen.has(k))) return true;
  for (const k of keys) seen.add(k);
  return false;
}

const TRAILING_KEYS = ['_formatted', '_matchesPosition', '_rankingScore', '_rankingScoreDetails'];

/**
 * The hit as federated search shows it: `_federation` after the document's
 * own fields and before the `_formatted`/score keys; `_rankingScore` and
 * `_rankingScoreDetails` only when the query asked for them.
 */
export function federatedHit(merged: MergedHit, keep: { rankingScore: boolean; rankingScoreDetails: boolean }): Document {
  const out: Document = {};
  for (const [k, v] of Object.entries(merged.hit)) if (!TRAILING_KEYS.includes(k)) out[k] = v;
  out['_federation'] = { indexUid: merged.indexUid, queriesPosition: merged.queryIndex, weightedRankingScore: merged.weightedRankingScore };
  for (const k of TRAILING_KEYS) {
    if (!(k in merged.hit)) continue;
    if (k === '_rankingScore' && !keep.rankingScore) continue;
    if (k === '_rankingScoreDetails' && !keep.rankingScoreDetails) continue;
    out[k] = merged.hit[k];
  }
  return out;
}

export interface ComputedFacets {
  distribution: Record<string, Record<string, number>>;
  stats: Record<string, { min: number; max: number }>;
}

/**
 * `mergeFacets`: counts summed across indexes, stats combined, values
 * re-ordered per facet (alpha: byte order of the value; count: biggest
 * first) and truncated to `maxValuesPerFacet` when given.
 */
export function mergeFacets(perIndex: readonly ComputedFacets[], orderOf: (facet: string) => 'alpha' | 'count', maxValuesPerFacet: number | null): ComputedFacets {
  const distribution: Record<string, Record<string, number>> = {};
  const stats: Record<string, { min: number; max: number }> = {};
  for (const facets of perIndex) {
    for (const [facet, values] of Object.entries(facets.distribution)) {
      const target = (distribution[facet] ??= {});
      for (const [value, count] of Object.entries(values)) target[value] = (target[value] ?? 0) + count;
    }
    for (const [facet, s] of Object.entries(facets.stats)) {
      const current = stats[facet];
      stats[facet] = current === undefined ? { ...s } : { min: Math.min(current.min, s.min), max: Math.max(current.max, s.max) };
    }
  }
  const sorted: Record<string, Record<string, number>> = {};
  for (const facet of Object.keys(distribution).sort(byteOrder)) {
    let entries = Object.entries(distribution[facet] as Record<string, number>);
    entries = orderOf(facet) === 'count'
      ? entries.sort((a, b) => b[1] - a[1])
      : entries.sort((a, b) => byteOrder(a[0], b[0]));
    if (maxValuesPerFacet !== null) entries = entries.slice(0, maxValuesPerFacet);
    sorted[facet] = Object.fromEntries(entries);
  }
  const sortedStats: Record<string, { min: number; max: number }> = {};
  for (const facet of Object.keys(stats).sort(byteOrder)) sortedStats[facet] = stats[facet] as { min: number; max: number };
  return { distribution: sorted, stats: sortedStats };
}

export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
