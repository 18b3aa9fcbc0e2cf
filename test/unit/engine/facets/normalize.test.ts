// Goal: facet values normalize, truncate, parse and print as in Meilisearch
// (milli normalize_facet, truncate_str, f64::from_str, f64 Display).
// Method: examples for each rule, and properties: printed numbers read back
// exactly and never use exponent notation; truncated keys fit 468 bytes on a
// character boundary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { facetKey, formatF64, normalizeFacet, parseFiniteFloat, truncateFacet } from '../../../../engine/facets/normalize.ts';

test('normalization trims Unicode whitespace, decomposes compatibility forms, lower-cases', () => {
  assert.equal(normalizeFacet('  Blue\t'), 'blue');
  assert.equal(normalizeFacet('\u00a0ＲＥＤ\u3000'), 'red');
  assert.equal(normalizeFacet('Élan'), 'e\u0301lan');
  assert.equal(normalizeFacet('ﬁ'), 'fi');
  assert.equal(normalizeFacet('\ufeffx'), '\ufeffx'); // U+FEFF is not White_Space in Rust
  assert.equal(normalizeFacet('ΣΑΣ'), 'σας');
});

test('keys are cut to 468 UTF-8 bytes on a character boundary', () => {
  assert.equal(truncateFacet('a'.repeat(500)).length, 468);
  assert.equal(truncateFacet('é'.repeat(300)), 'é'.repeat(234));
  assert.equal(truncateFacet('🐻'.repeat(200)), '🐻'.repeat(117));
  assert.equal(facetKey(`${'A'.repeat(470)}`), 'a'.repeat(468));
  fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 600 }), (s) => {
    const t = truncateFacet(s);
    assert.ok(Buffer.byteLength(t) <= 468);
    assert.ok(s.startsWith(t));
    // Never cuts a surrogate pair in half.
    assert.ok(!/[\ud800-\udbff]$/.test(t) || !/[\udc00-\udfff]/.test(s[t.length] ?? ''));
  }), { seed: 3, numRuns: 300 });
});

test('operands read as numbers exactly when Rust would read a finite f64', () => {
  const yes: Array<[string, number]> = [['12', 12], ['-1.5', -1.5], ['+3', 3], ['.5', 0.5], ['5.', 5], ['1e3', 1000], ['1E-2', 0.01]];
  for (const [s, n] of yes) assert.equal(parseFiniteFloat(s), n, s);
  for (const s of ['', ' 1', '1 ', '0x10', '1_000', 'inf', 'NaN', 'infinity', '1e400', 'e5', '1.2.3', 'true']) {
    assert.equal(parseFiniteFloat(s), null, s);
  }
});

test('numbers print like Rust f64 Display', () => {
  const cases: Array<[number, string]> = [[1, '1'], [1.5, '1.5'], [-0, '-0'], [1e21, '1000000000000000000000'], [1e-7, '0.0000001'], [123456789012345680000, '123456789012345680000'], [-2.5e-10, '-0.00000000025']];
  for (const [n, s] of cases) assert.equal(formatF64(n), s);
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
    const s = formatF64(n);
    assert.ok(!/e/i.test(s), s);
    assert.ok(Object.is(Number(s), n) || (n === 0 && Number(s) === 0), s);
  }), { seed: 4, numRuns: 2000 });
});
