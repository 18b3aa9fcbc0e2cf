// Goal: search request shapes fail with Meilisearch's exact codes and
// messages (tests/search/errors.rs, API.md §11 example 18) and valid ones
// produce a SearchQuery with the documented defaults.
// Method: feed bodies and query strings to the parsers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MeiliError } from '../../../../api/errors/registry.ts';
import {
  defaultSearchQuery, parseFacetSearchBody, parseSearchBody, parseSearchQueryString, splitSortParameter,
} from '../../../../api/protocol/search-params.ts';

function fails(fn: () => unknown, code: string, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof MeiliError && e.code === code && e.message === message, `${code}: ${message}`);
}

test('POST body type errors use the per-parameter code and deserr template', () => {
  fails(() => parseSearchBody({ offset: 'doggo' }), 'invalid_search_offset', 'Invalid value type at `.offset`: expected a positive integer, but found a string: `"doggo"`');
  fails(() => parseSearchBody({ q: ['doggo'] }), 'invalid_search_q', 'Invalid value type at `.q`: expected a string, but found an array: `["doggo"]`');
  fails(() => parseSearchBody({ attributesToRetrieve: 'doggo' }), 'invalid_search_attributes_to_retrieve', 'Invalid value type at `.attributesToRetrieve`: expected an array, but found a string: `"doggo"`');
  fails(() => parseSearchBody({ retrieveVectors: [true] }), 'invalid_search_retrieve_vectors', 'Invalid value type at `.retrieveVectors`: expected a boolean, but found an array: `[true]`');
  fails(() => parseSearchBody({ rankingScoreThreshold: 'doggo' }), 'invalid_search_ranking_score_threshold', 'Invalid value type at `.rankingScoreThreshold`: expected a number, but found a string: `"doggo"`');
  fails(() => parseSearchBody({ rankingScoreThreshold: 42 }), 'invalid_search_ranking_score_threshold', 'Invalid value at `.rankingScoreThreshold`: the value of `rankingScoreThreshold` is invalid, expected a float between `0.0` and `1.0`.');
  fails(() => parseSearchBody({ matchingStrategy: 'doggo' }), 'invalid_search_matching_strategy', 'Unknown value `doggo` at `.matchingStrategy`: expected one of `last`, `all`, `frequency`');
  fails(() => parseSearchBody({ matchingStrategy: { doggo: 'doggo' } }), 'invalid_search_matching_strategy', 'Invalid value type at `.matchingStrategy`: expected a string, but found an object: `{"doggo":"doggo"}`');
  fails(() => parseSearchBody({ distinct: true }), 'invalid_search_distinct', 'Invalid value type at `.distinct`: expected a string, but found a boolean: `true`');
  fails(() => parseSearchBody({ limit: null }), 'invalid_search_limit', 'Invalid value type at `.limit`: expected a positive integer, but found null');
  fails(() => parseSearchBody({ limit: -1 }), 'invalid_search_limit', 'Invalid value type at `.limit`: expected a positive integer, but found a negative integer: `-1`');
});

test('POST body: unknown fields are bad_request with the field list and a hint', () => {
  assert.throws(() => parseSearchBody({ filler: 'x' }), (e: unknown) => e instanceof MeiliError && e.code === 'bad_request'
    && e.message.startsWith('Unknown field `filler`: did you mean `filter`? expected one of `q`, `offset`, `limit`, `page`, `hitsPerPage`,'));
  fails(() => parseSearchBody('x'), 'bad_request', 'Invalid value type: expected an object, but found a string: `"x"`');
});

test('POST body: defaults and accepted nulls', () => {
  const { query } = parseSearchBody({ q: null, page: null, filter: ['a = 1'], sort: ['x:asc'] });
  assert.deepEqual(query, { ...defaultSearchQuery(), filter: ['a = 1'], sort: ['x:asc'] });
  assert.equal(defaultSearchQuery().cropMarker, '…');
  assert.equal(defaultSearchQuery().limit, 20);
});

test('GET query string errors and conversions', () => {
  fails(() => parseSearchQueryString({ offset: 'doggo' }), 'invalid_search_offset', 'Invalid value in parameter `offset`: could not parse `doggo` as a positive integer');
  fails(() => parseSearchQueryString({ retrieveVectors: '' }), 'invalid_search_retrieve_vectors', 'Invalid value in parameter `retrieveVectors`: could not parse `` as a boolean, expected either `true` or `false`');
  fails(() => parseSearchQueryString({ matchingStrategy: 'doggo' }), 'invalid_search_matching_strategy', 'Unknown value `doggo` for parameter `matchingStrategy`: expected one of `last`, `all`, `frequency`');
  fails(() => parseSearchQueryString({ hybridSemanticRatio: '0.5' }), 'invalid_search_hybrid_query', '`hybridEmbedder` is mandatory when `hybridSemanticRatio` is present');
  fails(() => parseSearchQueryString({ vector: '1,2' }), 'missing_search_hybrid', '`hybridEmbedder` is mandatory when `vector` is present');
  fails(() => parseSearchQueryString({ offset: ['1', '2'] }), 'invalid_search_offset', 'Invalid value type for parameter `offset`: expected a string, but found multiple values');
  assert.throws(() => parseSearchQueryString({ doggo: 'x' }), (e: unknown) => e instanceof MeiliError && e.code === 'bad_request' && e.message.startsWith('Unknown parameter `doggo`: expected one of `q`, `offset`'));
  const { query } = parseSearchQueryString({ q: 'a', limit: '5', facets: 'genre,year', filter: '["a = 1"]', sort: '_geoPoint(1,2):asc,title:desc', showRankingScore: 'true' });
  assert.equal(query.limit, 5);
  assert.deepEqual(query.facets, ['genre', 'year']);
  assert.deepEqual(query.filter, ['a = 1']);
  assert.deepEqual(query.sort, ['_geoPoint(1,2):asc', 'title:desc']);
  assert.equal(query.showRankingScore, true);
  assert.equal(parseSearchQueryString({ filter: 'genre = horror' }).query.filter, 'genre = horror');
});

test('sort parameter splitting keeps _geoPoint commas', () => {
  assert.deepEqual(splitSortParameter('a:asc, _geoPoint(1, 2):desc,b:desc'), ['a:asc', '_geoPoint(1,2):desc', 'b:desc']);
});

test('facet-search bodies ignore unknown fields and require facetName', () => {
  fails(() => parseFacetSearchBody({ facetQuery: 'x' }), 'missing_facet_search_facet_name', 'Missing field `facetName`');
  fails(() => parseFacetSearchBody({ facetName: 1 }), 'invalid_facet_search_facet_name', 'Invalid value type at `.facetName`: expected a string, but found a positive integer: `1`');
  const body = parseFacetSearchBody({ facetName: 'genre', facetQuery: 'ho', whatever: true, q: 'x' });
  assert.equal(body.facetName, 'genre');
  assert.equal(body.facetQuery, 'ho');
  assert.equal(body.q, 'x');
});

test('locales: the accepted list, with the JSON and query-string messages of tests/search/locales.rs', () => {
  assert.deepEqual(parseSearchBody({ locales: ['jpn', 'en', 'cmn'] }).query.locales, ['jpn', 'en', 'cmn']);
  assert.throws(() => parseSearchBody({ locales: ['invalid'] }), (e: unknown) => e instanceof MeiliError && e.code === 'invalid_search_locales'
    && e.message.startsWith('Unknown value `invalid` at `.locales[0]`: expected one of `af`, `ak`, `am`, ') && e.message.endsWith('`zho`, `zul`, `cym`, `cmn`'));
  assert.throws(() => parseSearchQueryString({ locales: 'invalid' }), (e: unknown) => e instanceof MeiliError
    && e.message.startsWith('Invalid value in parameter `locales`: Unsupported locale `invalid`, expected one of af, ak, am, ar, az, be, bg, bn, ca, cs, cy, da,')
    && e.message.includes('afr, aka, amh, ara, aze, bel, ben, bul, cat, ces, cmn, cym, dan,') && e.message.endsWith('zho, zul'));
});
