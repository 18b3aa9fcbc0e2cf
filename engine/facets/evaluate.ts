// Filter evaluation to document-id sets, following milli `Filter::evaluate`:
// 1. every field named by a condition must be filterable, checked first in
//    tree order (the error points at the field's token);
// 2. then the tree is evaluated: AND stops at an empty set and narrows the
//    later operands' universe; NOT and `!=` complement within all documents;
//    a field the index never saw matches nothing (even for `!=`);
//    operator permissions (granular rules) and geo arguments are checked as
//    each condition is reached, so they fail only when evaluated.
// `=` matches the normalized string and, when the operand reads as a finite
// float, the number; `<`, `>`, `TO` match numbers and also string keys in
// byte order against the operand as written, as Meilisearch does.
import { Bitset } from '../core/bitset.ts';
import type { FilterErrorCode } from '../core/contracts.ts';
import type { FilterExpr, Token } from '../../api/protocol/filter/ast.ts';
import { describeAt } from '../../api/protocol/filter/errors.ts';
import { MeiliError } from '../../api/errors/registry.ts';
import { unreachable } from '../../runtime/assert.ts';
import { fieldIndex, type FacetData } from './facet-data.ts';
import type { Bound } from './field-index.ts';
import {
  badLatitude, badLongitude, invalidResolution, NON_FINITE_FLOAT, notFilterable, operatorNotAllowed, topBelowBottom,
} from './messages.ts';
import { normalizeFacet, parseFiniteFloat } from './normalize.ts';
import { compareBytes, isFilterable, matchingFeatures, patternsWhere, type Features } from './rules.ts';
import { geoBoxIds, geoRadiusIds } from './geo.ts';

interface Context {
  data: FacetData;
  fail: (message: string, at?: Token) => never;
}

type Condition = Extract<FilterExpr, { kind: 'compare' | 'range' | 'in' | 'exists' | 'isNull' | 'isEmpty' }>;

export function evaluateFilter(
  filter: FilterExpr, data: FacetData, universe: Bitset, code: FilterErrorCode, indexUid: string,
): Bitset {
  const fail = (message: string, at?: Token): never => {
    const located = at ? describeAt(message, at.source, at.start, at.end) : message;
    throw new MeiliError(code, `Index \`${indexUid}\`: ${located}`);
  };
  const ctx: Context = { data, fail };
  checkFilterable(filter, ctx);
  return evaluate(filter, ctx, null).intersect(universe);
}

function checkFilterable(e: FilterExpr, ctx: Context): void {
  switch (e.kind) {
    case 'and':
    case 'or': for (const child of e.children) checkFilterable(child, ctx); return;
    case 'not': return checkFilterable(e.child, ctx);
    case 'geoRadius':
    case 'geoBoundingBox': return;
    default: {
      const name = e.field.value;
      const rules = ctx.data.settings.filterableAttributes;
      const matched = matchingFeatures(name, rules);
      if (name === '_vectors' || (matched && isFilterable(matched.features))) return;
      ctx.fail(notFilterable(name, patternsWhere(rules, isFilterable)), e.field);
    }
  }
}

function evaluate(e: FilterExpr, ctx: Context, hint: Bitset | null): Bitset {
  if (hint?.isEmpty()) return new Bitset();
  switch (e.kind) {
    case 'not': return (hint ?? ctx.data.all).clone().subtract(evaluate(e.child, ctx, hint));
    case 'or': return e.children.reduce((acc, c) => acc.union(evaluate(c, ctx, hint)), new Bitset());
    case 'and': {
      const [first, ...rest] = e.children;
      if (!first) return new Bitset();
      const result = evaluate(first, ctx, hint);
      for (const child of rest) {
        if (result.isEmpty()) break;
        result.intersect(evaluate(child, ctx, result));
      }
      return result;
    }
    case 'geoRadius': return geoRadius(e, ctx);
    case 'geoBoundingBox': return geoBoundingBox(e, ctx);
    default: return condition(e, ctx);
  }
}

const OPERATOR: Record<Condition['kind'], string> = {
  compare: '', range: 'TO', in: '=', exists: 'EXISTS', isNull: 'IS NULL', isEmpty: 'IS EMPTY',
};

function allowedOperators(f: Features): string[] {
  const ops = ['OR', 'AND', 'NOT'];
  if (f.equality) ops.push('=', '!=', 'IN');
  if (f.comparison) ops.push('<', '>', '<=', '>=', 'TO');
  return [...ops, 'IS EMPTY', 'IS NULL', 'EXISTS'];
}

function condition(e: Condition, ctx: Context): Bitset {
  const name = e.field.value;
  const matched = matchingFeatures(name, ctx.data.settings.filterableAttributes);
  if (!ctx.data.known.has(name) || !matched) return new Bitset();
  const operator = e.kind === 'compare' ? e.op : OPERATOR[e.kind];
  const equality = ['=', '!='].includes(operator);
  const comparison = ['<', '>', '<=', '>=', 'TO'].includes(operator);
  if ((equality && !matched.features.equality) || (comparison && !matched.features.comparison)) {
    ctx.fail(operatorNotAllowed(name, allowedOperators(matched.features), operator, matched.ruleIndex));
  }
  const index = fieldIndex(ctx.data, name);
  switch (e.kind) {
    case 'exists': return index.exists.clone();
    case 'isNull': return index.nulls.clone();
    case 'isEmpty': return index.empties.clone();
    case 'in': {
      const out = sizedForAll(ctx);
      for (const v of e.values) addEqual(ctx, name, v, out);
      return out;
    }
    case 'range': return range(ctx, name, { value: e.from, inclusive: true }, { value: e.to, inclusive: true });
    case 'compare': return compare(ctx, name, e.op, e.value);
    default: return unreachable(e);
  }
}

/**
 * An empty set already as large as the set of all documents: adding ids one
 * by one never regrows it (a cluster node's `_miroir_shard IN [...]` adds
 * every document it holds, on every search).
 */
function sizedForAll(ctx: Context): Bitset {
  return new Bitset(ctx.data.all.capacity);
}

function equal(ctx: Context, field: string, value: Token): Bitset {
  const out = sizedForAll(ctx);
  addEqual(ctx, field, value, out);
  return out;
}

/** Adds to `into` the documents holding the value: its normalized string, or its number when it reads as one. */
function addEqual(ctx: Context, field: string, value: Token, into: Bitset): void {
  const index = fieldIndex(ctx.data, field);
  const key = normalizeFacet(value.value);
  const keyBits = index.stringBits(key);
  if (keyBits) into.union(keyBits);
  else for (const id of index.stringIds(key)) into.add(id);
  let n = parseFiniteFloat(value.value);
  if (n === null) return;
  n = n === 0 ? 0 : n;
  const numberBits = index.numberBits(n);
  if (numberBits) into.union(numberBits);
  else for (const id of index.numberIds(n)) into.add(id);
}

function compare(ctx: Context, field: string, op: string, value: Token): Bitset {
  const at = (inclusive: boolean) => ({ value, inclusive });
  switch (op) {
    case '=': return equal(ctx, field, value);
    case '!=': return ctx.data.all.clone().subtract(equal(ctx, field, value));
    case '>': return range(ctx, field, at(false), null);
    case '>=': return range(ctx, field, at(true), null);
    case '<': return range(ctx, field, null, at(false));
    default: return range(ctx, field, null, at(true));
  }
}

/** Numbers within the numeric reading of the bounds (when every given bound has one), plus string keys. */
function range(ctx: Context, field: string, lower: Bound<Token> | null, upper: Bound<Token> | null): Bitset {
  const index = fieldIndex(ctx.data, field);
  const out = sizedForAll(ctx);
  const num = (b: Bound<Token> | null) => (b ? parseFiniteFloat(b.value.value) : null);
  const lo = num(lower);
  const hi = num(upper);
  if ((lower === null || lo !== null) && (upper === null || hi !== null)) {
    const l = lower && lo !== null ? { value: lo, inclusive: lower.inclusive } : null;
    const u = upper && hi !== null ? { value: hi, inclusive: upper.inclusive } : null;
    if (!(l && u && isEmptyRange(l, u, (a, b) => a - b))) index.numberRange(l, u, out);
  }
  const ls = lower ? { value: lower.value.value, inclusive: lower.inclusive } : null;
  const us = upper ? { value: upper.value.value, inclusive: upper.inclusive } : null;
  if (!(ls && us && isEmptyRange(ls, us, compareBytes))) index.stringRange(ls, us, out);
  return out;
}

/** `lower TO upper` with lower above upper matches nothing (milli `explore_facet_levels`). */
function isEmptyRange<T>(l: Bound<T>, u: Bound<T>, cmp: (a: T, b: T) => number): boolean {
  const c = cmp(l.value, u.value);
  return l.inclusive && u.inclusive ? c > 0 : c >= 0;
}

function finite(token: Token, ctx: Context): number {
  const n = Number(token.value);
  return Number.isFinite(n) ? n : ctx.fail(NON_FINITE_FLOAT, token);
}

function checkLatLng(lat: [number, Token], lng: [number, Token], ctx: Context): void {
  if (!(lat[0] >= -90 && lat[0] <= 90)) ctx.fail(badLatitude(lat[0]), lat[1]);
  if (!(lng[0] >= -180 && lng[0] <= 180)) ctx.fail(badLongitude(lng[0]), lng[1]);
}

function geoEnabled(ctx: Context, at: Token): void {
  const rules = ctx.data.settings.filterableAttributes;
  const matched = matchingFeatures('_geo', rules);
  if (matched && isFilterable(matched.features)) return;
  ctx.fail(notFilterable('_geo/_geojson', patternsWhere(rules, isFilterable)), at);
}

function geoRadius(e: Extract<FilterExpr, { kind: 'geoRadius' }>, ctx: Context): Bitset {
  const [latT, lngT, radiusT] = e.args;
  const lat = finite(latT, ctx);
  const lng = finite(lngT, ctx);
  checkLatLng([lat, latT], [lng, lngT], ctx);
  const radius = finite(radiusT, ctx);
  if (e.resolution) checkResolution(e.resolution, ctx);
  geoEnabled(ctx, latT);
  return geoRadiusIds(ctx.data.geo, lat, lng, radius);
}

/** Rust's `f64 as usize` saturates and truncates; the resolution must land in 3..=1000. */
function checkResolution(token: Token, ctx: Context): void {
  const n = finite(token, ctx);
  const resolution = n <= 0 ? 0n : n >= 2 ** 64 ? 2n ** 64n - 1n : BigInt(Math.trunc(n));
  if (resolution < 3n || resolution > 1000n) ctx.fail(invalidResolution(resolution.toString()), token);
}

function geoBoundingBox(e: Extract<FilterExpr, { kind: 'geoBoundingBox' }>, ctx: Context): Bitset {
  const [topLatT, topLngT, bottomLatT, bottomLngT] = e.args;
  const [top, right, bottom, left] = e.args.map((t) => finite(t, ctx)) as [number, number, number, number];
  checkLatLng([top, topLatT], [right, topLngT], ctx);
  checkLatLng([bottom, bottomLatT], [left, bottomLngT], ctx);
  if (top < bottom) ctx.fail(topBelowBottom(top, bottom), bottomLngT);
  geoEnabled(ctx, topLatT);
  return geoBoxIds(ctx.data.geo, top, right, bottom, left);
}
