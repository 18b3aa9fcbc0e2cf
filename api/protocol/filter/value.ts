// A value of the filter grammar (a field name or an operand): a bare word
// that is not a keyword, or a 'single' / "double" quoted string where `\'`
// or `\"` escapes the quote, then the escape sequences of unescape.ts.
// Leading Unicode whitespace and trailing ASCII spaces are consumed. Geo
// expressions in value position are refused with Meilisearch's messages.
import type { Token } from './ast.ts';
import { charAt, isSyntaxComponent, isWhitespace } from './chars.ts';
import { parseGeoBoundingBox, parseGeoRadius, reservedGeo } from './geo-syntax.ts';
import { done, error, failure, skipWhile, spaces, token, wordNotKeyword, type Res } from './nom.ts';
import { unescape } from './unescape.ts';

/** The inside of a quoted string up to (not including) the closing quote or the end. */
function quotedBy(src: string, quote: string, pos: number): Res<Token> {
  let escaped = false;
  let p = pos;
  while (p < src.length) {
    const c = charAt(src, p);
    if (c === quote) return done(p, quotedToken(src, pos, p, quote, escaped));
    if (c === '\\') {
      const next = charAt(src, p + 1);
      if (next === '') return error(src, 'MalformedValue', pos);
      escaped ||= next === quote;
      p += 1 + next.length;
      continue;
    }
    p += c.length;
  }
  return done(p, quotedToken(src, pos, p, quote, escaped));
}

function quotedToken(src: string, start: number, end: number, quote: string, escaped: boolean): Token {
  const raw = src.slice(start, end);
  return token(src, start, end, escaped ? raw.split(`\\${quote}`).join(quote) : raw);
}

function quotedOrWord(src: string, pos: number): Res<Token> {
  const c = src[pos];
  if (c !== "'" && c !== '"') return wordNotKeyword(src, pos);
  const inner = quotedBy(src, c, pos + 1);
  if (!inner.ok) return { ...inner, cut: true };
  if (src[inner.pos] !== c) return failure(src, 'Char', inner.pos, src.length, c);
  return done(inner.pos + 1, inner.value);
}

export function parseValue(src: string, pos: number): Res<Token> {
  const p = skipWhile(src, pos, isWhitespace);
  const geo = reservedGeo(src, p);
  if (geo) return geo;
  const radius = parseGeoRadius(src, p);
  if (radius.ok || radius.cut) return failure(src, 'MisusedGeoRadius', p);
  const box = parseGeoBoundingBox(src, p);
  if (box.ok || box.cut) return failure(src, 'MisusedGeoBoundingBox', p);

  const r = quotedOrWord(src, p);
  if (!r.ok && !r.cut) {
    const kind = r.kind === 'ReservedKeyword' ? 'ExpectedValueKeyword' : 'ExpectedValueOther';
    return error(src, kind, p, skipWhile(src, p, (c) => !isSyntaxComponent(c)));
  }
  if (!r.ok) {
    return r.kind === 'Char' ? failure(src, 'MissingClosingDelimiter', p, src.length, r.detail) : r;
  }
  const value = r.value;
  const unescaped = unescape(value.value);
  if (unescaped.ok) {
    const modified = unescaped.value === value.value ? value : { ...value, value: unescaped.value };
    return done(spaces(src, r.pos), modified);
  }
  // An incomplete escape (`\u12`) makes Meilisearch's parser panic; it is
  // reported here as the malformed value it is.
  if (unescaped.error === 'incomplete') return failure(src, 'MalformedValue', value.start, value.end);
  const kind = unescaped.error === 'parseInt' ? 'InvalidEscapedNumber' : 'MalformedValue';
  return error(src, kind, value.start, value.end);
}
