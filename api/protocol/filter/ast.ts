// The filter expression tree (API.md §7). Negated forms (`NOT IN`,
// `NOT EXISTS`, `IS NOT NULL`, `IS NOT EMPTY`) parse to `not` around the
// positive node; `!=` stays a comparison because Meilisearch defines it as the
// complement of `=` (documents without the field match it).
// Every leaf keeps its tokens with their positions in the source string, so
// evaluation errors ("Attribute `x` is not filterable…") can print the
// `start:end filter` line Meilisearch prints.

/**
 * A word or quoted value with its span in `source` (JS string indices,
 * 0-based, end exclusive; for a quoted value, the text inside the quotes).
 * `value` is the unescaped text.
 */
export interface Token {
  value: string;
  start: number;
  end: number;
  source: string;
}

export type Comparator = '=' | '!=' | '>' | '>=' | '<' | '<=';

export type FilterExpr =
  | { kind: 'and'; children: FilterExpr[] }
  | { kind: 'or'; children: FilterExpr[] }
  | { kind: 'not'; child: FilterExpr }
  | { kind: 'compare'; field: Token; op: Comparator; value: Token }
  | { kind: 'range'; field: Token; from: Token; to: Token }
  | { kind: 'in'; field: Token; values: Token[] }
  | { kind: 'exists'; field: Token }
  | { kind: 'isNull'; field: Token }
  | { kind: 'isEmpty'; field: Token }
  | {
    kind: 'geoRadius'; token: Token; lat: number; lng: number; radiusMeters: number; args: GeoRadiusArgs;
    /** The optional fourth argument (geojson resolution); checked, otherwise unused without `_geojson`. */
    resolution: Token | null;
  }
  | { kind: 'geoBoundingBox'; token: Token; topRight: [number, number]; bottomLeft: [number, number]; args: GeoBoxArgs };

/**
 * The argument tokens of a geo expression, as written (float syntax). Their
 * numbers may be non-finite (`1e400`) and out of range: Meilisearch reports
 * both when it evaluates the filter, pointing at the argument, so they are
 * kept for the evaluator. A geo node's `token` is its first argument (the
 * latitude), where Meilisearch points a "not filterable" error.
 */
export type GeoRadiusArgs = [lat: Token, lng: Token, radius: Token];
export type GeoBoxArgs = [topRightLat: Token, topRightLng: Token, bottomLeftLat: Token, bottomLeftLng: Token];
