// Character classes and positions of the filter grammar, matching the Rust
// definitions Meilisearch's parser uses (`char::is_whitespace`,
// `char::is_alphanumeric`, nom's ASCII `multispace`), so that the same input
// splits into the same words here and there.
// Offsets are JS string indices (UTF-16 units); error columns are counted in
// Unicode scalar values per line, as nom_locate's `get_utf8_column` does.

/** Rust `char::is_whitespace`: the Unicode White_Space property. */
export function isWhitespace(c: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u.test(c);
}

/** nom's `multispace0/1`: only ASCII space, tab, CR and LF. */
export function isMultispace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

/** A character of a bare word: Rust `is_alphanumeric`, `_`, `-` or `.`. */
export function isValueComponent(c: string): boolean {
  return c === '_' || c === '-' || c === '.' || /^[\p{Alphabetic}\p{N}]$/u.test(c);
}

/** Characters that end the "word" quoted back in a value error. */
export function isSyntaxComponent(c: string): boolean {
  return isWhitespace(c) || c === '(' || c === ')' || c === '=' || c === '<' || c === '>' || c === '!';
}

/** The code point starting at `pos`, as a string of one or two UTF-16 units. */
export function charAt(src: string, pos: number): string {
  const code = src.codePointAt(pos);
  return code === undefined ? '' : String.fromCodePoint(code);
}

/** Rust `str::trim().is_empty()`. */
export function isBlank(text: string): boolean {
  for (const c of text) if (!isWhitespace(c)) return false;
  return true;
}

/** 1-based column of `pos` in its line, in code points. */
export function columnOf(src: string, pos: number): number {
  const lineStart = src.lastIndexOf('\n', pos - 1) + 1;
  return [...src.slice(lineStart, pos)].length + 1;
}

export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Rust `str::escape_debug`: quotes, backslash and control characters are
 * escaped; a leading combining mark and non-printable characters become
 * `\u{hex}`.
 */
export function escapeDebug(text: string): string {
  let out = '';
  let first = true;
  for (const c of text) {
    out += escapeChar(c, first);
    first = false;
  }
  return out;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\0': '\\0', '\t': '\\t', '\r': '\\r', '\n': '\\n', '\\': '\\\\', '"': '\\"', "'": "\\'",
};

function escapeChar(c: string, first: boolean): string {
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return simple;
  const unprintable = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cn}\p{Co}\p{Cs}\p{Zs}]$/u.test(c) && c !== ' ';
  if (unprintable || (first && /^\p{Grapheme_Extend}$/u.test(c))) {
    return `\\u{${c.codePointAt(0)!.toString(16)}}`;
  }
  return c;
}
