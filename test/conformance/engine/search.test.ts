// Goal: the official `meilisearch` client sees Meilisearch's search API on an
// embedded engine node: answer key order with `requestUid` (API.md §4.2,
// example 11), GET search with comma lists, parameter errors (example 18),
// 404 on search and 400 inside multi-search (examples 2 and 3), the
// federation rules, a federated search with `_federation` hits and no
// `query` key (example 15), and facet search.
// Method: start `miroir node` as a child process on port 0 in a temp dir,
// load two small indexes, drive it with the official client.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Meilisearch, MeilisearchApiError } from 'meilisearch';
import { startFixture, type Fixture } from './helpers.ts';

let fixture: Fixture;
let client: Meilisearch;

before(async () => {
  fixture = await startFixture('search');
  client = fixture.client;
  await client.index('movies').addDocuments([
    { id: 1, title: 'Carol', genre: 'romance', year: 2015 },
    { id: 2, title: 'Wonder Woman', genre: 'action', year: 2017 },
    { id: 3, title: 'Mad Max Fury Road', genre: 'action', year: 2015 },
    { id: 4, title: 'Glass Onion', genre: 'mystery', year: 2022 },
  ], { primaryKey: 'id' }).waitTask();
  await client.index('movies').updateFilterableAttributes(['genre', 'year']).waitTask();
  await client.index('books').addDocuments([
    { id: 'b1', title: 'Glass Hotel', genre: 'drama' }, { id: 'b2', title: 'The Road', genre: 'drama' },
  ], { primaryKey: 'id' }).waitTask();
  await client.index('books').updateFilterableAttributes(['genre']).waitTask();
});

after(() => fixture.close());

async function apiError(promise: Promise<unknown>): Promise<{ status: number; body: NonNullable<MeilisearchApiError['cause']> }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof MeilisearchApiError, String(error));
    assert.ok(error.cause);
    return { status: error.response.status, body: error.cause };
  }
  assert.fail('expected the request to fail');
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('placeholder search: key order and requestUid; page mode keys (example 11)', async () => {
  const res = await client.index('movies').search();
  assert.deepEqual(Object.keys(res), ['hits', 'query', 'processingTimeMs', 'limit', 'offset', 'estimatedTotalHits', 'requestUid']);
  assert.equal(res.query, '');
  assert.equal(res.estimatedTotalHits, 4);
  assert.match(String((res as unknown as Record<string, unknown>)['requestUid']), UUID_V7);
  const paged = await client.index('movies').search('', { page: 1, hitsPerPage: 0 });
  assert.deepEqual(Object.keys(paged), ['hits', 'query', 'processingTimeMs', 'hitsPerPage', 'page', 'totalPages', 'totalHits', 'requestUid']);
  assert.equal(paged.totalPages, 0);
  assert.equal(paged.totalHits, 4);
  const timed = await client.index('movies').search('', { showPerformanceDetails: true } as never);
  assert.deepEqual(Object.keys(timed).slice(-2), ['requestUid', 'performanceDetails']);
});

test('GET search with comma lists and a string filter', async () => {
  const res = await client.index('movies').searchGet('', { filter: 'genre = action', facets: ['genre', 'year'], attributesToRetrieve: ['title'] });
  assert.deepEqual(res.hits.map((h) => h['title']).sort(), ['Mad Max Fury Road', 'Wonder Woman']);
  assert.deepEqual(res.facetDistribution?.['genre'], { action: 2 });
});

test('bad search parameters (example 18), POST and GET', async () => {
  const post = await apiError(client.index('movies').search('', { offset: 'doggo' as unknown as number }));
  assert.equal(post.status, 400);
  assert.deepEqual(post.body, {
    message: 'Invalid value type at `.offset`: expected a positive integer, but found a string: `"doggo"`',
    code: 'invalid_search_offset', type: 'invalid_request', link: 'https://docs.meilisearch.com/errors#invalid_search_offset',
  });
  const get = await apiError(client.index('movies').searchGet('', { limit: 'doggo' as unknown as number }));
  assert.equal(get.body.message, 'Invalid value in parameter `limit`: could not parse `doggo` as a positive integer');
  const unknown = await apiError(client.index('movies').search('', { filler: 1 } as never));
  assert.equal(unknown.body.code, 'bad_request');
  assert.match(unknown.body.message, /^Unknown field `filler`: did you mean `filter`\? expected one of `q`, `offset`, /);
});

test('missing index: 404 on search (example 2), 400 in multi-search (example 3)', async () => {
  const single = await apiError(client.index('DOES_NOT_EXISTS').search('hello'));
  assert.equal(single.status, 404);
  assert.deepEqual(single.body, {
    message: 'Index `DOES_NOT_EXISTS` not found.', code: 'index_not_found', type: 'invalid_request',
    link: 'https://docs.meilisearch.com/errors#index_not_found',
  });
  const multi = await apiError(client.multiSearch({ queries: [{ indexUid: 'test', q: 'x' }] }));
  assert.equal(multi.status, 400);
  assert.deepEqual(multi.body, {
    message: 'Inside `.queries[0]`: Index `test` not found.', code: 'index_not_found', type: 'invalid_request',
    link: 'https://docs.meilisearch.com/errors#index_not_found',
  });
});

test('multi-search without federation answers per query, in order', async () => {
  const res = await client.multiSearch({ queries: [{ indexUid: 'books', q: 'road' }, { indexUid: 'movies', q: 'road' }] });
  assert.deepEqual(res.results.map((r) => r.indexUid), ['books', 'movies']);
  assert.deepEqual(Object.keys(res.results[0] ?? {}).slice(0, 3), ['indexUid', 'hits', 'query']);
  const err = await apiError(client.multiSearch({ queries: [{ indexUid: 'movies', federationOptions: { weight: 2 } }] }));
  assert.equal(err.body.code, 'invalid_multi_search_federation_options');
});

test('federated search merges by weighted score with _federation and no query key (example 15)', async () => {
  const res = await client.multiSearch({
    federation: { limit: 3 },
    queries: [{ indexUid: 'movies', q: 'glass' }, { indexUid: 'books', q: 'glass', federationOptions: { weight: 0.5 } }],
  });
  assert.deepEqual(Object.keys(res), ['hits', 'processingTimeMs', 'limit', 'offset', 'estimatedTotalHits', 'requestUid']);
  assert.equal(res.estimatedTotalHits, 2);
  const [first, second] = res.hits;
  assert.equal(first?.['title'], 'Glass Onion');
  assert.deepEqual(first?._federation, { indexUid: 'movies', queriesPosition: 0, weightedRankingScore: first?._federation?.weightedRankingScore });
  assert.equal(second?._federation?.indexUid, 'books');
  assert.ok((first?._federation?.weightedRankingScore ?? 0) > (second?._federation?.weightedRankingScore ?? 1));
  assert.equal(Object.keys(first ?? {}).at(-1), '_federation');
  const pagination = await apiError(client.multiSearch({ federation: {}, queries: [{ indexUid: 'movies', limit: 2 }] }));
  assert.equal(pagination.body.code, 'invalid_multi_search_query_pagination');
  assert.equal(pagination.body.message, 'Inside `.queries[0]`: Using pagination options is not allowed in federated queries.\n - Hint: remove `limit` from query #0 or remove `federation` from the request\n - Hint: pass `federation.limit` and `federation.offset` for pagination in federated search');
});

test('federated facets: per index, and merged', async () => {
  const byIndex = await client.multiSearch({
    federation: { facetsByIndex: { movies: ['genre'], books: ['genre'] } },
    queries: [{ indexUid: 'movies', q: '' }, { indexUid: 'books', q: '' }],
  });
  assert.deepEqual(byIndex.facetsByIndex?.['books']?.distribution, { genre: { drama: 2 } });
  const merged = await client.multiSearch({
    federation: { facetsByIndex: { movies: ['genre'], books: ['genre'] }, mergeFacets: {} },
    queries: [{ indexUid: 'movies', q: '' }, { indexUid: 'books', q: '' }],
  });
  assert.deepEqual(merged.facetDistribution?.['genre'], { action: 2, drama: 2, mystery: 1, romance: 1 });
  assert.equal(merged.facetsByIndex, undefined);
});

test('facet search', async () => {
  const res = await client.index('movies').searchForFacetValues({ facetName: 'genre', facetQuery: 'act' });
  assert.deepEqual(res.facetHits, [{ value: 'action', count: 2 }]);
  const missing = await apiError(client.index('movies').searchForFacetValues({ facetQuery: 'x' } as never));
  assert.equal(missing.body.code, 'missing_facet_search_facet_name');
});

test('federated facet errors name facetsByIndex; unused missing indexes are 400', async () => {
  const notFilterable = await apiError(client.multiSearch({
    federation: { facetsByIndex: { movies: ['title'] } }, queries: [{ indexUid: 'movies', q: '' }],
  }));
  assert.equal(notFilterable.status, 400);
  assert.match(notFilterable.body.message, /^Inside `\.federation\.facetsByIndex\.movies`: [\s\S]*\n - Note: index `movies` used in `\.queries\[0\]`$/);
  const unused = await apiError(client.multiSearch({
    federation: { facetsByIndex: { nope: ['genre'] } }, queries: [{ indexUid: 'movies', q: '' }],
  }));
  assert.equal(unused.status, 400);
  assert.equal(unused.body.message, 'Inside `.federation.facetsByIndex.nope`: Index `nope` not found.\n - Note: index `nope` is not used in queries');
});

test('federated: one document matched by two queries of its index appears once', async () => {
  const res = await client.multiSearch({ federation: {}, queries: [{ indexUid: 'movies', q: 'glass' }, { indexUid: 'movies', q: 'onion' }] });
  assert.deepEqual(res.hits.map((h) => h['id']), [4]);
});

test('federated page mode and network-only options', async () => {
  const paged = (await client.multiSearch({ federation: { page: 1, hitsPerPage: 2 }, queries: [{ indexUid: 'movies', q: '' }, { indexUid: 'books', q: '' }] })) as unknown as { hits: unknown[]; totalHits: number; totalPages: number };
  assert.deepEqual(Object.keys(paged), ['hits', 'processingTimeMs', 'hitsPerPage', 'page', 'totalPages', 'totalHits', 'requestUid']);
  assert.equal(paged.hits.length, 2);
  assert.equal(paged.totalHits, 6);
  assert.equal(paged.totalPages, 3);
  const remote = await apiError(client.multiSearch({ federation: {}, queries: [{ indexUid: 'movies', federationOptions: { remote: 'ms1' } }] }));
  assert.equal(remote.body.message, 'Performing a remote federated search requires enabling the `network` experimental feature. See https://github.com/orgs/meilisearch/discussions/805');
  assert.equal(remote.body.code, 'feature_not_enabled');
});

test('retrieveVectors adds an empty _vectors after the document fields', async () => {
  const res = await client.index('movies').search('carol', { retrieveVectors: true, showRankingScore: true });
  assert.deepEqual(Object.keys(res.hits[0] ?? {}), ['id', 'title', 'genre', 'year', '_vectors', '_rankingScore']);
  assert.deepEqual(res.hits[0]?.['_vectors'], {});
  const plain = await client.index('movies').search('carol');
  assert.equal('_vectors' in (plain.hits[0] ?? {}), false);
});
