// Geo matching over the documents' `_geo` points: within a radius (haversine
// distance, as milli `distance_between_two_points` via geoutils), or inside a
// bounding box whose longitude span may cross the antimeridian.
import { Bitset } from '../core/bitset.ts';
import type { DocId } from '../core/contracts.ts';

const EARTH_RADIUS_METERS = 6_371_008.8;

function haversineMeters(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[0] - a[0]) * rad;
  const dLng = (b[1] - a[1]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function geoRadiusIds(points: ReadonlyMap<DocId, readonly [number, number]>, lat: number, lng: number, radius: number): Bitset {
  const out = new Bitset();
  for (const [id, point] of points) {
    if (haversineMeters([lat, lng], point) <= radius + Number.EPSILON) out.add(id);
  }
  return out;
}

export function geoBoxIds(
  points: ReadonlyMap<DocId, readonly [number, number]>, top: number, right: number, bottom: number, left: number,
): Bitset {
  const out = new Bitset();
  const wraps = right < left;
  for (const [id, [lat, lng]] of points) {
    if (lat < bottom || lat > top) continue;
    const inside = wraps ? lng >= left || lng <= right : lng >= left && lng <= right;
    if (inside) out.add(id);
  }
  return out;
}

/** The `_geo` point of a document: `{lat, lng}` as numbers or numeric strings. */
export function geoPointOf(doc: Record<string, unknown>): [number, number] | null {
  const geo = doc['_geo'];
  if (typeof geo !== 'object' || geo === null || Array.isArray(geo)) return null;
  const read = (v: unknown): number | null => {
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
    return Number.isFinite(n) ? n : null;
  };
  const lat = read((geo as Record<string, unknown>)['lat']);
  const lng = read((geo as Record<string, unknown>)['lng']);
  return lat === null || lng === null ? null : [lat, lng];
}
