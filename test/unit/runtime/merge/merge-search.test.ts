// Goal: the search merge handles the cases the oracle test does not reach:
// node-specific tie order (pages must not overlap), sort values that make
// `_rankingScore` the wrong order, skipped/geo/vector/hidden details, hits
// without details, stripping, response key order, totals and facets.
// Method: small hand-built node responses with the expected answer written out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeSearch } from '../../../../runtime/merge/merge-search.ts';
import type { MergeSearchInput } from '../../../../runtime/merge/merge-search.ts';
import type { ClientSearchQuery, NodeSearchResponse } from '../../../../runtime/merge/types.ts';
import { seededRng } from '../../../../runtime/env/rng.ts';

const FACETING = { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'alpha' as const } };

function merge(responses: NodeSearchResponse[], query: ClientSearchQuery, extra: Partial<MergeSearchInput> = {}) {
  return mergeSearch({
    responses,
    query,
    maxTotalHits: 1000,
    faceting: FACETING,
    primaryKey: 'id',
    distinctAttribute: null,
    addedFields: [],
    requestUid: 'r-1',
    ...extra,
  });
}

const ids = (hits: readonly Record<string, unknown>[]): unknown[] => hits.map((h) => h['id']);
/** The values of `keys` in a response whose pagination keys depend on the mode. */
const pick = (response: object, keys: string[]): unknown[] => keys.map((k) => (response as Record<string, unknown>)[k]);

test('a sort rule between scored rules orders by value even when _rankingScore says otherwise', () => {
  const a = { id: 1, _rankingScore: 0.9, _rankingScoreDetails: { words: { order: 0, score: 1 }, 'price:asc': { order: 1, value: 100 }, typo: { order: 2, score: 1 } } };
  const b = { id: 2, _rankingScore: 0.6, _rankingScoreDetails: { words: { order: 0, score: 1 }, 'price:asc': { order: 1, value: 5 }, typo: { order: 2, score: 0.5 } } };
  const c = { id: 3, _rankingScore: 0.95, _rankingScoreDetails: { words: { order: 0, score: 0.5 }, 'price:asc': { order: 1, value: 1 }, typo: { order: 2, score: 1 } } };
  const { response } = merge([{ hits: [a, c], processingTimeMs: 1, estimatedTotalHits: 2 }, { hits: [b], processingTimeMs: 3, estimatedTotalHits: 1 }], {});
  assert.deepEqual(ids(response.hits), [2, 1, 3]);
  assert.deepEqual(Object.keys(response.hits[0]!), ['id'], 'scores are stripped unless asked');
});

test('rule-by-rule comparison separates hits whose folded _rankingScore rounds to the same double', () => {
  // Six rules with max rank 1000: the mixed-radix product (1e18) exceeds 2^53, so
  // 1 - 1/1e18 rounds to 1.0 and _rankingScore cannot tell these two hits apart.
  const details = (last: number) =>
    Object.fromEntries(['words', 'typo', 'proximity', 'attributeRank', 'wordPosition', 'exactness'].map((rule, order) => [rule, { order, score: order === 5 ? last / 1000 : 1 }]));
  const a = { id: 1, _rankingScore: 1, _rankingScoreDetails: details(999) };
  const b = { id: 2, _rankingScore: 1, _rankingScoreDetails: details(1000) };
  assert.equal(1 - 1 / 1e18, 1);
  const r = merge([{ hits: [a], processingTimeMs: 0 }, { hits: [b], processingTimeMs: 0 }], {});
  assert.deepEqual(ids(r.response.hits), [2, 1]);
});

test('the worked example of API.md §5.1 (train dragon) ranks below a hit that only wins on wordPosition', () => {
  const trainDragon = { words: { order: 0, matchingWords: 2, maxMatchingWords: 2, score: 1.0 }, typo: { order: 1, typoCount: 0, maxTypoCount: 2, score: 1.0 }, proximity: { order: 2, score: 0.75 }, attributeRank: { order: 3, score: 1.0 }, wordPosition: { order: 4, score: 0.8095238095238095 }, exactness: { order: 5, matchType: 'noExactMatch', matchingWords: 2, maxMatchingWords: 2, score: 0.3333333333333333 } };
  const better = { ...trainDragon, wordPosition: { order: 4, score: 18 / 21 }, exactness: { order: 5, matchType: 'noExactMatch', matchingWords: 0, maxMatchingWords: 2, score: 1 / 9 } };
  const r = merge([{ hits: [{ id: 'a', _rankingScore: 4305 / 4536, _rankingScoreDetails: trainDragon }], processingTimeMs: 0 }, { hits: [{ id: 'b', _rankingScoreDetails: better }], processingTimeMs: 0 }], {});
  assert.deepEqual(ids(r.response.hits), ['b', 'a']);
});

test('sort values: numbers before strings before missing, in both directions; geo by distance', () => {
  const hit = (id: number, value: unknown) => ({ id, _rankingScoreDetails: { 'x:desc': { order: 0, value } } });
  const r = merge([{ hits: [hit(1, 3), hit(2, 'b'), hit(3, null)], processingTimeMs: 0 }, { hits: [hit(4, 10), hit(5, 'a'), hit(6, null)], processingTimeMs: 0 }], {});
  assert.deepEqual(ids(r.response.hits), [4, 1, 2, 5, 3, 6]);
  const geo = (id: number, distance: number | null) => ({ id, _rankingScoreDetails: { '_geoPoint(0, 0):asc': { order: 0, value: null, distance } } });
  const g = merge([{ hits: [geo(1, 5), geo(2, null)], processingTimeMs: 0 }, { hits: [geo(3, 1), geo(4, 9)], processingTimeMs: 0 }], {});
  assert.deepEqual(ids(g.response.hits), [3, 1, 4, 2]);
});

test('skipped rules count as rank 0, vectorSort by similarity, hidden sorts and missing details are reported', () => {
  const words = (id: number, score: number, rest: Record<string, unknown>) => ({ id, _rankingScoreDetails: { words: { order: 0, score }, ...rest } });
  const r = merge([
    { hits: [words(1, 1, { skipped: { order: 1 } })], processingTimeMs: 0 },
    { hits: [words(2, 1, { typo: { order: 1, score: 0.5 } })], processingTimeMs: 0 },
  ], {});
  assert.deepEqual(ids(r.response.hits), [2, 1]);
  const v = merge([{ hits: [{ id: 1, _rankingScoreDetails: { vectorSort: { order: 0, similarity: 0.2 } } }], processingTimeMs: 0 }, { hits: [{ id: 2, _rankingScoreDetails: { vectorSort: { order: 0, similarity: 0.7 } } }], processingTimeMs: 0 }], {});
  assert.deepEqual(ids(v.response.hits), [2, 1]);
  // Approximations are reported when they touched a comparison (keys are built lazily).
  const h = merge([
    { hits: [{ id: 2, _rankingScoreDetails: { '<hidden-rule-0>': { order: 0, value: '<hidden>' } } }], processingTimeMs: 0 },
    { hits: [{ _rankingScore: 0 }], processingTimeMs: 0 },
  ], {});
  assert.deepEqual(h.approximations, ['hidden-sort-values', 'missing-primary-key', 'missing-ranking-details']);
  assert.deepEqual(ids(h.response.hits), [2, undefined]);
});

test('details given out of order are read by their `order` field', () => {
  const a = { id: 1, _rankingScoreDetails: { typo: { order: 1, score: 1 }, words: { order: 0, score: 0.5 } } };
  const b = { id: 2, _rankingScoreDetails: { words: { order: 0, score: 1 }, typo: { order: 1, score: 0.1 } } };
  assert.deepEqual(ids(merge([{ hits: [a], processingTimeMs: 0 }, { hits: [b], processingTimeMs: 0 }], {}).response.hits), [2, 1]);
});

test('ties keep each node own order, so consecutive pages never overlap (placeholder search)', () => {
  const rng = seededRng(99);
  for (let trial = 0; trial < 100; trial++) {
    // Each node lists its documents in an arbitrary internal order, all tied.
    const unused = Array.from({ length: 200 }, (_, i) => i);
    const freshId = (): number => unused.splice(rng.int(unused.length), 1)[0]!;
    const nodes = Array.from({ length: 1 + rng.int(4) }, () =>
      Array.from({ length: rng.int(30) }, () => ({ id: freshId(), _rankingScore: 1, _rankingScoreDetails: {} })),
    );
    const total = nodes.reduce((s, n) => s + n.length, 0);
    const response = (fetch: number): NodeSearchResponse[] => nodes.map((hits) => ({ hits: hits.slice(0, fetch), processingTimeMs: 0 }));
    const everything = ids(merge(response(total), { offset: 0, limit: total }).response.hits);
    const limit = 1 + rng.int(7);
    const pages: unknown[] = [];
    for (let offset = 0; offset < total; offset += limit) pages.push(...ids(merge(response(offset + limit), { offset, limit }).response.hits));
    assert.deepEqual(pages, everything, 'pages concatenate to the full list');
    for (const hits of nodes) {
      const positions = hits.map((h) => everything.indexOf(h.id));
      assert.deepEqual([...positions].sort((a, b) => a - b), positions, "a node's order is kept");
    }
  }
});

test('response keys in Meilisearch order; totals summed and capped; slowest node time; facets merged', () => {
  const node = (id: number, t: number, total: number): NodeSearchResponse => ({
    hits: [{ id, _rankingScore: 1, _rankingScoreDetails: {} }],
    processingTimeMs: t,
    estimatedTotalHits: total,
    totalHits: total,
    facetDistribution: { genre: { Horror: 2, drama: 1 } },
    facetStats: { price: { min: id, max: id * 10 } },
  });
  const nodes = [node(1, 4, 600), node(2, 9, 700)];
  const offset = merge(nodes, { q: 'x', limit: 1, showRankingScore: true });
  assert.deepEqual(Object.keys(offset.response), ['hits', 'query', 'processingTimeMs', 'limit', 'offset', 'estimatedTotalHits', 'facetDistribution', 'facetStats', 'requestUid']);
  assert.deepEqual(offset.response.hits, [{ id: 1, _rankingScore: 1 }]);
  assert.equal(offset.response.processingTimeMs, 9);
  assert.deepEqual(pick(offset.response, ['query', 'limit', 'offset', 'estimatedTotalHits']), ['x', 1, 0, 1000]);
  assert.deepEqual(offset.response.facetDistribution, { genre: { drama: 2, Horror: 4 } });
  assert.deepEqual(offset.response.facetStats, { price: { min: 1, max: 20 } });
  const page = merge(nodes, { page: 2, hitsPerPage: 1 }, { maxTotalHits: 1000 });
  assert.deepEqual(Object.keys(page.response).slice(0, 7), ['hits', 'query', 'processingTimeMs', 'hitsPerPage', 'page', 'totalPages', 'totalHits']);
  assert.deepEqual(pick(page.response, ['hitsPerPage', 'page', 'totalPages', 'totalHits']), [1, 2, 1000, 1000]);
  assert.deepEqual(ids(page.response.hits), [2]);
  const zero = merge(nodes, { hitsPerPage: 0 });
  assert.deepEqual(pick(zero.response, ['hits', 'totalPages', 'totalHits']), [[], 0, 1000]);
});

test('maxTotalHits clamps the window: offset and limit never reach past it', () => {
  const hits = Array.from({ length: 10 }, (_, i) => ({ id: i, _rankingScoreDetails: { words: { order: 0, score: 1 - i / 10 } } }));
  const r = merge([{ hits, processingTimeMs: 0, estimatedTotalHits: 10 }], { offset: 3, limit: 10 }, { maxTotalHits: 5 });
  assert.deepEqual(ids(r.response.hits), [3, 4]);
  assert.deepEqual(pick(r.response, ['offset', 'limit', 'estimatedTotalHits']), [3, 2, 5]);
  const past = merge([{ hits, processingTimeMs: 0, estimatedTotalHits: 10 }], { offset: 8 }, { maxTotalHits: 5 });
  assert.deepEqual(pick(past.response, ['hits', 'offset', 'limit']), [[], 5, 0]);
});

test('reserved and Miroir-added fields are stripped from hits, _formatted and _matchesPosition', () => {
  const hit = {
    id: 7,
    title: 'T',
    meta: { edition: 'x', keep: 1 },
    only: { edition: 'y' },
    _miroir_shard: 3,
    _formatted: { id: '7', title: '<em>T</em>', _miroir_shard: '3', meta: { edition: 'x', keep: '1' } },
    _matchesPosition: { title: [{ start: 0, length: 1 }], _miroir_shard: [] },
    _rankingScore: 1,
    _rankingScoreDetails: {},
  };
  const r = merge([{ hits: [hit], processingTimeMs: 0 }], { showRankingScoreDetails: true }, { addedFields: ['id', 'meta.edition', 'only.edition'] });
  assert.deepEqual(r.response.hits, [
    { title: 'T', meta: { keep: 1 }, _formatted: { title: '<em>T</em>', meta: { keep: '1' } }, _matchesPosition: { title: [{ start: 0, length: 1 }] }, _rankingScoreDetails: {} },
  ]);
  assert.deepEqual(hit.meta, { edition: 'x', keep: 1 }, 'the input is not mutated');
});

test('distinct across nodes keeps the best hit per value; docs without the field all stay; page totals drop the rejected', () => {
  const h = (id: number, score: number, edition?: string) => ({ id, ...(edition === undefined ? {} : { edition }), _rankingScoreDetails: { words: { order: 0, score } } });
  const nodes: NodeSearchResponse[] = [
    { hits: [h(1, 0.9, 'A'), h(2, 0.5), h(3, 0.4, 'b')], processingTimeMs: 0, totalHits: 3 },
    { hits: [h(4, 0.95, 'a '), h(5, 0.6, 'B'), h(6, 0.3)], processingTimeMs: 0, totalHits: 3 },
  ];
  const r = merge(nodes, { hitsPerPage: 10 }, { distinctAttribute: 'edition' });
  assert.deepEqual(ids(r.response.hits), [4, 5, 2, 6]);
  assert.deepEqual(pick(r.response, ['totalHits']), [4]);
});

test('distinct over array values is flagged as approximate', () => {
  const h = (id: number, edition: unknown) => ({ id, edition, _rankingScoreDetails: { words: { order: 0, score: 1 - id / 10 } } });
  const r = merge([{ hits: [h(1, ['a', 'b'])], processingTimeMs: 0 }, { hits: [h(2, 'b'), h(3, 'c')], processingTimeMs: 0 }], {}, { distinctAttribute: 'edition' });
  assert.deepEqual(ids(r.response.hits), [1, 3]);
  assert.deepEqual(r.approximations, ['multi-valued-distinct']);
});

test('no node answered (every shard unavailable): an empty page with zero totals and the asked facet keys', () => {
  const r = merge([], { q: 'x', facets: ['genre'] });
  assert.deepEqual(r.response, { hits: [], query: 'x', processingTimeMs: 0, limit: 20, offset: 0, estimatedTotalHits: 0, facetDistribution: {}, facetStats: {}, requestUid: 'r-1' });
  assert.deepEqual(Object.keys(merge([], { page: 1 }).response), ['hits', 'query', 'processingTimeMs', 'hitsPerPage', 'page', 'totalPages', 'totalHits', 'requestUid']);
});

test('hits scored on different scales (matchingStrategy frequency, rolling settings) are flagged', () => {
  const h = (id: number, matching: number, max: number) => ({ id, _rankingScoreDetails: { words: { order: 0, matchingWords: matching, maxMatchingWords: max, score: matching / max } } });
  const r = merge([{ hits: [h(1, 2, 3)], processingTimeMs: 0 }, { hits: [h(2, 3, 4)], processingTimeMs: 0 }], {});
  assert.deepEqual(ids(r.response.hits), [2, 1]);
  assert.deepEqual(r.approximations, ['inconsistent-max-rank']);
  const same = merge([{ hits: [h(1, 2, 3)], processingTimeMs: 0 }, { hits: [h(2, 3, 3)], processingTimeMs: 0 }], {});
  assert.deepEqual(same.approximations, []);
});

test('keys longer than the initial buffer (nine rules, a sort rule among them) still compare rule by rule', () => {
  const details = (last: number, title: string) => {
    const rules: Record<string, unknown> = {};
    for (let order = 0; order < 9; order++) {
      rules[order === 4 ? 'title:asc' : `rule${order}`] = order === 4 ? { order, value: title } : { order, score: order === 8 ? last : 1 };
    }
    return rules;
  };
  const a = { id: 1, _rankingScoreDetails: details(0.5, 'same') };
  const b = { id: 2, _rankingScoreDetails: details(0.9, 'same') };
  const c = { id: 3, _rankingScoreDetails: details(0.1, 'later') };
  // c wins on the sort rule (fifth), b beats a on the ninth only.
  const r = merge([{ hits: [a], processingTimeMs: 0 }, { hits: [c, b], processingTimeMs: 0 }], {});
  assert.deepEqual(ids(r.response.hits), [3, 2, 1]);
});
