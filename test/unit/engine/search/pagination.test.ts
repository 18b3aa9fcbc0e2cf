// Goal: the pagination arithmetic matches Meilisearch's prepare_search.
// Method: table of requests with the expected clamped windows, plus a
// fast-check property that no window ever reaches past maxTotalHits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pageWindow, totalPages } from '../../../../engine/search/pagination.ts';

test('offset/limit and page/hitsPerPage windows with maxTotalHits clamps', () => {
  const w = (offset: number, limit: number, page: number | null, hitsPerPage: number | null, max = 1000) => {
    const r = pageWindow({ offset, limit, page, hitsPerPage }, max);
    return [r.finite, r.offset, r.limit];
  };
  assert.deepEqual(w(0, 20, null, null), [false, 0, 20]);
  assert.deepEqual(w(990, 20, null, null), [false, 990, 10]);
  assert.deepEqual(w(2000, 20, null, null), [false, 1000, 0]);
  assert.deepEqual(w(0, 20, 3, 10), [true, 20, 10]);
  assert.deepEqual(w(0, 20, 2, null), [true, 20, 20]);
  assert.deepEqual(w(0, 20, null, 5), [true, 0, 5]);
  assert.deepEqual(w(0, 20, 0, 5), [true, 0, 0]);
  assert.deepEqual(w(0, 20, 200, 10, 1000), [true, 1000, 0]);
  assert.deepEqual([totalPages(21, 10), totalPages(0, 10), totalPages(5, 0)], [3, 0, 0]);
});

test('property: offset + limit never exceeds maxTotalHits', () => {
  fc.assert(
    fc.property(fc.nat(5000), fc.nat(5000), fc.option(fc.nat(300)), fc.option(fc.nat(300)), fc.integer({ min: 1, max: 3000 }), (offset, limit, page, hitsPerPage, max) => {
      const r = pageWindow({ offset, limit, page, hitsPerPage }, max);
      assert.ok(r.offset <= max && r.offset + r.limit <= max && r.limit >= 0);
    }),
    { seed: 11, numRuns: 500 },
  );
});
