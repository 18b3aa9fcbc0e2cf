// Goal: printFilter is the inverse of parseFilter (up to token positions),
// and the parser never fails with anything but a FilterParseError.
// Method: fast-check properties over generated parser-shaped trees (any
// field/value text, including keywords, quotes, backslashes and Unicode),
// over generated filter-like strings, and over arbitrary strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FilterExpr, Token } from '../../../../../api/protocol/filter/ast.ts';
import { parseFilter, FilterParseError } from '../../../../../api/protocol/filter/parse.ts';
import { printFilter } from '../../../../../api/protocol/filter/print.ts';

const tok = (value: string): Token => ({ value, start: 0, end: 0, source: '' });

/** Token positions and sources removed: what "structurally equal" compares. */
function strip(e: FilterExpr): unknown {
  return JSON.parse(JSON.stringify(e, (k, v) => (k === 'start' || k === 'end' || k === 'source' ? undefined : v)));
}

const text = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('AND', 'OR', 'NOT', 'IN', 'TO', 'EXISTS', 'IS', 'NULL', '_geoRadius', '_geo', 'a.b', '\\', '"', "'", '\\"', ' x ', '🐻', 'É'),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const token = text.map(tok);
const float = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((n) => String(n)).filter((s) => !s.includes('Infinity')),
).map((s) => (s.startsWith('-0') && Number(s) === 0 ? '0' : s));

const leaf: fc.Arbitrary<FilterExpr> = fc.oneof(
  fc.record({ kind: fc.constant('compare' as const), field: token, op: fc.constantFrom('=', '!=', '>', '>=', '<', '<=' as const), value: token }),
  fc.record({ kind: fc.constant('range' as const), field: token, from: token, to: token }),
  fc.record({ kind: fc.constant('in' as const), field: token, values: fc.array(token, { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('exists' as const), field: token }),
  fc.record({ kind: fc.constant('isNull' as const), field: token }),
  fc.record({ kind: fc.constant('isEmpty' as const), field: token }),
  fc.tuple(float, float, float, fc.option(float)).map(([a, b, c, r]): FilterExpr => {
    const args: [Token, Token, Token] = [tok(a), tok(b), tok(c)];
    return { kind: 'geoRadius', token: args[0], lat: Number(a), lng: Number(b), radiusMeters: Number(c), args, resolution: r === null ? null : tok(r) };
  }),
  fc.tuple(float, float, float, float).map(([a, b, c, d]): FilterExpr => {
    const args: [Token, Token, Token, Token] = [tok(a), tok(b), tok(c), tok(d)];
    return { kind: 'geoBoundingBox', token: args[0], topRight: [Number(a), Number(b)], bottomLeft: [Number(c), Number(d)], args };
  }),
);

/** Trees of the shapes the parser builds: chains of at least two, no NOT directly under NOT. */
const tree = fc.letrec<{ node: FilterExpr }>((self) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), children: fc.array(self('node'), { minLength: 2, maxLength: 3 }) })
      .map((e) => ({ ...e, children: e.children.flatMap((c) => (c.kind === e.kind ? c.children : [c])) }) as FilterExpr),
    self('node').filter((c) => c.kind !== 'not').map((child): FilterExpr => ({ kind: 'not', child })),
  ),
})).node;

test('a printed filter parses back to the same tree', () => {
  fc.assert(
    fc.property(tree, (e) => {
      const printed = printFilter(e);
      const parsed = parseFilter(printed);
      assert.ok(parsed, printed);
      assert.deepEqual(strip(parsed), strip(e), printed);
    }),
    { numRuns: 2000, seed: 42 },
  );
});

test('printing a parsed filter is stable', () => {
  const inputs = ["a = 1 AND (b = 2 OR NOT c IN [x, 'y z',]) OR d 1 TO 5", 'NOT (a EXISTS AND b IS NOT NULL)', '_geoRadius(1.5, -2, 30) AND x IS EMPTY'];
  for (const input of inputs) {
    const once = parseFilter(input);
    assert.ok(once);
    const printed = printFilter(once);
    assert.equal(printFilter(parseFilter(printed)!), printed);
  }
});

const pieces = fc.constantFrom(
  'a', 'b.c', '1', '-2.5', '"q"', "'s'", '=', '!=', '>', '>=', '<', '<=', 'TO', 'IN', '[', ']', ',', '(', ')', 'AND', 'OR',
  'NOT', 'EXISTS', 'IS', 'NULL', 'EMPTY', 'CONTAINS', 'STARTS WITH', '_geoRadius(', '_geoBoundingBox(', '_geo', '\\', '"', "'", ' ', '\n', '🐻',
);

function onlyFilterErrors(input: unknown): void {
  try {
    parseFilter(input);
  } catch (error) {
    assert.ok(error instanceof FilterParseError, `${JSON.stringify(input)} threw ${String(error)}`);
    const lines = (error as Error).message.split('\n');
    if (typeof input === 'string' && !input.includes('\n') && !input.includes('\r') && lines.length >= 2) {
      assert.match(lines.at(-1)!, /^\d+:\d+ /);
    }
  }
}

test('filter-like and arbitrary strings only ever fail with FilterParseError', () => {
  fc.assert(fc.property(fc.array(pieces, { maxLength: 14 }).map((p) => p.join(' ')), onlyFilterErrors), { numRuns: 5000, seed: 7 });
  fc.assert(fc.property(fc.array(pieces, { maxLength: 14 }).map((p) => p.join('')), onlyFilterErrors), { numRuns: 3000, seed: 8 });
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), onlyFilterErrors), { numRuns: 3000, seed: 9 });
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), onlyFilterErrors), { numRuns: 2000, seed: 10 });
});
