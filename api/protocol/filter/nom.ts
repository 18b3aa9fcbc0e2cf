// The few parser-combinator pieces the filter grammar is built from, shaped
// like the nom primitives Meilisearch's parser uses so that the port keeps
// its error behaviour: a recoverable `Error` lets an alternative be tried, a
// `Failure` (after a `cut`) stops the whole parse. Every failure carries its
// kind and the context span the final message quotes and locates.
import type { Token } from './ast.ts';
import { charAt, isMultispace, isValueComponent } from './chars.ts';

export type Kind =
  | 'ReservedGeo' | 'GeoRadius' | 'GeoBoundingBox' | 'MisusedGeoRadius' | 'MisusedGeoBoundingBox'
  | 'InvalidPrimary' | 'InvalidEscapedNumber' | 'ExpectedEof' | 'ExpectedValueKeyword'
  | 'ExpectedValueOther' | 'MalformedValue' | 'InOpeningBracket' | 'InClosingBracket'
  | 'InExpectedValueKeyword' | 'InExpectedValueOther' | 'ReservedKeyword' | 'MissingClosingDelimiter'
  | 'Char' | 'Internal' | 'DepthLimitReached';

/** A failed parse: `cut` marks a nom Failure; `detail` holds a word, a char or a nom kind name. */
export interface Fail {
  ok: false;
  cut: boolean;
  kind: Kind;
  detail: string;
  start: number;
  end: number;
}

export interface Done<T> {
  ok: true;
  pos: number;
  value: T;
}

export type Res<T> = Done<T> | Fail;

export function done<T>(pos: number, value: T): Done<T> {
  return { ok: true, pos, value };
}

/** A recoverable error whose context runs from `start` to `end` (default: the end of input). */
export function error(src: string, kind: Kind, start: number, end = src.length, detail = ''): Fail {
  return { ok: false, cut: false, kind, detail, start, end };
}

export function failure(src: string, kind: Kind, start: number, end = src.length, detail = ''): Fail {
  return { ok: false, cut: true, kind, detail, start, end };
}

/** nom `cut`: an Error becomes a Failure. */
export function cut<T>(result: Res<T>): Res<T> {
  return result.ok || result.cut ? result : { ...result, cut: true };
}

export function token(src: string, start: number, end: number, value = src.slice(start, end)): Token {
  return { value, start, end, source: src };
}

export function skipWhile(src: string, pos: number, pred: (c: string) => boolean): number {
  let p = pos;
  while (p < src.length) {
    const c = charAt(src, p);
    if (!pred(c)) break;
    p += c.length;
  }
  return p;
}

/** nom `multispace0`. */
export function spaces(src: string, pos: number): number {
  return skipWhile(src, pos, isMultispace);
}

/** nom `tag`: the exact text at `pos`. */
export function tag(src: string, pos: number, text: string): Res<Token> {
  if (src.startsWith(text, pos)) return done(pos + text.length, token(src, pos, pos + text.length));
  return error(src, 'Internal', pos, src.length, 'Tag');
}

/** nom `multispace1`. */
export function spaces1(src: string, pos: number): Res<null> {
  const end = spaces(src, pos);
  return end > pos ? done(end, null) : error(src, 'Internal', pos, src.length, 'MultiSpace');
}

/** `take_while1(is_value_component)`: a bare word. */
export function word(src: string, pos: number): Res<Token> {
  const end = skipWhile(src, pos, isValueComponent);
  if (end === pos) return error(src, 'Internal', pos, src.length, 'TakeWhile1');
  return done(end, token(src, pos, end));
}

/** A bare word equal to `text` (so `NOTE` is not the keyword `NOT`). */
export function wordExact(src: string, pos: number, text: string): Res<Token> {
  const w = word(src, pos);
  if (!w.ok) return w;
  if (w.value.value === text) return w;
  return error(src, 'Internal', w.pos, src.length, 'Tag');
}

/** `ws(word_exact(text))`: the keyword with ASCII spaces on both sides. */
export function keyword(src: string, pos: number, text: string): Res<Token> {
  const w = wordExact(src, spaces(src, pos), text);
  return w.ok ? done(spaces(src, w.pos), w.value) : w;
}

const RESERVED = new Set([
  'AND', 'OR', 'IN', 'NOT', 'TO', 'EXISTS', 'IS', 'NULL', 'EMPTY', 'CONTAINS', 'STARTS', 'WITH',
  '_geoRadius', '_geoBoundingBox',
]);

function isKeyword(text: string): boolean {
  return RESERVED.has(text);
}

/** A bare word that is not a reserved keyword. */
export function wordNotKeyword(src: string, pos: number): Res<Token> {
  const w = word(src, pos);
  if (!w.ok) return w;
  if (isKeyword(w.value.value)) return error(src, 'ReservedKeyword', w.pos, src.length, w.value.value);
  return w;
}
