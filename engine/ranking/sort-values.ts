// Sort keys of a document for `sort` and `field:asc|desc` rules: numbers come
// before strings in both directions, a document without the field comes last,
// and a document with several values sorts by its best one (the smallest when
// ascending, the largest when descending), as milli's facet-based sort does.
// Strings compare in their normalized (trimmed, lower-cased) facet form.
import { flattenLeaves } from '../index/flatten.ts';

export type SortValue = number | string | null;

export function normalizeFacetString(s: string): string {
  return s.trim().normalize('NFKD').toLowerCase();
}

export function sortValue(doc: Record<string, unknown>, field: string, ascending: boolean): SortValue {
  // Fast path: a top-level number or string, no flattening.
  const direct = doc[field];
  if (typeof direct === 'number') return direct;
  if (typeof direct === 'string') return normalizeFacetString(direct);
  if (direct === undefined && !field.includes('.')) return null;
  let bestNumber: number | null = null;
  let bestString: string | null = null;
  for (const leaf of flattenLeaves(doc)) {
    if (leaf.path !== field) continue;
    if (typeof leaf.value === 'number') {
      if (bestNumber === null || (ascending ? leaf.value < bestNumber : leaf.value > bestNumber)) bestNumber = leaf.value;
    } else {
      const s = normalizeFacetString(String(leaf.value));
      if (bestString === null || (ascending ? s < bestString : s > bestString)) bestString = s;
    }
  }
  return bestNumber ?? bestString;
}

/** Negative when `a` ranks before `b`. */
export function compareSortValues(a: SortValue, b: SortValue, ascending: boolean): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'string') return -1;
  if (typeof a === 'string' && typeof b === 'number') return 1;
  const order = a < b ? -1 : a > b ? 1 : 0;
  return ascending ? order : -order;
}

/** A sort criterion: a field, or a `_geoPoint(lat, lng)` origin when `point` is set. */
export interface SortCriterion {
  field: string;
  ascending: boolean;
  point?: [number, number];
}

/** The sort step of one document: its key and what the score details report. */
export function sortStep(doc: Record<string, unknown>, c: SortCriterion): { sortKey: SortValue; result: SortResult } {
  if (!c.point) {
    const value = sortValue(doc, c.field, c.ascending);
    return { sortKey: value, result: { kind: 'sort', field: c.field, ascending: c.ascending, value } };
  }
  const geo = geoOf(doc);
  const distance = geo ? haversineMeters(c.point, geo) : null;
  return {
    sortKey: distance,
    result: { kind: 'sort', field: c.field, ascending: c.ascending, value: geo ? { lat: geo[0], lng: geo[1] } : null, geo: { point: c.point, distance } },
  };
}

export interface SortResult {
  kind: 'sort';
  field: string;
  ascending: boolean;
  value: unknown;
  geo?: { point: [number, number]; distance: number | null };
}

/**
 * `_geoDistance` of a hit: whole metres from `point` to the hit's own `_geo`
 * (as retrieved), or null when it has none. Coordinates are numbers or
 * numeric strings, as Meilisearch's `extract_geo_value` reads them.
 */
export function geoDistanceOf(hit: Record<string, unknown>, point: [number, number]): number | null {
  const g = hit._geo as { lat?: unknown; lng?: unknown } | null | undefined;
  if (!g || typeof g !== 'object') return null;
  const lat = coordinate(g.lat);
  const lng = coordinate(g.lng);
  return lat === null || lng === null ? null : Math.round(haversineMeters(point, [lat, lng]));
}

function coordinate(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) return null;
  return Number(v);
}

function geoOf(doc: Record<string, unknown>): [number, number] | null {
  const g = doc._geo as { lat?: unknown; lng?: unknown } | null | undefined;
  if (!g || typeof g !== 'object') return null;
  const lat = Number(g.lat);
  const lng = Number(g.lng);
  return Number.isFinite(lat) && Number.isFinite(lng) ? [lat, lng] : null;
}

/** Great-circle distance in metres (haversine, mean Earth radius as in geoutils). */
export function haversineMeters(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[0] - a[0]) * rad;
  const dLng = (b[1] - a[1]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}
