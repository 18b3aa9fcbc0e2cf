// Goal: facet distributions, stats and facet-search hits merge as one node
// would show them. Method: hand-built node answers covering normalization of
// spellings, alpha order (numbers first, code-point order), count order with
// ties, truncation at maxValuesPerFacet, per-facet order patterns, and min/max.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  facetOrderOf,
  mergeFacetDistributions,
  mergeFacetSearch,
  mergeFacetStats,
} from '../../../../runtime/merge/merge-facets.ts';

test('counts are summed per normalized value; the first spelling met is shown', () => {
  const merged = mergeFacetDistributions(
    [{ color: { Blue: 2, red: 1 } }, undefined, { color: { blue: 3, 'ＲＥＤ': 4 }, size: { '10': 1 } }],
    { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'alpha' } },
  );
  assert.deepEqual(merged, { color: { Blue: 5, red: 5 }, size: { '10': 1 } });
  assert.deepEqual(Object.keys(merged), ['color', 'size']);
});

test('alpha order: number-looking values first by value, then strings by code point; truncated', () => {
  const merged = mergeFacetDistributions(
    [{ f: { b: 1, '10': 1, 'a\uffff': 1, '9.5': 1, 'a😀': 1, A: 1, '-2': 1 } }],
    { maxValuesPerFacet: 5, sortFacetValuesBy: { '*': 'alpha' } },
  );
  // Alpha order is -2, 9.5, 10, A, a\uffff | a😀, b (U+FFFF < U+1F600 by code point,
  // the reverse of UTF-16 order). JavaScript lists integer-like keys first whatever the
  // insertion order, so the kept set is what shows the order.
  assert.deepEqual(Object.keys(merged['f']!).sort(), ['-2', '10', '9.5', 'A', 'a\uffff'].sort());
});

test('count order: by count descending, ties alphabetical; per-facet patterns override *', () => {
  const settings = { maxValuesPerFacet: 2, sortFacetValuesBy: { '*': 'alpha' as const, 'gen*': 'count' as const } };
  assert.equal(facetOrderOf('genre', settings.sortFacetValuesBy), 'count');
  assert.equal(facetOrderOf('color', settings.sortFacetValuesBy), 'alpha');
  assert.equal(facetOrderOf('x', {}), 'alpha');
  const merged = mergeFacetDistributions([{ genre: { drama: 1, horror: 5, comedy: 3 } }, { genre: { drama: 2, action: 3 } }], settings);
  assert.deepEqual(Object.entries(merged['genre']!), [['horror', 5], ['action', 3]]);
});

test('facet stats take the min of mins and the max of maxes', () => {
  assert.deepEqual(
    mergeFacetStats([{ price: { min: 3, max: 9 }, year: { min: 1990, max: 1990 } }, { price: { min: -1, max: 4 } }, undefined]),
    { price: { min: -1, max: 9 }, year: { min: 1990, max: 1990 } },
  );
});

test('facet search hits are summed, ordered by the facet order and truncated', () => {
  const r = mergeFacetSearch({
    responses: [
      { facetHits: [{ value: 'Horror', count: 2 }, { value: 'Historic', count: 1 }], facetQuery: 'h', processingTimeMs: 3 },
      { facetHits: [{ value: 'horror', count: 2 }, { value: 'Humor', count: 4 }], facetQuery: 'h', processingTimeMs: 7 },
    ],
    facetName: 'genre',
    facetQuery: 'h',
    faceting: { maxValuesPerFacet: 2, sortFacetValuesBy: { genre: 'count' } },
  });
  assert.deepEqual(r, { facetHits: [{ value: 'Horror', count: 4 }, { value: 'Humor', count: 4 }], facetQuery: 'h', processingTimeMs: 7 });
});
