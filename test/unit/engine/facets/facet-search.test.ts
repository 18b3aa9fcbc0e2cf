// Goal: facet search answers like Meilisearch's facet-search route: the
// errors in the same order with the same messages, prefix matching of the
// first query word ignoring case and accents, counts over the candidates,
// numbers left out, order by sortFacetValuesBy and the maxValuesPerFacet cap.
// Method: hand-checked cases on small indexes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bitset } from '../../../../engine/core/bitset.ts';
import { defaultSettings, type Settings } from '../../../../engine/core/settings.ts';
import { createFacetStore } from '../../../../engine/facets/facet-store.ts';

const DOCS = [
  { genres: ['Action', 'Adventure'], year: 1999 },
  { genres: ['action', 'Comédie'], year: 2001 },
  { genres: ['Adventure', 'Drama'] },
  { genres: 'ANIMATION', year: '2001' },
  { genres: ['Action'] },
];

function storeWith(edit: (s: Settings) => void) {
  const settings = defaultSettings();
  settings.filterableAttributes = ['genres', 'year'];
  edit(settings);
  const store = createFacetStore(settings);
  DOCS.forEach((d, id) => store.add(id, d));
  return store;
}

const all = Bitset.full(DOCS.length);

test('prefix search on the first word, case and accent insensitive, with counts', () => {
  const store = storeWith(() => {});
  assert.deepEqual(store.facetSearch(all, 'genres', 'a', 'idx'), [
    { value: 'Action', count: 3 }, { value: 'Adventure', count: 2 }, { value: 'ANIMATION', count: 1 },
  ]);
  assert.deepEqual(store.facetSearch(all, 'genres', 'ADV ignored words', 'idx'), [{ value: 'Adventure', count: 2 }]);
  assert.deepEqual(store.facetSearch(all, 'genres', 'come', 'idx'), [{ value: 'Comédie', count: 1 }]);
  assert.deepEqual(store.facetSearch(all, 'genres', 'comé', 'idx'), [{ value: 'Comédie', count: 1 }]);
  assert.deepEqual(store.facetSearch(Bitset.of([1, 2]), 'genres', 'a', 'idx'), [
    { value: 'action', count: 1 }, { value: 'Adventure', count: 1 },
  ]);
  assert.equal(store.facetSearch(all, 'genres', null, 'idx').length, 5);
  assert.deepEqual(store.facetSearch(all, 'genres', 'zzz', 'idx'), []);
});

test('numbers are not searchable; strings of a numeric field are', () => {
  const store = storeWith(() => {});
  assert.deepEqual(store.facetSearch(all, 'year', '20', 'idx'), [{ value: '2001', count: 1 }]);
  assert.deepEqual(store.facetSearch(all, 'year', null, 'idx'), [{ value: '2001', count: 1 }]);
});

test('count order and the maxValuesPerFacet cap', () => {
  const store = storeWith((s) => {
    s.faceting = { maxValuesPerFacet: 2, sortFacetValuesBy: { '*': 'alpha', genres: 'count' } };
  });
  assert.deepEqual(store.facetSearch(all, 'genres', '', 'idx'), [{ value: 'Action', count: 3 }, { value: 'Adventure', count: 2 }]);
});

test('errors: facet search disabled first, then the facet name', () => {
  const disabled = storeWith((s) => { s.facetSearch = false; s.filterableAttributes = []; });
  assert.throws(() => disabled.facetSearch(all, 'genres', 'a', 'idx'), { code: 'facet_search_disabled', message: 'The facet search is disabled for this index' });

  const check = (edit: (s: Settings) => void, name: string, message: string) =>
    assert.throws(() => storeWith(edit).facetSearch(all, name, 'a', 'idx'), { code: 'invalid_facet_search_facet_name', message: `Index \`idx\`: ${message}` });
  check(() => {}, 'invalid', 'Attribute `invalid` is not facet-searchable. Available facet-searchable attributes patterns are: `genres, year`. To make it facet-searchable add it to the `filterableAttributes` index settings.');
  check((s) => { s.filterableAttributes = []; }, 'genres', 'Attribute `genres` is not facet-searchable. This index does not have configured facet-searchable attributes. To make it facet-searchable add it to the `filterableAttributes` index settings.');
  check((s) => { s.filterableAttributes = [{ attributePatterns: ['genres'], features: { facetSearch: false, filter: { equality: true, comparison: false } } }]; }, 'genres',
    'Attribute `genres` is not facet-searchable. Note: this attribute matches rule #0 in filterableAttributes, but this rule does not enable facetSearch.\n' +
    'Hint: enable facetSearch in rule #0 by adding `"facetSearch": true` to the rule.\n' +
    'Hint: prepend another rule matching genres with facetSearch: true before rule #0');
  check((s) => { s.displayedAttributes = ['genres']; }, 'x', 'Attribute `x` is not facet-searchable. Available facet-searchable attributes patterns are: `genres, <..hidden-attributes>`. To make it facet-searchable add it to the `filterableAttributes` index settings.');
});

test('values() gives the normalized strings and numbers one document holds, for distinct', () => {
  const store = storeWith((s) => { s.filterableAttributes = []; s.distinctAttribute = 'genres'; });
  assert.deepEqual(store.values(1, 'genres'), { strings: ['action', 'come\u0301die'], numbers: [] });
  assert.deepEqual(store.values(3, 'genres'), { strings: ['animation'], numbers: [] });
  assert.deepEqual(store.values(0, 'year'), { strings: [], numbers: [] });
  store.remove(1, DOCS[1]!);
  assert.deepEqual(store.values(1, 'genres'), { strings: [], numbers: [] });
});
