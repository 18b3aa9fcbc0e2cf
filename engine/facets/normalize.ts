// Facet values as Meilisearch stores and compares them (milli
// `normalize_facet`, `truncate_str`, f64 `Display`):
// - a string facet is trimmed (Unicode White_Space), NFKD-decomposed and
//   lower-cased, then cut to at most 468 UTF-8 bytes on a character boundary;
// - booleans are the strings "true" / "false";
// - a filter operand is also compared as a number when Rust's `f64::from_str`
//   reads it as a finite float;
// - numbers are shown (facetDistribution keys) the way Rust prints an f64:
//   shortest round-trip digits, never in exponent notation.
import { isWhitespace } from '../../api/protocol/filter/chars.ts';

const MAX_FACET_VALUE_BYTES = 468;

const ASCII_WHITESPACE = /^[\t\n\v\f\r ]$/;

function trimWhitespace(s: string): string {
  // Most values start and end with a visible ASCII character: nothing to trim.
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  if (first < 0x80 && last < 0x80 && !ASCII_WHITESPACE.test(s[0]!) && !ASCII_WHITESPACE.test(s[s.length - 1]!)) return s;
  const chars = [...s];
  let start = 0;
  let end = chars.length;
  while (start < end && isWhitespace(chars[start]!)) start++;
  while (end > start && isWhitespace(chars[end - 1]!)) end--;
  return chars.slice(start, end).join('');
}

/** Meilisearch `normalize_facet`: what `=` compares and what facet keys are made of. */
export function normalizeFacet(original: string): string {
  return trimWhitespace(original).normalize('NFKD').toLowerCase();
}

/** The longest prefix of `s` whose UTF-8 encoding fits the facet key limit. */
export function truncateFacet(s: string): string {
  let bytes = 0;
  let end = 0;
  for (const c of s) {
    const code = c.codePointAt(0)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > MAX_FACET_VALUE_BYTES) break;
    bytes += size;
    end += c.length;
  }
  return s.slice(0, end);
}

const KEY_CACHE_MAX = 50_000;
const keyCache = new Map<string, string>();

/** The key a string facet value is stored under (memoized: documents repeat their values). */
export function facetKey(original: string): string {
  let key = keyCache.get(original);
  if (key === undefined) {
    key = truncateFacet(normalizeFacet(original));
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
    keyCache.set(original, key);
  }
  return key;
}

const RUST_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Rust `f64::from_str` followed by the finiteness check of `parse_finite_float`. */
export function parseFiniteFloat(text: string): number | null {
  if (!RUST_FLOAT.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** Rust's `Display` for f64: `1`, `1.5`, `-0`, `1000000000000000000000`, `0.0000001`. */
export { printF64 as formatF64 } from '../../runtime/merge/facet-value.ts';
