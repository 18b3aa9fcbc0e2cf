// Goal: facet search answers like Meilisearch's facet-search route: the
// errors in the same order with the same messages, prefix matching ignoring
// case and accents with the typo budget, counts over the candidates, numbers
// left out, order by sortFacetValuesBy and the maxValuesPerFacet cap.
// Method: hand-checked cases on small indexes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bitset } from '../../../../engine/core/bitset.ts';
import { defaultSettings, type Settings } from '../../../../api/protocol/settings/settings.ts';
import fc from 'fast-check';
import { createFacetStore } from '../../../../engine/facets/facet-store.ts';
import { prefixWithin } from '../../../../engine/facets/typo-match.ts';

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

test('prefix search, case and accent insensitive, with counts', () => {
  const store = storeWith(() => {});
  assert.deepEqual(store.facetSearch(all, 'genres', 'a', 'idx'), [
    { value: 'Action', count: 3 }, { value: 'Adventure', count: 2 }, { value: 'ANIMATION', count: 1 },
  ]);
  assert.deepEqual(store.facetSearch(all, 'genres', 'ADV', 'idx'), [{ value: 'Adventure', count: 2 }]);
  assert.deepEqual(store.facetSearch(all, 'genres', 'adv other', 'idx'), []);
  assert.deepEqual(store.facetSearch(all, 'genres', 'come', 'idx'), [{ value: 'Comédie', count: 1 }]);
  assert.deepEqual(store.facetSearch(all, 'genres', 'comé', 'idx'), [{ value: 'Comédie', count: 1 }]);
  // The shown text is the first document's holding the value, candidate or not.
  assert.deepEqual(store.facetSearch(Bitset.of([1, 2]), 'genres', 'a', 'idx'), [
    { value: 'Action', count: 1 }, { value: 'Adventure', count: 1 },
  ]);
  assert.equal(store.facetSearch(all, 'genres', null, 'idx').length, 5);
  assert.deepEqual(store.facetSearch(all, 'genres', 'zzz', 'idx'), []);
});

test('typos within the budget of the query length, unless disabled', () => {
  assert.deepEqual(storeWith(() => {}).facetSearch(all, 'genres', 'actoin', 'idx'), [{ value: 'Action', count: 3 }]);
  assert.deepEqual(storeWith(() => {}).facetSearch(all, 'genres', 'anmiatoin', 'idx'), [{ value: 'ANIMATION', count: 1 }]);
  assert.deepEqual(storeWith(() => {}).facetSearch(all, 'genres', 'acton', 'idx'), [{ value: 'Action', count: 3 }]);
  // Under five bytes no typo is allowed.
  assert.deepEqual(storeWith(() => {}).facetSearch(all, 'genres', 'dramx', 'idx'), [{ value: 'Drama', count: 1 }]);
  assert.deepEqual(storeWith(() => {}).facetSearch(all, 'genres', 'drx', 'idx'), []);
  assert.deepEqual(storeWith((s) => { s.typoTolerance.enabled = false; }).facetSearch(all, 'genres', 'actoin', 'idx'), []);
  assert.deepEqual(storeWith((s) => { s.typoTolerance.disableOnAttributes = ['genres']; }).facetSearch(all, 'genres', 'actoin', 'idx'), []);
  assert.deepEqual(storeWith((s) => { s.typoTolerance.disableOnWords = ['drama']; }).facetSearch(all, 'genres', 'drama', 'idx'), [{ value: 'Drama', count: 1 }]);
  assert.deepEqual(storeWith((s) => { s.typoTolerance.disableOnWords = ['dram']; }).facetSearch(all, 'genres', 'dram', 'idx'), []);
});

test('numbers are not searchable; strings of a numeric field are', () => {
  const store = storeWith(() => {});
  assert.deepEqual(store.facetSearch(all, 'year', '20', 'idx'), [{ value: '2001', count: 1 }]);
  assert.deepEqual(store.facetSearch(all, 'year', null, 'idx'), [{ value: '2001', count: 1 }]);
});

test('count order and the maxValuesPerFacet cap', () => {
  const store = (max: number) => storeWith((s) => {
    s.faceting = { maxValuesPerFacet: max, sortFacetValuesBy: { '*': 'alpha', genres: 'count' } };
  });
  assert.deepEqual(store(2).facetSearch(all, 'genres', '', 'idx'), [{ value: 'Action', count: 3 }, { value: 'Adventure', count: 2 }]);
  // Equal counts come out by value, descending, as Meilisearch's heap gives them.
  assert.deepEqual(store(5).facetSearch(all, 'genres', null, 'idx').map((h) => h.value), ['Action', 'Adventure', 'Drama', 'Comédie', 'ANIMATION']);
  // A later value with the same count replaces the worst kept one.
  assert.deepEqual(store(3).facetSearch(all, 'genres', null, 'idx').map((h) => h.value), ['Action', 'Adventure', 'Drama']);
  assert.deepEqual(storeWith((s) => { s.faceting.maxValuesPerFacet = 2; }).facetSearch(all, 'genres', null, 'idx').map((h) => h.value), ['Action', 'Adventure']);
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

/** Optimal-string-alignment distance, computed the textbook way. */
function osa(a: string[], b: string[]): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

test('typo prefix matching agrees with a brute-force distance over every prefix', () => {
  const word = fc.array(fc.constantFrom('a', 'b', 'c', 'é'), { maxLength: 7 });
  fc.assert(fc.property(word, word, fc.integer({ min: 0, max: 2 }), (q, v, k) => {
    const brute = Array.from({ length: v.length + 1 }, (_, j) => osa(q, v.slice(0, j))).some((d) => d <= k);
    assert.equal(prefixWithin(q, v, k), brute, `${q.join('')} ~ ${v.join('')} within ${k}`);
  }), { seed: 5, numRuns: 3000 });
});

test('values added or removed after a search are seen by the next one', () => {
  const store = storeWith(() => {});
  assert.deepEqual(store.facetSearch(all, 'genres', 'west', 'idx'), []);
  store.add(5, { genres: 'Western' });
  assert.deepEqual(store.facetSearch(Bitset.full(6), 'genres', 'west', 'idx'), [{ value: 'Western', count: 1 }]);
  store.remove(5, { genres: 'Western' });
  assert.deepEqual(store.facetSearch(Bitset.full(6), 'genres', 'west', 'idx'), []);
});
