// The geo expressions of the filter grammar: `_geoRadius(lat, lng, meters)`,
// `_geoBoundingBox([lat, lng], [lat, lng])`, and the reserved names
// `_geoPoint`, `_geoDistance` and `_geo` that are refused as expressions.
// Once the keyword is read, any syntax problem is a Failure carrying the
// expression's usage message, as in Meilisearch. Arguments stay tokens:
// their range checks are evaluation errors there, so they are here too.
import type { Token } from './ast.ts';
import { done, error, failure, spaces, token, wordExact, type Fail, type Res } from './nom.ts';

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

function skipDigits(src: string, pos: number): number {
  let p = pos;
  while (isDigit(src[p])) p++;
  return p;
}

/** nom `recognize_float`: [+-] (digits [. digits?] | . digits) [(e|E) [+-] digits]. */
export function recognizeFloat(src: string, pos: number): Res<Token> {
  let p = pos;
  if (src[p] === '+' || src[p] === '-') p++;
  if (isDigit(src[p])) {
    p = skipDigits(src, p);
    if (src[p] === '.') p = skipDigits(src, p + 1);
  } else if (src[p] === '.' && isDigit(src[p + 1])) {
    p = skipDigits(src, p + 1);
  } else {
    return error(src, 'Internal', p, src.length, 'Char');
  }
  if (src[p] === 'e' || src[p] === 'E') {
    let q = p + 1;
    if (src[q] === '+' || src[q] === '-') q++;
    if (!isDigit(src[q])) return failure(src, 'Internal', q, src.length, 'Digit');
    p = skipDigits(src, q);
  }
  return done(p, token(src, pos, p));
}

function spacedFloat(src: string, pos: number): Res<Token> {
  const f = recognizeFloat(src, spaces(src, pos));
  return f.ok ? done(spaces(src, f.pos), f.value) : f;
}

/** nom `separated_list1(tag(","), item)`. */
function commaList<T>(src: string, pos: number, item: (src: string, pos: number) => Res<T>): Res<T[]> {
  const first = item(src, pos);
  if (!first.ok) return first;
  const items = [first.value];
  let p = first.pos;
  while (src[p] === ',') {
    const next = item(src, p + 1);
    if (!next.ok) {
      if (next.cut) return next;
      break;
    }
    items.push(next.value);
    p = next.pos;
  }
  return done(p, items);
}

function pointList(src: string, pos: number): Res<Token[]> {
  const p = spaces(src, pos);
  if (src[p] !== '[') return error(src, 'Char', p, src.length, '[');
  const list = commaList(src, p + 1, spacedFloat);
  if (!list.ok) return list;
  if (src[list.pos] !== ']') return error(src, 'Char', list.pos, src.length, ']');
  return done(spaces(src, list.pos + 1), list.value);
}

/** `_geoRadius(lat, lng, radius[, resolution])`: an Error before the keyword, a Failure after it. */
export function parseGeoRadius(src: string, pos: number): Res<[Token, Token, Token, Token | null]> {
  const args = parseGeoCall(src, pos, '_geoRadius', 'GeoRadius', spacedFloat);
  if (!args.ok) return args;
  const [lat, lng, radius, resolution] = args.value;
  if (args.value.length > 4 || !lat || !lng || !radius) return failure(src, 'GeoRadius', args.pos);
  return done(args.pos, [lat, lng, radius, resolution ?? null]);
}

export function parseGeoBoundingBox(src: string, pos: number): Res<[Token, Token, Token, Token]> {
  const args = parseGeoCall(src, pos, '_geoBoundingBox', 'GeoBoundingBox', pointList);
  if (!args.ok) return args;
  const [topRight, bottomLeft] = args.value;
  if (args.value.length !== 2 || topRight?.length !== 2 || bottomLeft?.length !== 2) {
    return failure(src, 'GeoBoundingBox', args.pos);
  }
  return done(args.pos, [topRight[0]!, topRight[1]!, bottomLeft[0]!, bottomLeft[1]!]);
}

function parseGeoCall<T>(
  src: string, pos: number, name: string, kind: 'GeoRadius' | 'GeoBoundingBox',
  item: (src: string, pos: number) => Res<T>,
): Res<T[]> {
  const w = wordExact(src, spaces(src, pos), name);
  if (!w.ok) return error(src, kind, pos);
  if (src[w.pos] !== '(') return failure(src, kind, pos);
  const list = commaList(src, w.pos + 1, item);
  if (!list.ok || src[list.pos] !== ')') return failure(src, kind, pos);
  return done(list.pos + 1, list.value);
}

/**
 * `_geoPoint(…)`, `_geoDistance(…)` and `_geo(…)` used as an expression or a
 * value: a Failure as soon as the name is read (the first two by prefix, as
 * nom's `tag`; `_geo` as a whole word).
 */
export function reservedGeo(src: string, pos: number): Fail | null {
  const p = spaces(src, pos);
  for (const name of ['_geoPoint', '_geoDistance']) {
    if (src.startsWith(name, p)) return failure(src, 'ReservedGeo', pos, src.length, name);
  }
  if (wordExact(src, p, '_geo').ok) return failure(src, 'ReservedGeo', pos, src.length, '_geo');
  return null;
}
