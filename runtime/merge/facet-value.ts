// How Meilisearch compares and identifies facet values, shared by the sort
// merge, distinct, facet counts and the documents listing.
//
// - Strings compare by Unicode code point, which is the UTF-8 byte order Rust
//   uses (`String::cmp`). JavaScript's `<` compares UTF-16 code units and
//   differs for characters above U+FFFF against U+E000..U+FFFF.
// - Facet strings are identified by their normalized form: trimmed,
//   compatibility-decomposed (NFKD) and lower-cased (API.md §6), so "Blue" and
//   "blue " are one value.
// - In a sort, numbers come before strings and a missing value comes last,
//   in both directions (milli `compare_sort_values`, API.md §5.2).

/** Negative when a < b by Unicode code point (UTF-8 byte order). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800..DFFF) encode code points above FFFF: move them above E000..FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

export function normalizeFacetString(value: string): string {
  return value.trim().normalize('NFKD').toLowerCase();
}

/**
 * Whether a facet value key is a number as Meilisearch prints one (Rust's
 * f64 Display: plain decimal digits, never an exponent, the shortest form
 * that reads back as the same number). Facet keys are strings in JSON, so
 * this is how the merge tells the numbers (listed first) from the strings; a
 * string value spelled like a printed number is taken for a number.
 */
export function isPrintedNumber(key: string): boolean {
  if (!PRINTED_NUMBER.test(key)) return false;
  const n = Number(key);
  return Number.isFinite(n) && printF64(n) === key;
}

const PRINTED_NUMBER = /^-?\d+(\.\d+)?$/;

/** Rust's `f64` Display: JavaScript's shortest digits, with the exponent written out (shared with engine/). */
export function printF64(n: number): string {
  if (Object.is(n, -0)) return '-0';
  const shortest = String(n);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(shortest);
  if (!match) return shortest;
  const [, sign, whole, fraction = '', exponent] = match;
  const digits = whole! + fraction;
  const point = whole!.length + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** The identities a field value has for distinct: numbers by value, strings and booleans normalized. */
export function facetKeys(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'number') out.push(`n:${value}`);
  else if (typeof value === 'string') out.push(`s:${normalizeFacetString(value)}`);
  else if (typeof value === 'boolean') out.push(`s:${value}`);
  else if (Array.isArray(value)) for (const v of value) facetKeys(v, out);
  return out;
}

/** The value at a dotted path (`a.b`), as a nested object or a flat key with dots. */
export function valueAtPath(doc: Readonly<Record<string, unknown>>, path: string): unknown {
  if (path in doc) return doc[path];
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  const head = doc[path.slice(0, dot)];
  if (typeof head !== 'object' || head === null || Array.isArray(head)) return undefined;
  return valueAtPath(head as Record<string, unknown>, path.slice(dot + 1));
}

/** A sortable facet value: a finite number, a string, or absent (null). */
export type SortValue = number | string | null;

/**
 * Negative when `a` comes first in a sort on this field. Numbers before
 * strings, missing last, whatever the direction.
 */
export function compareSortValues(a: SortValue, b: SortValue, ascending: boolean): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number') {
    if (typeof b !== 'number') return -1;
    return a === b ? 0 : (a < b) === ascending ? -1 : 1;
  }
  if (typeof b === 'number') return 1;
  const c = compareCodePoints(a, b);
  return ascending ? c : -c;
}

/**
 * The value a document is sorted by: for an array, the element it is first
 * met at in the sort (the best one under the direction), strings normalized
 * as in the facet database.
 */
export function sortValueOf(value: unknown, ascending: boolean): SortValue {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return normalizeFacetString(value);
  if (typeof value === 'boolean') return String(value);
  if (!Array.isArray(value)) return null;
  let best: SortValue = null;
  for (const element of value) {
    const v = sortValueOf(element, ascending);
    if (v !== null && (best === null || compareSortValues(v, best, ascending) < 0)) best = v;
  }
  return best;
}
