// Goal: strings compare in UTF-8 byte order (Rust's), not UTF-16 code units,
// and sort values follow milli's rules. Method: compare against sorting the
// UTF-8 bytes of seeded random strings drawn from tricky ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareCodePoints, compareSortValues, sortValueOf } from '../../../../runtime/merge/facet-value.ts';
import { seededRng } from '../../../../runtime/env/rng.ts';

function compareBytes(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

test('compareCodePoints agrees with UTF-8 byte order', () => {
  const rng = seededRng(3);
  const pool = ['a', 'b', 'é', '\ud7ff', '\ue000', '\uffff', '😀', '𝄞', '\u0000'];
  for (let i = 0; i < 3000; i++) {
    const s = (): string => Array.from({ length: rng.int(4) }, () => pool[rng.int(pool.length)]!).join('');
    const a = s();
    const b = s();
    assert.equal(Math.sign(compareCodePoints(a, b)), Math.sign(compareBytes(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
  assert.ok('\uffff' > '😀' && compareCodePoints('\uffff', '😀') < 0, 'the case JavaScript gets wrong');
});

test('sort values: numbers before strings before missing in both directions; arrays by their best element', () => {
  for (const asc of [true, false]) {
    assert.ok(compareSortValues(5, 'a', asc) < 0);
    assert.ok(compareSortValues('z', null, asc) < 0);
    assert.equal(compareSortValues(null, null, asc), 0);
  }
  assert.ok(compareSortValues(1, 2, true) < 0 && compareSortValues(1, 2, false) > 0);
  assert.equal(sortValueOf([3, 'a', 1], true), 1);
  assert.equal(sortValueOf([3, 'a', 1], false), 3);
  assert.equal(sortValueOf(['B ', 'a'], false), 'b');
  assert.equal(sortValueOf({}, true), null);
});
