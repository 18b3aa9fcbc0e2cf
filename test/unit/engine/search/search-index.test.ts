// Goal: the SearchIndex answers like a Meilisearch index: documents and their
// field order, pagination clamps and totals, response key order, hit
// formatting, distinct, sort, filters, exclusions, synonyms and the
// parameter errors with Meilisearch's codes.
// Method: small hand-made indexes with a tiny in-test FacetStore, asserting
// whole responses or the exact fields that matter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeiliError } from '../../../../api/errors/registry.ts';
import { indexOf, MOVIES, searchQuery } from './search-fixture.ts';

const numbered = Array.from({ length: 30 }, (_, i) => ({ id: i, title: `dragon number ${i}`, kind: i % 3 === 0 ? 'a' : 'b' }));

test('offset/limit mode: key order, clamps by maxTotalHits, estimated total', () => {
  const index = indexOf(numbered, (s) => {
    s.pagination.maxTotalHits = 25;
  });
  const res = index.search(searchQuery({ q: 'dragon', offset: 20, limit: 10 }), 'i');
  assert.deepEqual(Object.keys(res), ['hits', 'query', 'processingTimeMs', 'limit', 'offset', 'estimatedTotalHits']);
  assert.deepEqual([res.limit, res.offset, res.estimatedTotalHits, res.hits.length], [5, 20, 25, 5]);
  const beyond = index.search(searchQuery({ offset: 40, limit: 10 }), 'i');
  assert.deepEqual([beyond.offset, beyond.limit, beyond.hits.length], [25, 0, 0]);
});

test('page mode: totalHits and totalPages, page 0 and hitsPerPage 0', () => {
  const index = indexOf(numbered);
  const res = index.search(searchQuery({ page: 2, hitsPerPage: 7 }), 'i');
  assert.deepEqual(Object.keys(res), ['hits', 'query', 'processingTimeMs', 'hitsPerPage', 'page', 'totalPages', 'totalHits']);
  assert.deepEqual([res.hitsPerPage, res.page, res.totalPages, res.totalHits], [7, 2, 5, 30]);
  assert.deepEqual(res.hits.map((h) => h.id), [7, 8, 9, 10, 11, 12, 13]);
  const zero = index.search(searchQuery({ hitsPerPage: 0 }), 'i');
  assert.deepEqual([zero.totalPages, zero.totalHits, zero.hits.length], [0, 30, 0]);
  assert.equal(index.search(searchQuery({ page: 0 }), 'i').hits.length, 0);
});

test('documents keep field-id order; put replaces under the same id; delete and clear', () => {
  const index = indexOf([{ id: 1, b: 'x', a: 'y' }, { a: 'z', id: 2, c: 'w' }]);
  assert.deepEqual(index.fieldOrder(), ['id', 'b', 'a', 'c']);
  assert.deepEqual(Object.keys(index.get('2')!), ['id', 'a', 'c']);
  index.put('1', { id: 1, a: 'replaced' });
  assert.deepEqual(index.search(searchQuery(), 'i').hits.map((h) => h.id), [1, 2]);
  assert.deepEqual(index.fieldDistribution(), { a: 2, c: 1, id: 2 });
  assert.equal(index.delete('2'), true);
  assert.equal(index.delete('2'), false);
  assert.equal(index.count(), 1);
  assert.equal(index.search(searchQuery({ q: 'z' }), 'i').hits.length, 0);
  assert.equal(index.clear(), 1);
  assert.equal(index.count(), 0);
});

test('highlight, crop and matches positions (UTF-8 bytes, array indices)', () => {
  const index = indexOf([{ id: 1, title: 'Gläss dragon', tags: ['red', 'dragon fly'], n: 7 }]);
  const res = index.search(searchQuery({
    q: 'dragon', attributesToHighlight: ['title', 'n'], showMatchesPosition: true,
  }), 'i');
  const hit = res.hits[0]!;
  assert.deepEqual(hit._formatted, { id: 1, title: 'Gläss <em>dragon</em>', tags: ['red', 'dragon fly'], n: '7' });
  assert.deepEqual(hit._matchesPosition, { title: [{ start: 7, length: 6 }], tags: [{ start: 0, length: 6, indices: [1] }] });
  const prefix = index.search(searchQuery({ q: 'dra', attributesToHighlight: ['title'] }), 'i');
  assert.equal((prefix.hits[0]!._formatted as { title: string }).title, 'Gläss <em>dra</em>gon');
  const long = indexOf([{ id: 1, body: 'one two three four five six seven eight nine dragon ten eleven twelve thirteen fourteen' }]);
  const cropped = long.search(searchQuery({ q: 'dragon', attributesToCrop: ['body:4'], attributesToHighlight: ['body'] }), 'i');
  assert.equal((cropped.hits[0]!._formatted as { body: string }).body, '…eight nine <em>dragon</em> ten…');
  assert.equal('_formatted' in index.search(searchQuery({ q: 'dragon' }), 'i').hits[0]!, false);
});

test('attributesToRetrieve and displayedAttributes intersect', () => {
  const index = indexOf([{ id: 1, title: 't', secret: 's', nested: { a: 1, b: 2 } }], (s) => {
    s.displayedAttributes = ['id', 'title', 'nested'];
  });
  const res = index.search(searchQuery({ attributesToRetrieve: ['title', 'secret', 'nested.b'] }), 'i');
  assert.deepEqual(res.hits[0], { title: 't', nested: { b: 2 } });
});

test('distinct keeps the best document per value and counts exactly in page mode', () => {
  const index = indexOf(numbered, (s) => {
    s.filterableAttributes = ['kind'];
  });
  const res = index.search(searchQuery({ q: 'dragon', distinct: 'kind', page: 1 }), 'i');
  assert.deepEqual(res.hits.map((h) => h.id), [0, 1]);
  assert.equal(res.totalHits, 2);
  assert.throws(() => index.search(searchQuery({ distinct: 'title' }), 'i'), (e: unknown) => e instanceof MeiliError && e.code === 'invalid_search_distinct');
});

test('sort: needs the sort rule and sortable attributes; numbers before strings, missing last', () => {
  const docs = [{ id: 1, v: 'b' }, { id: 2, v: 10 }, { id: 3 }, { id: 4, v: 'a' }, { id: 5, v: 2 }];
  const index = indexOf(docs, (s) => {
    s.sortableAttributes = ['v'];
  });
  assert.deepEqual(index.search(searchQuery({ sort: ['v:asc'] }), 'i').hits.map((h) => h.id), [5, 2, 4, 1, 3]);
  assert.deepEqual(index.search(searchQuery({ sort: ['v:desc'] }), 'i').hits.map((h) => h.id), [2, 5, 1, 4, 3]);
  assert.throws(() => index.search(searchQuery({ sort: ['id:asc'] }), 'i'), (e: unknown) =>
    e instanceof MeiliError && e.code === 'invalid_search_sort' && e.message === 'Index `i`: Attribute `id` is not sortable. Available sortable attributes are: `v`.');
  const noRule = indexOf(docs, (s) => {
    s.sortableAttributes = ['v'];
    s.rankingRules = ['words', 'typo'];
  });
  assert.throws(() => noRule.search(searchQuery({ sort: ['v:asc'] }), 'i'), (e: unknown) =>
    e instanceof MeiliError && e.message === 'You must specify where `sort` is listed in the rankingRules setting to use the sort parameter at search time.');
});

test('filters go through the facet store; syntax errors keep the parser message', () => {
  const index = indexOf(numbered, (s) => {
    s.filterableAttributes = ['kind'];
  });
  const res = index.search(searchQuery({ q: 'dragon', filter: 'kind = a', limit: 3 }), 'i');
  assert.deepEqual(res.hits.map((h) => h.id), [0, 3, 6]);
  assert.equal(res.estimatedTotalHits, 10);
  assert.throws(() => index.search(searchQuery({ filter: 'kind =' }), 'i'), (e: unknown) => e instanceof MeiliError && e.code === 'invalid_search_filter');
});

test('exclusions, phrases, synonyms, attributesToSearchOn and the score threshold', () => {
  const index = indexOf([
    { id: 1, title: 'hidden world', body: 'dragon' },
    { id: 2, title: 'world hidden', body: 'nothing' },
    { id: 3, title: 'nyc lights', body: 'x' },
  ], (s) => {
    s.synonyms = { 'new york': ['nyc'] };
  });
  assert.deepEqual(index.search(searchQuery({ q: 'hidden -dragon' }), 'i').hits.map((h) => h.id), [2]);
  assert.deepEqual(index.search(searchQuery({ q: '"hidden world"' }), 'i').hits.map((h) => h.id), [1]);
  assert.deepEqual(index.search(searchQuery({ q: 'hidden -"hidden world"' }), 'i').hits.map((h) => h.id), [2]);
  assert.deepEqual(index.search(searchQuery({ q: 'new york' }), 'i').hits.map((h) => h.id), [3]);
  assert.deepEqual(index.search(searchQuery({ q: 'dragon', attributesToSearchOn: ['title'] }), 'i').hits.map((h) => h.id), []);
  // Under searchableAttributes ["*"] a name no document carries is skipped (it searches nothing), as milli does.
  assert.deepEqual(index.search(searchQuery({ q: 'x', attributesToSearchOn: ['nope'] }), 'i').hits.map((h) => h.id), []);
  assert.deepEqual(index.search(searchQuery({ q: 'x', attributesToSearchOn: ['nope', 'body'] }), 'i').hits.map((h) => h.id), [3]);
  const listed = indexOf([{ id: 1, title: 'x' }], (s) => {
    s.searchableAttributes = ['title'];
  });
  assert.throws(() => listed.search(searchQuery({ q: 'x', attributesToSearchOn: ['nope'] }), 'i'), (e: unknown) =>
    e instanceof MeiliError && e.code === 'invalid_search_attributes_to_search_on');
  const scored = index.search(searchQuery({ q: 'hidden world', showRankingScore: true }), 'i');
  const threshold = scored.hits[1]!._rankingScore as number;
  const above = index.search(searchQuery({ q: 'hidden world', rankingScoreThreshold: threshold + 1e-9 }), 'i');
  assert.deepEqual(above.hits.map((h) => h.id), [scored.hits[0]!.id]);
});

test('settings changes rebuild the index', () => {
  const index = indexOf(MOVIES);
  index.setSettings({ ...index.settings(), searchableAttributes: ['color'] });
  assert.equal(index.search(searchQuery({ q: 'dragon' }), 'i').hits.length, 0);
  assert.equal(index.search(searchQuery({ q: 'yellow' }), 'i').hits.length, 2);
  index.setSettings({ ...index.settings(), stopWords: ['how'], searchableAttributes: ['*'] });
  assert.equal(index.search(searchQuery({ q: 'dragon' }), 'i').hits.length, 1);
});
