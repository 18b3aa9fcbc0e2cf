// The leaf expressions of the filter grammar, one parser per form, ported
// from Meilisearch's filter-parser `condition.rs` and `parse_in`:
// `a op v`, `a IS [NOT] NULL|EMPTY`, `a [NOT] EXISTS`, `a v1 TO v2`,
// `a [NOT] IN [..]`, `a [NOT] CONTAINS v`, `a [NOT] STARTS WITH v`.
// Keywords after the field are matched as nom `tag`s (prefixes), exactly as
// there, so the same inputs fail the same way.
import type { Comparator, Token } from './ast.ts';
import { cut, done, error, failure, spaces, spaces1, tag, keyword, wordExact, type Res } from './nom.ts';
import type { RawNode } from './raw-node.ts';
import { parseValue } from './value.ts';

const OPERATORS: Comparator[] = ['<=', '>=', '!=', '<', '>', '='];

export function parseCondition(src: string, pos: number): Res<RawNode> {
  const field = parseValue(src, pos);
  if (!field.ok) return field;
  const op = OPERATORS.find((o) => src.startsWith(o, field.pos));
  if (op === undefined) return error(src, 'Internal', field.pos, src.length, 'Tag');
  const value = cut(parseValue(src, field.pos + op.length));
  if (!value.ok) return value;
  return done(value.pos, { kind: 'compare', field: field.value, op, value: value.value });
}

/** Consecutive keywords separated by at least one ASCII space (`IS NOT NULL`); returns the last one. */
function keywords(src: string, pos: number, words: string[]): Res<Token> {
  let p = pos;
  let last: Res<Token> = error(src, 'Internal', pos, src.length, 'Tag');
  for (const [i, w] of words.entries()) {
    if (i > 0) {
      const gap = spaces1(src, p);
      if (!gap.ok) return gap;
      p = gap.pos;
    }
    last = tag(src, p, w);
    if (!last.ok) return last;
    p = last.pos;
  }
  return last;
}

/** `field <keywords>` with nothing after: IS NULL, IS NOT EMPTY, EXISTS, NOT EXISTS… */
function fieldThen(
  src: string, pos: number, words: string[], build: (field: Token) => RawNode,
): Res<RawNode> {
  const field = parseValue(src, pos);
  if (!field.ok) return field;
  const k = keywords(src, field.pos, words);
  return k.ok ? done(k.pos, build(field.value)) : k;
}

const not = (child: RawNode): RawNode => ({ kind: 'not', child });

export const parseIsNull = (src: string, pos: number) =>
  fieldThen(src, pos, ['IS', 'NULL'], (field) => ({ kind: 'isNull', field }));
export const parseIsNotNull = (src: string, pos: number) =>
  fieldThen(src, pos, ['IS', 'NOT', 'NULL'], (field) => not({ kind: 'isNull', field }));
export const parseIsEmpty = (src: string, pos: number) =>
  fieldThen(src, pos, ['IS', 'EMPTY'], (field) => ({ kind: 'isEmpty', field }));
export const parseIsNotEmpty = (src: string, pos: number) =>
  fieldThen(src, pos, ['IS', 'NOT', 'EMPTY'], (field) => not({ kind: 'isEmpty', field }));
export const parseExists = (src: string, pos: number) =>
  fieldThen(src, pos, ['EXISTS'], (field) => ({ kind: 'exists', field }));
export const parseNotExists = (src: string, pos: number) =>
  fieldThen(src, pos, ['NOT', 'EXISTS'], (field) => not({ kind: 'exists', field }));

/** `field from TO to`. */
export function parseTo(src: string, pos: number): Res<RawNode> {
  const field = parseValue(src, pos);
  if (!field.ok) return field;
  const from = parseValue(src, field.pos);
  if (!from.ok) return from;
  const to = tag(src, from.pos, 'TO');
  if (!to.ok) return to;
  const gap = spaces1(src, to.pos);
  if (!gap.ok) return gap;
  const upper = cut(parseValue(src, gap.pos));
  if (!upper.ok) return upper;
  return done(upper.pos, { kind: 'range', field: field.value, from: from.value, to: upper.value });
}

/** `field [NOT] CONTAINS word` and `field [NOT] STARTS WITH word`, refused later without the feature. */
function parseContainsLike(src: string, pos: number, words: string[], prefix: boolean): Res<RawNode> {
  const field = parseValue(src, pos);
  if (!field.ok) return field;
  const k = keywords(src, field.pos, words);
  if (!k.ok) return k;
  const word = cut(parseValue(src, k.pos));
  if (!word.ok) return word;
  const node: RawNode = { kind: 'contains', field: field.value, keyword: k.value, word: word.value, prefix };
  return done(word.pos, words[0] === 'NOT' ? not(node) : node);
}

export const parseContains = (src: string, pos: number) => parseContainsLike(src, pos, ['CONTAINS'], false);
export const parseNotContains = (src: string, pos: number) =>
  parseContainsLike(src, pos, ['NOT', 'CONTAINS'], false);
export const parseStartsWith = (src: string, pos: number) => parseContainsLike(src, pos, ['STARTS WITH'], true);
export const parseNotStartsWith = (src: string, pos: number) =>
  parseContainsLike(src, pos, ['NOT', 'STARTS WITH'], true);

/** `value (, value)* ,?`, possibly empty. */
function parseValueList(src: string, pos: number): Res<Token[]> {
  const first = parseValue(src, pos);
  if (!first.ok) return first.cut ? first : done(pos, []);
  const values = [first.value];
  let p = first.pos;
  for (;;) {
    const comma = spaces(src, p);
    if (src[comma] !== ',') break;
    const next = parseValue(src, spaces(src, comma + 1));
    if (!next.ok) {
      if (next.cut) return next;
      break;
    }
    values.push(next.value);
    p = next.pos;
  }
  const trailing = spaces(src, p);
  return done(src[trailing] === ',' ? spaces(src, trailing + 1) : p, values);
}

/** `IN [ values ]`: everything after `IN` is a Failure. */
function parseInBody(src: string, pos: number): Res<Token[]> {
  const k = keyword(src, pos, 'IN');
  if (!k.ok) return k;
  if (src[k.pos] !== '[') return failure(src, 'InOpeningBracket', k.pos);
  const list = cut(parseValueList(src, k.pos + 1));
  if (!list.ok) return list;
  const close = spaces(src, list.pos);
  if (src[close] === ']') return done(spaces(src, close + 1), list.value);
  if (list.pos === src.length) return failure(src, 'InClosingBracket', list.pos);
  const next = parseValue(src, list.pos);
  const reserved = !next.ok && !next.cut && next.kind === 'ReservedKeyword';
  return failure(src, reserved ? 'InExpectedValueKeyword' : 'InExpectedValueOther', list.pos);
}

export function parseIn(src: string, pos: number): Res<RawNode> {
  const field = parseValue(src, pos);
  if (!field.ok) return field;
  const body = parseInBody(src, field.pos);
  return body.ok ? done(body.pos, { kind: 'in', field: field.value, values: body.value }) : body;
}

export function parseNotIn(src: string, pos: number): Res<RawNode> {
  const field = parseValue(src, pos);
  if (!field.ok) return field;
  const notWord = wordExact(src, field.pos, 'NOT');
  if (!notWord.ok) return notWord;
  const body = parseInBody(src, notWord.pos);
  return body.ok ? done(body.pos, not({ kind: 'in', field: field.value, values: body.value })) : body;
}
