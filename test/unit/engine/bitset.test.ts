// Goal: the bitset under every candidate set behaves as a set of integers.
// Method: compare against a JS Set oracle on seeded random operations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bitset } from '../../../engine/core/bitset.ts';
import { seededRng } from '../../../runtime/env/rng.ts';

test('bitset operations match a Set oracle', () => {
  const rng = seededRng(1);
  for (let round = 0; round < 50; round++) {
    const xs = Array.from({ length: rng.int(200) }, () => rng.int(1000));
    const ys = Array.from({ length: rng.int(200) }, () => rng.int(1000));
    const a = Bitset.of(xs);
    const b = Bitset.of(ys);
    const sx = new Set(xs);
    const sy = new Set(ys);
    const sorted = (s: Iterable<number>) => [...s].sort((p, q) => p - q);
    assert.deepEqual(a.toArray(), sorted(sx));
    assert.equal(a.size, sx.size);
    assert.deepEqual(a.clone().intersect(b).toArray(), sorted([...sx].filter((x) => sy.has(x))));
    assert.deepEqual(a.clone().union(b).toArray(), sorted(new Set([...sx, ...sy])));
    assert.deepEqual(a.clone().subtract(b).toArray(), sorted([...sx].filter((x) => !sy.has(x))));
  }
  assert.deepEqual(Bitset.full(33).toArray(), Array.from({ length: 33 }, (_, i) => i));
  assert.ok(new Bitset(10).isEmpty());
});
