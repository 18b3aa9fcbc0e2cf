// A replaced document keeps its internal id: the facet lists must take it out
// of its old values and into its new ones, in order, whatever the sweep of
// removed ids does later (found by the cluster chaos test: re-added identical
// documents lost their filter values).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bitset } from '../../../../engine/core/bitset.ts';
import { FieldIndex } from '../../../../engine/facets/field-index.ts';

function numbersBetween(index: FieldIndex, lo: number, hi: number): number[] {
  const into = new Bitset();
  index.numberRange({ value: lo, inclusive: true }, { value: hi, inclusive: true }, into);
  return [...into];
}

test('a document removed and added again under the same id keeps its values', () => {
  const index = new FieldIndex();
  for (const id of [1, 2, 3]) index.add(id, 'base', id * 10, true);
  index.add(1, 'base', 'red', true);
  index.remove(1);
  index.add(1, 'base', 10, true);
  index.add(1, 'base', 'red', true);
  assert.deepEqual(index.numberIds(10), [1]);
  assert.deepEqual(index.stringIds('red'), [1]);
  assert.deepEqual(numbersBetween(index, 0, 100), [1, 2, 3]);
});

test('a replaced document leaves its old values and joins new ones in id order', () => {
  const index = new FieldIndex();
  for (const id of [1, 2, 3]) index.add(id, 'base', 'blue', true);
  index.add(2, 'base', 7, true);
  index.remove(2);
  index.add(2, 'base', 'green', true);
  index.add(3, 'base', 'green', true);
  assert.deepEqual(index.stringIds('blue'), [1, 3]);
  assert.deepEqual(index.stringIds('green'), [2, 3]);
  assert.deepEqual(index.numberIds(7), []);
  assert.deepEqual(index.numberValues(), []);
  index.remove(3);
  assert.deepEqual(index.stringIds('blue'), [1]);
  assert.deepEqual(index.stringIds('green'), [2]);
});
