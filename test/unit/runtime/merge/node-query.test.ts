// Goal: the node query asks each node for everything the merge needs and
// nothing the client did not allow. Method: plans for offset and page mode,
// clamps, explicit and `*` attribute lists, and the per-node restriction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeRequestBody, planDocuments, planSearch, rankingBasis, termCountBound } from '../../../../runtime/merge/node-query.ts';
import { searchWindow } from '../../../../runtime/merge/pagination.ts';

const opts = { maxTotalHits: 1000, primaryKey: 'id', distinctAttribute: null };

test('offset mode: offset 0, limit offset+limit, scores on, pagination keys replaced', () => {
  const plan = planSearch({ q: 'a', offset: 10, limit: 5, filter: 'x = 1' }, opts);
  assert.deepEqual(plan.nodeBody, { q: 'a', filter: 'x = 1', showRankingScore: true, showRankingScoreDetails: true, offset: 0, limit: 15 });
  assert.deepEqual(plan.addedFields, []);
  assert.deepEqual(planSearch({ offset: 990, limit: 50 }, opts).nodeBody['limit'], 1000, 'clamped by maxTotalHits');
});

test('ranking basis: the score alone without sort, vector, frequency or custom sort rules; details otherwise', () => {
  const rules = ['words', 'typo', 'proximity', 'attributeRank', 'sort', 'wordPosition', 'exactness'];
  assert.equal(rankingBasis({ q: 'a b' }, rules), 'score');
  assert.equal(rankingBasis({ q: '', sort: [] }, rules), 'score', 'an empty sort sorts nothing');
  assert.equal(rankingBasis({ q: 'a', sort: ['price:asc'] }, rules), 'details');
  assert.equal(rankingBasis({ q: 'a' }, [...rules, 'seq:asc']), 'details', 'a custom rule sorts');
  assert.equal(rankingBasis({ q: 'a' }, null), 'details', 'unknown rules');
  assert.equal(rankingBasis({ q: 'a', hybrid: { embedder: 'e' } }, rules), 'details');
  assert.equal(rankingBasis({ q: 'a', vector: [1, 2] }, rules), 'details');
  assert.equal(rankingBasis({ q: 'a', matchingStrategy: 'frequency' }, rules), 'details');
  assert.equal(rankingBasis({ q: 'a', showRankingScoreDetails: true }, rules), 'details', 'fetched anyway');
  assert.equal(rankingBasis({ q: Array.from({ length: 25 }, (_, i) => `w${i}`).join(' ') }, rules), 'details', 'long queries');
  const plan = planSearch({ q: 'a' }, { ...opts, rankingRules: rules });
  assert.deepEqual([plan.rankedBy, plan.nodeBody['showRankingScore'], plan.nodeBody['showRankingScoreDetails']], ['score', true, false]);
});

test('term count bound: letter and digit runs, every character of scripts written without spaces', () => {
  assert.equal(termCountBound(''), 0);
  assert.equal(termCountBound('iphone 12 pro-max'), 4);
  assert.equal(termCountBound("don't Crème brûlée"), 4);
  assert.equal(termCountBound('東京タワー'), 5);
  assert.equal(termCountBound('a1b2'), 4);
});

test('page mode: page 1 with hitsPerPage offset+limit so totals stay exhaustive', () => {
  const plan = planSearch({ page: 3, hitsPerPage: 7 }, opts);
  assert.deepEqual([plan.nodeBody['page'], plan.nodeBody['hitsPerPage'], 'offset' in plan.nodeBody], [1, 21, false]);
  assert.deepEqual(planSearch({ page: 0 }, opts).nodeBody['hitsPerPage'], 0);
});

test('the primary key and the distinct attribute are added to explicit attribute lists only', () => {
  const d = { ...opts, distinctAttribute: 'meta.edition' };
  assert.deepEqual(planSearch({ attributesToRetrieve: ['title'] }, d).addedFields, ['id', 'meta.edition']);
  assert.deepEqual(planSearch({ attributesToRetrieve: ['title'] }, d).nodeBody['attributesToRetrieve'], ['title', 'id', 'meta.edition']);
  assert.deepEqual(planSearch({ attributesToRetrieve: ['id', 'meta'] }, d).addedFields, []);
  assert.deepEqual(planSearch({ attributesToRetrieve: ['*'] }, d).addedFields, []);
  assert.deepEqual(planSearch({ attributesToRetrieve: ['me*'] }, d).addedFields, ['id']);
  assert.deepEqual(planSearch({}, d).addedFields, []);
});

test('the per-node body ANDs the shard restriction with the client filter', () => {
  const plan = planSearch({ filter: ['a = 1', ['b = 2', 'c = 3']] }, opts);
  assert.deepEqual(nodeRequestBody(plan, [4, 2])['filter'], ['a = 1', ['b = 2', 'c = 3'], '_miroir_shard IN [2, 4]']);
  assert.equal(nodeRequestBody(plan, null), plan.nodeBody);
});

test('search window: page 0 and hitsPerPage 0 select nothing; defaults are offset 0, limit 20', () => {
  assert.deepEqual(searchWindow({}, 1000), { mode: 'offset', offset: 0, limit: 20, page: 1, hitsPerPage: 20 });
  assert.deepEqual(searchWindow({ page: 0, hitsPerPage: 5 }, 1000), { mode: 'page', offset: 0, limit: 0, page: 0, hitsPerPage: 5 });
  assert.deepEqual(searchWindow({ page: 2 }, 30), { mode: 'page', offset: 20, limit: 10, page: 2, hitsPerPage: 20 });
});

test('document listings: offset 0, limit offset+limit, key and sort fields added, optional key order on nodes', () => {
  const plan = planDocuments({ offset: 5, limit: 10, fields: ['title'], sort: ['year:desc'], filter: 'a = 1' }, { primaryKey: 'id', sortByPrimaryKey: true });
  assert.deepEqual(plan.nodeBody, { fields: ['title', 'id', 'year'], sort: ['year:desc'], filter: 'a = 1', offset: 0, limit: 15 });
  assert.deepEqual([plan.addedFields, plan.offset, plan.limit], [['id', 'year'], 5, 10]);
  const bare = planDocuments({}, { primaryKey: 'id', sortByPrimaryKey: true });
  assert.deepEqual(bare.nodeBody, { offset: 0, limit: 20, sort: ['id:asc'] });
  assert.deepEqual(planDocuments({}, { primaryKey: 'id', sortByPrimaryKey: false }).nodeBody, { offset: 0, limit: 20 });
  assert.deepEqual(nodeRequestBody(bare, [1])['filter'], ['_miroir_shard IN [1]']);
});
