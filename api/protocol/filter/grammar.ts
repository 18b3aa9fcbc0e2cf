// The filter grammar (Meilisearch filter-parser `lib.rs`), ported so that the
// same string gives the same tree or the same error at the same place:
//   filter     = or EOF
//   or         = and ("OR" and)*        and = not ("AND" not)*
//   not        = "NOT" not | primary    (NOT NOT x is x)
//   primary    = "(" or ")" | geo | in | condition | … (conditions.ts)
// Depth is counted the way Meilisearch counts it (each of or/and/not/primary
// adds one, a limit of 200), so nesting fails at the same point.
import type { Token } from './ast.ts';
import {
  parseCondition, parseContains, parseExists, parseIn, parseIsEmpty, parseIsNotEmpty,
  parseIsNotNull, parseIsNull, parseNotContains, parseNotExists, parseNotIn,
  parseNotStartsWith, parseStartsWith, parseTo,
} from './conditions.ts';
import { parseGeoBoundingBox, parseGeoRadius, reservedGeo } from './geo-syntax.ts';
import { cut, done, error, failure, keyword, spaces, type Res } from './nom.ts';
import type { RawNode } from './raw-node.ts';

const MAX_FILTER_DEPTH = 200;

type Parser = (src: string, pos: number) => Res<RawNode>;

function geoRadius(src: string, pos: number): Res<RawNode> {
  const r = parseGeoRadius(src, pos);
  if (!r.ok) return r;
  const [lat, lng, radius, resolution] = r.value;
  return done(r.pos, {
    kind: 'geoRadius', token: lat, lat: Number(lat.value), lng: Number(lng.value),
    radiusMeters: Number(radius.value), args: [lat, lng, radius], resolution,
  });
}

function geoBoundingBox(src: string, pos: number): Res<RawNode> {
  const r = parseGeoBoundingBox(src, pos);
  if (!r.ok) return r;
  const [a, b, c, d] = r.value.map((t: Token) => Number(t.value)) as [number, number, number, number];
  return done(r.pos, { kind: 'geoBoundingBox', token: r.value[0], topRight: [a, b], bottomLeft: [c, d], args: r.value });
}

function geoReserved(src: string, pos: number): Res<RawNode> {
  return reservedGeo(src, pos) ?? error(src, 'ReservedGeo', pos);
}

/** A keyword used as a field (`AND = 8`) is reported as such instead of "expected an operation". */
function reservedKeyword(src: string, pos: number): Res<RawNode> {
  const r = parseCondition(src, pos);
  if (r.ok) return r;
  return { ...r, cut: r.kind === 'ExpectedValueKeyword' };
}

const PRIMARIES: Parser[] = [
  geoRadius, geoBoundingBox, parseIn, parseNotIn, parseCondition, parseIsNull, parseIsNotNull,
  parseIsEmpty, parseIsNotEmpty, parseExists, parseNotExists, parseTo, parseContains,
  parseNotContains, parseStartsWith, parseNotStartsWith, geoReserved, reservedKeyword,
];

function parsePrimary(src: string, pos: number, depth: number): Res<RawNode> {
  if (depth > MAX_FILTER_DEPTH) return error(src, 'DepthLimitReached', pos);
  const open = spaces(src, pos);
  if (src[open] === '(') {
    const inner = cut(parseOr(src, spaces(src, open + 1), depth + 1));
    if (!inner.ok) return inner;
    const close = spaces(src, inner.pos);
    if (src[close] !== ')') return failure(src, 'MissingClosingDelimiter', pos, src.length, ')');
    return done(spaces(src, close + 1), inner.value);
  }
  for (const parser of PRIMARIES) {
    const r = parser(src, pos);
    if (r.ok || r.cut) return r;
  }
  return error(src, 'InvalidPrimary', pos);
}

function parseNot(src: string, pos: number, depth: number): Res<RawNode> {
  if (depth > MAX_FILTER_DEPTH) return error(src, 'DepthLimitReached', pos);
  const k = keyword(src, pos, 'NOT');
  if (!k.ok) return parsePrimary(src, pos, depth + 1);
  const inner = cut(parseNot(src, k.pos, depth + 1));
  if (!inner.ok) return inner;
  const node = inner.value;
  return done(inner.pos, node.kind === 'not' ? node.child : { kind: 'not', child: node });
}

/** `operand (word operand)*`, flattened into one node when the word repeats. */
function parseChain(
  src: string, pos: number, depth: number, word: 'AND' | 'OR',
  operand: (src: string, pos: number, depth: number) => Res<RawNode>,
): Res<RawNode> {
  if (depth > MAX_FILTER_DEPTH) return error(src, 'DepthLimitReached', pos);
  const first = operand(src, pos, depth + 1);
  if (!first.ok) return first;
  const children = [first.value];
  let p = first.pos;
  for (;;) {
    const k = keyword(src, p, word);
    if (!k.ok) break;
    const next = cut(operand(src, k.pos, depth + 1));
    if (!next.ok) return next;
    children.push(next.value);
    p = next.pos;
  }
  if (children.length === 1) return first;
  return done(p, { kind: word === 'AND' ? 'and' : 'or', children });
}

const parseAnd = (src: string, pos: number, depth: number) => parseChain(src, pos, depth, 'AND', parseNot);
const parseOr = (src: string, pos: number, depth: number): Res<RawNode> =>
  parseChain(src, pos, depth, 'OR', parseAnd);

/** The whole string as one expression, or the failure to report. */
export function parseExpression(src: string): Res<RawNode> {
  const r = parseOr(src, 0, 0);
  if (!r.ok) return r;
  if (r.pos !== src.length) return error(src, 'ExpectedEof', r.pos);
  return r;
}
