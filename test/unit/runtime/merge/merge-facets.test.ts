// Goal: facet distributions, stats and facet-search hits merge as one node
// would show them. Method: hand-built node answers covering normalization of
// spellings, alpha order (numbers first, in printed or numeric order by the
// candidates, then code-point order), count order with ties, truncation
// at maxValuesPerFacet, per-facet orders, and min/max.
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

test('alpha order: printed numbers first, then strings by code point; the candidates pick how numbers sort', () => {
  const node = { f: { b: 1, '10': 1, 'a\uffff': 1, '9.5': 1, 'a😀': 1, A: 1, '-2': 1, '007': 1 } };
  const faceting = { maxValuesPerFacet: 5, sortFacetValuesBy: { '*': 'alpha' as const } };
  // At most 3000 candidates: numbers by printed form (-2, 10, 9.5), then strings
  // (007 is a string: no number prints so), A; a\uffff, a😀 and b are cut. JavaScript lists
  // integer-like keys first whatever the insertion order, so the kept set shows the order.
  const few = mergeFacetDistributions([node], faceting, { requested: ['f'], candidates: 3000 });
  assert.deepEqual(Object.keys(few['f']!).sort(), ['-2', '007', '10', '9.5', 'A'].sort());
  // Above: numbers in numeric order, each walk stopping when the map size equals
  // the cap after an insertion, so once the numbers fill it every string gets in (milli).
  const many = mergeFacetDistributions([{ f: { '100': 1, '9.5': 1, '20': 1, x: 1 } }], { ...faceting, maxValuesPerFacet: 2 }, { requested: ['f'], candidates: 3001 });
  assert.deepEqual(Object.keys(many['f']!).sort(), ['20', '9.5', 'x']);
  const printed = mergeFacetDistributions([{ f: { '100': 1, '9.5': 1, '20': 1, x: 1 } }], { ...faceting, maxValuesPerFacet: 2 }, { requested: ['f'], candidates: 10 });
  assert.deepEqual(Object.keys(printed['f']!).sort(), ['100', '20']);
});

test('count order: by count descending, ties by value descending; numbers before strings; exact name or *', () => {
  const settings = { maxValuesPerFacet: 2, sortFacetValuesBy: { '*': 'alpha' as const, genre: 'count' as const } };
  assert.equal(facetOrderOf('genre', settings.sortFacetValuesBy), 'count');
  assert.equal(facetOrderOf('gen*', settings.sortFacetValuesBy), 'alpha');
  assert.equal(facetOrderOf('x', {}), 'alpha');
  const merged = mergeFacetDistributions([{ genre: { drama: 1, horror: 5, comedy: 3 } }, { genre: { drama: 2, action: 3 } }], settings, { requested: ['genre'], candidates: 9 });
  assert.deepEqual(Object.entries(merged['genre']!), [['horror', 5], ['drama', 3]]);
  // A facet reached through `*` (not named by the search) takes the `*` order.
  const wildcard = mergeFacetDistributions([{ genre: { drama: 1, horror: 5, comedy: 3 } }], settings, { requested: ['*'], candidates: 9 });
  assert.deepEqual(Object.entries(wildcard['genre']!), [['comedy', 3], ['drama', 1]]);
  const mixed = mergeFacetDistributions([{ genre: { drama: 9, '1.5': 1, '2.5': 1 } }], settings, { requested: ['genre'], candidates: 9 });
  assert.deepEqual(Object.entries(mixed['genre']!), [['2.5', 1], ['1.5', 1], ['drama', 9]]);
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
