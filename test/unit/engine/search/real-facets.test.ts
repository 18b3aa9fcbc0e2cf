// Goal: the search index works with the real facet store (engine/facets):
// filters restrict candidates, facetDistribution counts all candidates,
// distinct uses the store's normalized values, facet search sees the query's
// candidates, and filter errors carry Meilisearch's codes and messages.
// Method: a small movie index built through createSearchIndex with
// createFacetStore, asserting whole response fragments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeiliError } from '../../../../api/errors/registry.ts';
import { defaultSettings } from '../../../../api/protocol/settings/settings.ts';
import { createFacetStore } from '../../../../engine/facets/facet-store.ts';
import { createSearchIndex } from '../../../../engine/search/search-index.ts';
import { searchQuery } from './search-fixture.ts';

function movies() {
  const settings = defaultSettings();
  settings.filterableAttributes = ['genre', 'year'];
  const index = createSearchIndex(settings, createFacetStore);
  const docs = [
    { id: 1, title: 'Dragon Tales', genre: 'Family', year: 1999 },
    { id: 2, title: 'Dragon Heart', genre: 'Fantasy', year: 1996 },
    { id: 3, title: 'How to Train Your Dragon', genre: 'Family', year: 2010 },
    { id: 4, title: 'Heat', genre: 'Crime', year: 1995 },
  ];
  for (const d of docs) index.put(String(d.id), d);
  return index;
}

test('filter, facets and stats over every candidate', () => {
  const index = movies();
  const res = index.search(searchQuery({ q: 'dragon', filter: 'year > 1996', facets: ['genre', 'year'], limit: 1 }), 'movies');
  assert.deepEqual(res.hits.map((h) => h.id), [1]);
  assert.equal(res.estimatedTotalHits, 2);
  assert.deepEqual(res.facetDistribution?.genre, { Family: 2 });
  assert.deepEqual(res.facetStats?.year, { min: 1999, max: 2010 });
  assert.deepEqual(Object.keys(res).slice(-2), ['facetDistribution', 'facetStats']);
});

test('distinct with the real store keeps one hit per genre', () => {
  const index = movies();
  const res = index.search(searchQuery({ q: 'dragon', distinct: 'genre' }), 'movies');
  assert.deepEqual(res.hits.map((h) => h.id), [1, 2]);
});

test('facet search is limited to the query candidates', () => {
  const index = movies();
  const res = index.facetSearch({ facetName: 'genre', facetQuery: null, q: 'heat', filter: null, matchingStrategy: 'last', attributesToSearchOn: null }, 'movies');
  assert.deepEqual(res.facetHits, [{ value: 'Crime', count: 1 }]);
});

test('a filter on a non-filterable attribute is invalid_search_filter with the index prefix', () => {
  const index = movies();
  assert.throws(
    () => index.search(searchQuery({ filter: 'title = heat' }), 'movies'),
    (e: unknown) => e instanceof MeiliError && e.code === 'invalid_search_filter' && e.message.startsWith('Index `movies`: Attribute `title` is not filterable.'),
  );
  assert.throws(() => index.search(searchQuery({ filter: 'year >' }), 'movies'), (e: unknown) => e instanceof MeiliError && e.code === 'invalid_search_filter');
});
