// Goal: the merged search answer equals what one node holding every document
// would answer (STYLE G20, ARCHITECTURE §4.3). Method: seeded random corpora
// with synthetic `_rankingScoreDetails` under several ranking-rule lists (only
// scored rules; sort between scored rules; custom field:asc/desc rules;
// placeholder sort-only; no rules at all), ids that are integers, strings or
// both, and random distinct, offset/limit, page/hitsPerPage and maxTotalHits.
// The corpus is split at random over 1-6 model nodes; each node sorts its own
// documents with the oracle comparator, applies distinct, and returns its top
// offset+limit as Meilisearch would. The merge must return exactly the
// oracle's page (same hits, same order, same stripped fields) and totals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeSearch } from '../../../../runtime/merge/merge-search.ts';
import type { ClientSearchQuery, NodeSearchResponse } from '../../../../runtime/merge/types.ts';
import { seededRng } from '../../../../runtime/env/rng.ts';
import type { Rng } from '../../../../runtime/env/clock.ts';
import { applyDistinct, hitOf, oracleCompare, randomDoc } from './oracle.ts';
import type { Doc, Rule } from './oracle.ts';

const RULE_LISTS: ReadonlyArray<readonly Rule[]> = [
  [
    { kind: 'words', maxRank: 3 },
    { kind: 'typo', maxRank: 3 },
    { kind: 'proximity', maxRank: 4 },
    { kind: 'attributeRank', maxRank: 1 },
    { kind: 'wordPosition', maxRank: 21 },
    { kind: 'exactness', maxRank: 3 },
  ],
  [
    { kind: 'words', maxRank: 2 },
    { kind: 'sort', field: 'price', ascending: true },
    { kind: 'typo', maxRank: 3 },
    { kind: 'exactness', maxRank: 4 },
  ],
  [
    { kind: 'sort', field: 'title', ascending: false },
    { kind: 'words', maxRank: 3 },
    { kind: 'proximity', maxRank: 7 },
  ],
  [
    { kind: 'words', maxRank: 2 },
    { kind: 'sort', field: 'genre', ascending: false },
    { kind: 'typo', maxRank: 2 },
    { kind: 'sort', field: 'price', ascending: true },
    { kind: 'wordPosition', maxRank: 11 },
  ],
  [
    { kind: 'sort', field: 'price', ascending: false },
    { kind: 'sort', field: 'title', ascending: true },
  ],
  [],
  // Max ranks of a 24-term query over 1,000 searchable attributes: the
  // mixed-radix product is about 9·10^13 (node-query.ts SCORE_TERMS_MAX).
  [
    { kind: 'words', maxRank: 2 },
    { kind: 'typo', maxRank: 49 },
    { kind: 'proximity', maxRank: 3 },
    { kind: 'attributeRank', maxRank: 24_000 },
    { kind: 'wordPosition', maxRank: 241 },
    { kind: 'exactness', maxRank: 75 },
  ],
];

const FACETING = { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'alpha' as const } };

interface Scenario {
  rules: readonly Rule[];
  docs: Doc[];
  nodes: Doc[][];
  query: ClientSearchQuery;
  maxTotalHits: number;
  distinct: string | null;
}

function idFor(rng: Rng, i: number, style: number): number | string {
  if (style === 0) return i * 7 + rng.int(7);
  if (style === 1) return `doc-${(i * 7919) % 1000}-${i}`;
  return rng.next() < 0.5 ? i : `k${i}`;
}

function scenario(rng: Rng): Scenario {
  const rules = RULE_LISTS[rng.int(RULE_LISTS.length)]!;
  const k = 1 + rng.int(6);
  const style = rng.int(3);
  const docs = Array.from({ length: rng.int(160) }, (_, i) => randomDoc(rng, idFor(rng, i, style), rules, rng.int(64)));
  const nodes: Doc[][] = Array.from({ length: k }, () => []);
  for (const doc of docs) nodes[rng.int(k)]!.push(doc);
  const maxTotalHits = [1000, 1000, 50, 7, 0][rng.int(5)]!;
  const show = { showRankingScore: rng.next() < 0.3, showRankingScoreDetails: rng.next() < 0.3 };
  const query: ClientSearchQuery =
    rng.next() < 0.6
      ? { q: 'q', offset: rng.int(60), limit: rng.int(40), ...show }
      : { q: 'q', page: rng.int(6), hitsPerPage: rng.int(25), ...show };
  return { rules, docs, nodes, query, maxTotalHits, distinct: rng.next() < 0.4 ? 'edition' : null };
}

function windowOf(q: ClientSearchQuery, maxTotalHits: number): { offset: number; limit: number } {
  const paged = q.page !== undefined;
  let offset = paged ? (q.page === 0 ? 0 : (q.page! - 1) * q.hitsPerPage!) : q.offset!;
  let limit = paged ? (q.page === 0 ? 0 : q.hitsPerPage!) : q.limit!;
  offset = Math.min(offset, maxTotalHits);
  limit = Math.min(limit, maxTotalHits - offset);
  return { offset, limit };
}

function nodeResponse(s: Scenario, docs: Doc[], fetch: number): NodeSearchResponse {
  const sorted = applyDistinct([...docs].sort(oracleCompare(s.rules)), s.distinct);
  const hits = sorted.slice(0, fetch).map((d) => hitOf(d, s.rules));
  const paged = s.query.page !== undefined;
  const total = Math.min(paged ? sorted.length : docs.length, s.maxTotalHits);
  return { hits, processingTimeMs: hits.length % 5, ...(paged ? { totalHits: total } : { estimatedTotalHits: total }) };
}

function expectedHits(s: Scenario): Record<string, unknown>[] {
  const { offset, limit } = windowOf(s.query, s.maxTotalHits);
  const all = applyDistinct([...s.docs].sort(oracleCompare(s.rules)), s.distinct);
  return all.slice(offset, offset + limit).map((d) => {
    const { _miroir_shard: _drop, ...fields } = d.fields;
    const hit = hitOf(d, s.rules);
    const out: Record<string, unknown> = { ...fields };
    if (s.query.showRankingScore) out['_rankingScore'] = hit['_rankingScore'];
    if (s.query.showRankingScoreDetails) out['_rankingScoreDetails'] = hit['_rankingScoreDetails'];
    return out;
  });
}

test('the merge of random shards equals one node holding every document', () => {
  const seed = Number(process.env['MIROIR_SEED'] ?? 4242);
  const rng = seededRng(seed);
  for (let trial = 0; trial < 600; trial++) {
    const s = scenario(rng);
    const { offset, limit } = windowOf(s.query, s.maxTotalHits);
    const responses = s.nodes.map((docs) => nodeResponse(s, docs, offset + limit));
    const { response } = mergeSearch({
      responses,
      query: s.query,
      maxTotalHits: s.maxTotalHits,
      faceting: FACETING,
      primaryKey: 'id',
      distinctAttribute: s.distinct,
      addedFields: [],
      requestUid: 'uid',
    });
    const label = `MIROIR_SEED=${seed} trial ${trial}: rules ${s.rules.map((r) => r.kind).join(',')}, ${JSON.stringify(s.query)}, mth ${s.maxTotalHits}, distinct ${s.distinct}`;
    assert.deepEqual(response.hits, expectedHits(s), label);
    if (s.rules.every((r) => r.kind !== 'sort')) assertScoreBasisAgrees(s, responses, label);
    const distinctCount = applyDistinct(s.docs, s.distinct).length;
    if ('totalHits' in response) {
      const localSum = responses.reduce((n, r) => n + r.totalHits!, 0);
      assert.ok(response.totalHits <= Math.min(localSum, s.maxTotalHits), label);
      assert.ok(response.totalHits >= Math.min(distinctCount, s.maxTotalHits), label);
      if (s.distinct === null) assert.equal(response.totalHits, Math.min(s.docs.length, s.maxTotalHits), label);
    } else {
      assert.equal(response.estimatedTotalHits, Math.min(s.docs.length, s.maxTotalHits), label);
      assert.deepEqual([response.offset, response.limit], [offset, limit], label);
    }
  }
});

/**
 * Without sort rules the plan asks nodes for `_rankingScore` only
 * (node-query.ts rankingBasis): the same merge over the same answers without
 * their details must give the same page.
 */
function assertScoreBasisAgrees(s: Scenario, responses: readonly NodeSearchResponse[], label: string): void {
  const query = { ...s.query, showRankingScoreDetails: false };
  const withoutDetails = responses.map((r) => ({ ...r, hits: r.hits.map(({ _rankingScoreDetails: _d, ...hit }) => hit) }));
  const { response, approximations } = mergeSearch({
    responses: withoutDetails,
    query,
    maxTotalHits: s.maxTotalHits,
    faceting: FACETING,
    primaryKey: 'id',
    distinctAttribute: s.distinct,
    addedFields: [],
    rankedBy: 'score',
    requestUid: 'uid',
  });
  assert.deepEqual(response.hits, expectedHits({ ...s, query }), `score basis: ${label}`);
  assert.ok(!approximations.includes('missing-ranking-details'), `score basis: ${label}`);
}
