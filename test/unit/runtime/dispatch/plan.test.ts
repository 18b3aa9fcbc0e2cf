// Goal: one node receives exactly its part of each committed command, as the
// ordinary Meilisearch requests, and `_miroir_shard` stays filterable on every
// node whatever the client sets. Method: planRequests on hand-built commands
// and targets; every expectation is the literal request list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterCommand, DispatchTarget } from '../../../../runtime/cluster/index.ts';
import { planBytes, planRequests, withShardFilterable } from '../../../../runtime/dispatch/plan.ts';

const T = 1_700_000_000_000;
const write: ClusterCommand = {
  v: 1, kind: 'documents.write', indexUid: 'movies', mode: 'replace', primaryKey: 'id', shards: 4,
  byShard: { 3: [{ id: 3, _miroir_shard: 3 }], 0: [{ id: 0, _miroir_shard: 0 }], 1: [{ id: 1, _miroir_shard: 1 }] },
  receivedDocuments: 3, allowIndexCreation: true, nowMs: T,
};
const owner = (shards: number[] | null): DispatchTarget => ({ nodeId: 'n1', group: 'g1', shards });

test('a documents write carries only the target shards, in shard order', () => {
  const plan = planRequests(write, owner([3, 0]), false);
  assert.deepEqual(plan, [{
    method: 'POST', path: '/indexes/movies/documents', query: { primaryKey: 'id' },
    body: [{ id: 0, _miroir_shard: 0 }, { id: 3, _miroir_shard: 3 }], countsFrom: true, coalescible: { documents: 2 },
  }]);
});

test('an update write uses PUT and passes skipCreation', () => {
  const plan = planRequests({ ...write, mode: 'update', skipCreation: true }, owner([1]), false);
  assert.equal(plan.length, 1);
  assert.equal(plan[0]?.method, 'PUT');
  assert.deepEqual(plan[0]?.query, { primaryKey: 'id', skipCreation: 'true' });
  // Under skipCreation the node's count is not the number of documents sent: never coalesced.
  assert.equal(plan[0]?.coalescible, undefined);
});

test('a write that creates its index first creates it with _miroir_shard filterable', () => {
  const plan = planRequests(write, owner([1]), true);
  assert.deepEqual(plan.map((r) => `${r.method} ${r.path}`), [
    'POST /indexes', 'PATCH /indexes/movies/settings', 'POST /indexes/movies/documents',
  ]);
  assert.deepEqual(plan[0]?.body, { uid: 'movies', primaryKey: 'id' });
  assert.deepEqual(plan[0]?.tolerate, ['index_already_exists']);
  assert.deepEqual(plan[1]?.body, { filterableAttributes: ['_miroir_shard'] });
});

test('a node owning none of a creating write still creates the index; otherwise it gets nothing', () => {
  assert.deepEqual(planRequests(write, owner([]), true).map((r) => r.path), ['/indexes', '/indexes/movies/settings']);
  assert.deepEqual(planRequests(write, owner([]), false), []);
  assert.deepEqual(planRequests(write, owner([2]), false), []);
});

test('deletes by id are sliced; filter deletes and clears are broadcast', () => {
  const ids: ClusterCommand = {
    v: 1, kind: 'documents.deleteIds', indexUid: 'm', shards: 4, byShard: { 2: ['b'], 1: ['a'] }, providedIds: 2, nowMs: T,
  };
  assert.deepEqual(planRequests(ids, owner([2]), false), [
    { method: 'POST', path: '/indexes/m/documents/delete-batch', body: ['b'], countsFrom: true },
  ]);
  assert.deepEqual(planRequests(ids, owner([0]), false), []);
  const filter: ClusterCommand = { v: 1, kind: 'documents.deleteFilter', indexUid: 'm', filter: 'a = 1', nowMs: T };
  assert.deepEqual(planRequests(filter, owner(null), false), [
    { method: 'POST', path: '/indexes/m/documents/delete', body: { filter: 'a = 1' }, countsFrom: true },
  ]);
  const clear: ClusterCommand = { v: 1, kind: 'documents.clear', indexUid: 'm', nowMs: T };
  assert.deepEqual(planRequests(clear, owner(null), false), [{ method: 'DELETE', path: '/indexes/m/documents', countsFrom: true }]);
});

test('settings keep _miroir_shard filterable whatever the client sets', () => {
  const settings = (s: Record<string, unknown>): ClusterCommand => ({
    v: 1, kind: 'settings.update', indexUid: 'm', settings: s, allowIndexCreation: true, nowMs: T,
  });
  assert.deepEqual(planRequests(settings({ filterableAttributes: ['genre'] }), owner(null), false)[0]?.body, {
    filterableAttributes: ['genre', '_miroir_shard'],
  });
  assert.deepEqual(planRequests(settings({ filterableAttributes: null }), owner(null), false)[0]?.body, {
    filterableAttributes: ['_miroir_shard'],
  });
  // A settings change that does not name filterableAttributes leaves it alone, unless it creates the index.
  assert.deepEqual(planRequests(settings({ rankingRules: ['words'] }), owner(null), false)[0]?.body, { rankingRules: ['words'] });
  assert.deepEqual(planRequests(settings({ rankingRules: ['words'] }), owner(null), true)[0]?.body, {
    rankingRules: ['words'], filterableAttributes: ['_miroir_shard'],
  });
  assert.deepEqual(withShardFilterable(['_miroir_shard', 'a']), ['_miroir_shard', 'a']);
});

test('settings never make _miroir_shard searchable: a client list naming it gets a stand-in at the same weight', () => {
  const settings = (s: Record<string, unknown>): ClusterCommand => ({
    v: 1, kind: 'settings.update', indexUid: 'm', settings: s, allowIndexCreation: true, nowMs: T,
  });
  assert.deepEqual(planRequests(settings({ searchableAttributes: ['title', '_miroir_shard', 'body'] }), owner(null), false)[0]?.body, {
    searchableAttributes: ['title', '_miroir_probe', 'body'],
  });
  assert.deepEqual(planRequests(settings({ searchableAttributes: ['title', 'body'] }), owner(null), false)[0]?.body, {
    searchableAttributes: ['title', 'body'],
  });
  // `*` and resets pass unchanged: the edge names the fields to search then.
  assert.deepEqual(planRequests(settings({ searchableAttributes: ['*'] }), owner(null), false)[0]?.body, { searchableAttributes: ['*'] });
  assert.deepEqual(planRequests(settings({ searchableAttributes: null }), owner(null), false)[0]?.body, { searchableAttributes: null });
});

test('index lifecycle commands are broadcast as the matching Meilisearch requests', () => {
  const create = planRequests({ v: 1, kind: 'index.create', uid: 'a b', primaryKey: null, shards: 4, nowMs: T }, owner(null), true);
  assert.deepEqual(create.map((r) => `${r.method} ${r.path}`), ['POST /indexes', 'PATCH /indexes/a%20b/settings']);
  assert.deepEqual(planRequests({ v: 1, kind: 'index.update', uid: 'a', primaryKey: 'k', newUid: 'b', nowMs: T }, owner(null), false), [
    { method: 'PATCH', path: '/indexes/a', body: { primaryKey: 'k', uid: 'b' } },
  ]);
  assert.deepEqual(planRequests({ v: 1, kind: 'index.delete', uid: 'a', nowMs: T }, owner(null), false), [
    { method: 'DELETE', path: '/indexes/a', countsFrom: true },
  ]);
  const swaps = [{ indexes: ['a', 'b'] as [string, string], rename: false }];
  assert.deepEqual(planRequests({ v: 1, kind: 'index.swap', swaps, nowMs: T }, owner(null), false), [
    { method: 'POST', path: '/swap-indexes', body: [{ indexes: ['a', 'b'], rename: false }] },
  ]);
});

test('metadata-only commands send nothing', () => {
  assert.deepEqual(planRequests({ v: 1, kind: 'dispatcher.cursor', cursors: [] }, owner(null), false), []);
  assert.deepEqual(planRequests({ v: 1, kind: 'key.delete', uid: 'x' }, owner(null), false), []);
});

test('planBytes grows with the body', () => {
  const small = planBytes(planRequests(write, owner([1]), false));
  const large = planBytes(planRequests(write, owner([0, 1, 3]), false));
  assert.ok(small > 0 && large > small, `${small} < ${large}`);
});
