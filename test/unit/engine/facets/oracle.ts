// Test oracle: filter semantics evaluated by walking each document, written
// independently of the FacetStore's indexes. It states Meilisearch's rules
// directly: values are flattened with dots through objects and arrays; a
// value counts as NULL or EMPTY only where it stands, not inside an array;
// `=` compares the normalized string or the number; `<`/`>`/`TO` compare
// numbers and also string keys in byte order against the raw operand; NOT
// and `!=` complement; a field no document ever had matches nothing.
import type { FilterExpr, Token } from '../../../../api/protocol/filter/ast.ts';
import { facetKey, normalizeFacet, parseFiniteFloat } from '../../../../engine/facets/normalize.ts';
import { compareBytes } from '../../../../engine/facets/rules.ts';

export interface Facts {
  exists: boolean;
  isNull: boolean;
  isEmpty: boolean;
  strings: Set<string>;
  numbers: Set<number>;
}

type Doc = Record<string, unknown>;

/** Every dotted path of a document with what it holds (legacy rules: every path is faceted). */
export function factsOf(doc: Doc): Map<string, Facts> {
  const out = new Map<string, Facts>();
  const at = (path: string): Facts => {
    let f = out.get(path);
    if (!f) {
      f = { exists: false, isNull: false, isEmpty: false, strings: new Set(), numbers: new Set() };
      out.set(path, f);
    }
    return f;
  };
  const hold = (path: string, v: unknown, inArray: boolean): void => {
    const f = at(path);
    f.exists = true;
    if (typeof v === 'number') f.numbers.add(v === 0 ? 0 : v);
    else if (typeof v === 'boolean') f.strings.add(String(v));
    else if (typeof v === 'string') {
      if (v !== '') f.strings.add(facetKey(v));
      else if (!inArray) f.isEmpty = true;
    } else if (v === null) {
      if (!inArray) f.isNull = true;
    } else if (Array.isArray(v)) {
      if (v.length === 0 && !inArray) f.isEmpty = true;
      for (const item of v) hold(path, item, true);
    } else {
      const entries = Object.entries(v as Doc);
      if (entries.length === 0 && !inArray) f.isEmpty = true;
      for (const [k, x] of entries) hold(`${path}.${k}`, x, false);
    }
  };
  for (const [k, v] of Object.entries(doc)) hold(k, v, false);
  return out;
}

function equals(f: Facts | undefined, value: Token): boolean {
  if (!f) return false;
  const n = parseFiniteFloat(value.value);
  return f.strings.has(normalizeFacet(value.value)) || (n !== null && f.numbers.has(n === 0 ? 0 : n));
}

function inRange(f: Facts | undefined, lo: [string, boolean] | null, hi: [string, boolean] | null): boolean {
  if (!f) return false;
  const okNum = (n: number, b: [string, boolean] | null, sign: 1 | -1) => {
    if (!b) return true;
    const x = parseFiniteFloat(b[0])!;
    return b[1] ? sign * (n - x) >= 0 : sign * (n - x) > 0;
  };
  const numeric = (!lo || parseFiniteFloat(lo[0]) !== null) && (!hi || parseFiniteFloat(hi[0]) !== null);
  if (numeric && [...f.numbers].some((n) => okNum(n, lo, 1) && okNum(n, hi, -1))) return true;
  const okStr = (s: string, b: [string, boolean] | null, sign: 1 | -1) =>
    !b || (b[1] ? sign * compareBytes(s, b[0]) >= 0 : sign * compareBytes(s, b[0]) > 0);
  return [...f.strings].some((s) => okStr(s, lo, 1) && okStr(s, hi, -1));
}

/** Whether one document matches; `known` is every path any document of the index ever had. */
export function matches(e: FilterExpr, facts: Map<string, Facts>, known: Set<string>): boolean {
  switch (e.kind) {
    case 'and': return e.children.every((c) => matches(c, facts, known));
    case 'or': return e.children.some((c) => matches(c, facts, known));
    case 'not': return !matches(e.child, facts, known);
    case 'geoRadius':
    case 'geoBoundingBox': throw new Error('the oracle does not cover geo');
    default: break;
  }
  const f = facts.get(e.field.value);
  switch (e.kind) {
    case 'exists': return f?.exists ?? false;
    case 'isNull': return f?.isNull ?? false;
    case 'isEmpty': return f?.isEmpty ?? false;
    case 'in': return e.values.some((v) => equals(f, v));
    case 'range': return inRange(f, [e.from.value, true], [e.to.value, true]);
    case 'compare': {
      const v = e.value.value;
      switch (e.op) {
        case '=': return equals(f, e.value);
        case '!=': return known.has(e.field.value) && !equals(f, e.value);
        case '>': return inRange(f, [v, false], null);
        case '>=': return inRange(f, [v, true], null);
        case '<': return inRange(f, null, [v, false]);
        case '<=': return inRange(f, null, [v, true]);
      }
    }
  }
}
