// Goal: multi-search bodies are validated with Meilisearch's messages and
// the federated merge orders hits by weighted score, breaking ties by
// query position, applying distinct and merging facets.
// Method: parse/check request bodies; merge hand-made hit lists and compare
// with a naive oracle (sort all hits by score desc, then query position,
// then original rank) on seeded random inputs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MeiliError } from '../../../../api/errors/registry.ts';
import { federatedHit, mergeFacets, mergeHits, type QueryHits } from '../../../../engine/federation/merge.ts';
import { checkQueryRules, parseMultiSearchBody } from '../../../../engine/federation/request.ts';
import { uuidV7 } from '../../../../engine/federation/uuid-v7.ts';

function fails(fn: () => unknown, code: string, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof MeiliError && e.code === code && e.message === message, `${code}: ${message}`);
}

test('multi-search shape errors', () => {
  fails(() => parseMultiSearchBody({}), 'bad_request', 'Missing field `queries`');
  fails(() => parseMultiSearchBody({ queries: [{ q: 'x' }] }), 'missing_index_uid', 'Missing field `indexUid` inside `.queries[0]`');
  fails(() => parseMultiSearchBody({ queries: [{ indexUid: 'a', offset: 'x' }] }), 'invalid_search_offset',
    'Invalid value type at `.queries[0].offset`: expected a positive integer, but found a string: `"x"`');
  fails(() => parseMultiSearchBody({ queries: [{ indexUid: 'a b' }] }), 'invalid_index_uid',
    'Invalid value at `.queries[0].indexUid`: `a b` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 512 bytes.');
  fails(() => parseMultiSearchBody({ queries: [{ indexUid: 'a', federationOptions: { weight: -1 } }] }), 'invalid_multi_search_weight',
    'Invalid value at `.queries[0].federationOptions.weight`: the value of `weight` is invalid, expected a positive float (>= 0.0).');
  fails(() => parseMultiSearchBody({ queries: [], federation: { showPerformanceDetails: 'true' } }), 'invalid_search_show_performance_details',
    'Invalid value type at `.federation.showPerformanceDetails`: expected a boolean, but found a string: `"true"`');
});

test('federation-dependent rules', () => {
  fails(() => checkQueryRules(parseMultiSearchBody({ queries: [{ indexUid: 'a', federationOptions: {} }] })), 'invalid_multi_search_federation_options',
    'Inside `.queries[0]`: Using `federationOptions` is not allowed in a non-federated search.\n - Hint: remove `federationOptions` from query #0 or add `federation` to the request.');
  fails(() => checkQueryRules(parseMultiSearchBody({ federation: {}, queries: [{ indexUid: 'a' }, { indexUid: 'b', limit: 5 }] })), 'invalid_multi_search_query_pagination',
    'Inside `.queries[1]`: Using pagination options is not allowed in federated queries.\n - Hint: remove `limit` from query #1 or remove `federation` from the request\n - Hint: pass `federation.limit` and `federation.offset` for pagination in federated search');
  fails(() => checkQueryRules(parseMultiSearchBody({ federation: {}, queries: [{ indexUid: 'a', showPerformanceDetails: true }] })), 'invalid_multi_search_query_show_performance_details',
    'Inside `.queries[0]`: Using `.showPerformanceDetails` is not allowed in federated queries.\n - Hint: remove `showPerformanceDetails` from query #0 or remove `federation` from the request');
  fails(() => checkQueryRules(parseMultiSearchBody({ federation: {}, queries: [{ indexUid: 'movies', facets: ['genre', 'year'] }] })), 'invalid_multi_search_query_facets',
    'Inside `.queries[0]`: Using facet options is not allowed in federated queries.\n - Hint: remove `facets` from query #0 or remove `federation` from the request\n - Hint: pass `federation.facetsByIndex.movies: ["genre", "year"]` for facets in federated search');
  checkQueryRules(parseMultiSearchBody({ federation: {}, queries: [{ indexUid: 'a', offset: null, federationOptions: { weight: 2 } }] }));
});

function hit(id: string, score: number): Record<string, unknown> {
  return { id, _rankingScore: score };
}

test('merge: weighted score first, ties to the lower query position', () => {
  const lists: QueryHits[] = [
    { queryIndex: 0, indexUid: 'a', weight: 1, hits: [hit('a1', 0.9), hit('a2', 0.5)] },
    { queryIndex: 1, indexUid: 'b', weight: 2, hits: [hit('b1', 0.5), hit('b2', 0.2)] },
    { queryIndex: 2, indexUid: 'a', weight: 1, hits: [hit('c1', 0.9)] },
  ];
  const { merged } = mergeHits(lists, null);
  assert.deepEqual(merged.map((m) => m.hit['id']), ['b1', 'a1', 'c1', 'a2', 'b2']);
  assert.equal(merged[0]?.weightedRankingScore, 1);
  const shown = federatedHit(merged[1]!, { rankingScore: false, rankingScoreDetails: false });
  assert.deepEqual(shown, { id: 'a1', _federation: { indexUid: 'a', queriesPosition: 0, weightedRankingScore: 0.9 } });
});

test('merge agrees with a naive sort when each list is sorted (seeded)', () => {
  fc.assert(fc.property(
    fc.array(fc.record({ weight: fc.constantFrom(0, 0.5, 1, 2), scores: fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 6 }) }), { maxLength: 4 }),
    (queries) => {
      const lists: QueryHits[] = queries.map((q, qi) => ({
        queryIndex: qi, indexUid: 'i', weight: q.weight,
        hits: [...q.scores].sort((x, y) => y - x).map((s, r) => ({ id: `${qi}-${r}`, _rankingScore: s / 10 })),
      }));
      const naive = lists.flatMap((l) => l.hits.map((h, r) => ({ id: h['id'], s: (h['_rankingScore'] as number) * l.weight, q: l.queryIndex, r })))
        .sort((x, y) => y.s - x.s || x.q - y.q || x.r - y.r).map((x) => x.id);
      assert.deepEqual(mergeHits(lists, null).merged.map((m) => m.hit['id']), naive);
    }), { seed: 42, numRuns: 200 });
});

test('federation distinct drops later duplicates and counts them', () => {
  const lists: QueryHits[] = [
    { queryIndex: 0, indexUid: 'a', weight: 1, hits: [{ id: 1, color: 'Blue', _rankingScore: 1 }, { id: 2, color: 'red', _rankingScore: 0.5 }] },
    { queryIndex: 1, indexUid: 'b', weight: 1, hits: [{ id: 3, color: 'blue', _rankingScore: 0.8 }] },
  ];
  const { merged, rejected } = mergeHits(lists, 'color');
  assert.deepEqual(merged.map((m) => m.hit['id']), [1, 2]);
  assert.equal(rejected, 1);
});

test('mergeFacets sums counts, combines stats, orders and truncates', () => {
  const merged = mergeFacets([
    { distribution: { genre: { horror: 2, action: 1 } }, stats: { year: { min: 1990, max: 2000 } } },
    { distribution: { genre: { horror: 1, drama: 5 } }, stats: { year: { min: 1980, max: 1995 } } },
  ], () => 'count', 2);
  assert.deepEqual(merged.distribution, { genre: { drama: 5, horror: 3 } });
  assert.deepEqual(merged.stats, { year: { min: 1980, max: 2000 } });
  assert.deepEqual(Object.keys(mergeFacets([{ distribution: { g: { b: 1, a: 1 } }, stats: {} }], () => 'alpha', null).distribution['g'] ?? {}), ['a', 'b']);
});

test('uuidV7 has the version and variant bits and the timestamp', () => {
  const id = uuidV7(0x0123456789ab);
  assert.match(id, /^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('uuidV7 random bits differ from call to call, across refills of the random pool', () => {
  const ids = Array.from({ length: 1_000 }, () => uuidV7(0x0123456789ab));
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('a document reached by two queries of one index is shown once, at its best place', () => {
  const { merged } = mergeHits([
    { queryIndex: 0, indexUid: 'a', weight: 1, primaryKey: 'id', hits: [{ id: 1, _rankingScore: 0.5 }, { id: 2, _rankingScore: 0.4 }] },
    { queryIndex: 1, indexUid: 'a', weight: 1, primaryKey: 'id', hits: [{ id: 2, _rankingScore: 0.9 }, { id: 1, _rankingScore: 0.1 }] },
    { queryIndex: 2, indexUid: 'b', weight: 1, primaryKey: 'id', hits: [{ id: 2, _rankingScore: 0.2 }] },
  ], null);
  assert.deepEqual(merged.map((m) => `${m.indexUid}:${String(m.hit['id'])}:${m.queryIndex}`), ['a:2:1', 'a:1:0', 'b:2:2']);
});
