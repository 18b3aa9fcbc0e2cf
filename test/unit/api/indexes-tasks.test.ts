// Goal: the index, swap and task routes of the edge answer from the
// replicated state and turn writes into exactly one committed command, with
// Meilisearch's statuses and shapes. Method: inject() requests into buildApp
// over an in-memory PeerServices whose state machine applies each proposed
// command at once (harness.ts), and compare whole bodies.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { json, master, testApp, T0, type TestPeer } from './harness.ts';

const T0_TEXT = '2026-01-02T03:04:05.6Z';

describe('index routes', () => {
  let app: FastifyInstance;
  let peer: TestPeer;
  before(async () => {
    ({ app, peer } = await testApp());
  });
  after(() => app.close());

  test('POST /indexes answers 202 with the summarized task and commits one index.create', async () => {
    const res = await app.inject({ method: 'POST', url: '/indexes', headers: json, payload: { uid: 'movies', primaryKey: 'id' } });
    assert.equal(res.statusCode, 202);
    const body = res.json();
    assert.deepEqual(Object.keys(body), ['taskUid', 'indexUid', 'status', 'type', 'enqueuedAt']);
    assert.deepEqual({ ...body, taskUid: 0 }, { taskUid: 0, indexUid: 'movies', status: 'enqueued', type: 'indexCreation', enqueuedAt: T0_TEXT });
    assert.equal(typeof body.taskUid, 'number');
    const last = peer.proposed.at(-1);
    assert.deepEqual(last, { v: 1, kind: 'index.create', uid: 'movies', primaryKey: 'id', shards: 8, nowMs: T0 });
  });

  test('customMetadata is echoed in the task', async () => {
    const res = await app.inject({ method: 'POST', url: '/indexes?customMetadata=hello', headers: json, payload: { uid: 'books' } });
    assert.equal(res.statusCode, 202);
    assert.equal(res.json().customMetadata, 'hello');
  });

  test('GET /indexes lists by uid with offset and limit; GET /indexes/:uid answers the view', async () => {
    const list = await app.inject({ method: 'GET', url: '/indexes?limit=1&offset=1', headers: master });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json(), {
      results: [{ uid: 'movies', createdAt: T0_TEXT, updatedAt: T0_TEXT, primaryKey: 'id' }],
      offset: 1,
      limit: 1,
      total: 2,
    });
    const one = await app.inject({ method: 'GET', url: '/indexes/movies', headers: master });
    assert.deepEqual(one.json(), { uid: 'movies', createdAt: T0_TEXT, updatedAt: T0_TEXT, primaryKey: 'id' });
  });

  test('an index created through another peer is found after one syncRead', async () => {
    peer.applyOnSync({ v: 1, kind: 'index.create', uid: 'remote', primaryKey: null, shards: 8, nowMs: T0 });
    const before = peer.syncReads;
    const res = await app.inject({ method: 'GET', url: '/indexes/remote', headers: master });
    assert.equal(res.statusCode, 200);
    assert.equal(peer.syncReads, before + 1);
  });

  test('a missing index is 404 index_not_found after one syncRead', async () => {
    const res = await app.inject({ method: 'GET', url: '/indexes/nope', headers: master });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), {
      message: 'Index `nope` not found.',
      code: 'index_not_found',
      type: 'invalid_request',
      link: 'https://docs.meilisearch.com/errors#index_not_found',
    });
  });

  test('PATCH renames and sets the primary key; DELETE enqueues an indexDeletion', async () => {
    const patch = await app.inject({ method: 'PATCH', url: '/indexes/books', headers: json, payload: { primaryKey: 'isbn' } });
    assert.equal(patch.statusCode, 202);
    assert.equal(patch.json().type, 'indexUpdate');
    assert.equal(peer.state.indexes.get('books')?.primaryKey, 'isbn');
    const del = await app.inject({ method: 'DELETE', url: '/indexes/books', headers: master });
    assert.equal(del.statusCode, 202);
    assert.equal(del.json().type, 'indexDeletion');
    assert.equal(peer.state.indexes.has('books'), false);
  });

  test('POST /swap-indexes enqueues an indexSwap with a null indexUid', async () => {
    await app.inject({ method: 'POST', url: '/indexes', headers: json, payload: { uid: 'a' } });
    await app.inject({ method: 'POST', url: '/indexes', headers: json, payload: { uid: 'b' } });
    const res = await app.inject({ method: 'POST', url: '/swap-indexes', headers: json, payload: [{ indexes: ['a', 'b'] }] });
    assert.equal(res.statusCode, 202);
    assert.equal(res.json().type, 'indexSwap');
    assert.equal(res.json().indexUid, null);
  });

  test('bad index bodies get Meilisearch errors and propose nothing', async () => {
    const count = peer.proposed.length;
    const cases: Array<[unknown, number, string]> = [
      [{}, 400, 'missing_index_uid'],
      [{ uid: 'bad uid!' }, 400, 'invalid_index_uid'],
      [{ uid: 12 }, 400, 'invalid_index_uid'],
      [{ uid: 'x', primaryKey: 3 }, 400, 'invalid_index_primary_key'],
      [{ uid: 'x', extra: true }, 400, 'bad_request'],
      [[1, 2], 400, 'bad_request'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await app.inject({ method: 'POST', url: '/indexes', headers: json, payload: JSON.stringify(payload) });
      assert.equal(res.statusCode, status, JSON.stringify(payload));
      assert.equal(res.json().code, code, JSON.stringify(payload));
    }
    const immutable = await app.inject({ method: 'PATCH', url: '/indexes/movies', headers: json, payload: { createdAt: 'x' } });
    assert.equal(immutable.json().code, 'immutable_index_created_at');
    const badSwap = await app.inject({ method: 'POST', url: '/swap-indexes', headers: json, payload: [{ indexes: ['a', 'a'] }] });
    assert.equal(badSwap.json().code, 'invalid_swap_duplicate_index_found');
    const badOffset = await app.inject({ method: 'GET', url: '/indexes?offset=-1', headers: master });
    assert.equal(badOffset.json().code, 'invalid_index_offset');
    const unknownParam = await app.inject({ method: 'GET', url: '/indexes?foo=1', headers: master });
    assert.equal(unknownParam.json().code, 'bad_request');
    assert.equal(peer.proposed.length, count);
  });
});

describe('task routes', () => {
  let app: FastifyInstance;
  let peer: TestPeer;
  before(async () => {
    ({ app, peer } = await testApp());
    for (const uid of ['t0', 't1', 't2']) {
      await app.inject({ method: 'POST', url: '/indexes', headers: json, payload: { uid } });
    }
  });
  after(() => app.close());

  test('GET /tasks pages newest first with from/next; filters by index', async () => {
    const page = await app.inject({ method: 'GET', url: '/tasks?limit=2', headers: master });
    assert.equal(page.statusCode, 200);
    const body = page.json();
    assert.deepEqual(body.results.map((t: { uid: number }) => t.uid), [2, 1]);
    assert.deepEqual([body.total, body.limit, body.from, body.next], [3, 2, 2, 0]);
    const filtered = await app.inject({ method: 'GET', url: '/tasks?indexUids=t1', headers: master });
    assert.deepEqual(filtered.json().results.map((t: { indexUid: string }) => t.indexUid), ['t1']);
  });

  test('GET /tasks/:uid renders the full task; unknown is 404 after a sync, non-numeric is 400', async () => {
    const one = await app.inject({ method: 'GET', url: '/tasks/0', headers: master });
    assert.equal(one.statusCode, 200);
    assert.deepEqual(Object.keys(one.json()), [
      'uid', 'batchUid', 'indexUid', 'status', 'type', 'canceledBy', 'details', 'error', 'duration', 'enqueuedAt', 'startedAt', 'finishedAt',
    ]);
    const syncs = peer.syncReads;
    const missing = await app.inject({ method: 'GET', url: '/tasks/99', headers: master });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().message, 'Task `99` not found.');
    assert.equal(peer.syncReads, syncs + 1);
    const bad = await app.inject({ method: 'GET', url: '/tasks/abc', headers: master });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'invalid_task_uids');
  });

  test('bad task filters are 400 with the parameter code', async () => {
    const cases: Array<[string, string]> = [
      ['/tasks?statuses=done', 'invalid_task_statuses'],
      ['/tasks?limit=x', 'invalid_task_limit'],
      ['/tasks?afterEnqueuedAt=yesterday', 'invalid_task_after_enqueued_at'],
      ['/tasks?nope=1', 'bad_request'],
      ['/tasks?uids=1&uids=2', 'invalid_task_uids'],
    ];
    for (const [url, code] of cases) {
      const res = await app.inject({ method: 'GET', url, headers: master });
      assert.equal(res.statusCode, 400, url);
      assert.equal(res.json().code, code, url);
    }
  });

  test('DELETE /tasks answers 200 with a taskDeletion task; without a filter it is missing_task_filters', async () => {
    const missing = await app.inject({ method: 'DELETE', url: '/tasks', headers: master });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().code, 'missing_task_filters');
    const res = await app.inject({ method: 'DELETE', url: '/tasks?uids=0', headers: master });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().type, 'taskDeletion');
    assert.equal(res.json().indexUid, null);
    const last = peer.proposed.at(-1);
    assert.equal(last?.kind, 'tasks.delete');
    assert.equal(last?.kind === 'tasks.delete' ? last.originalFilter : null, '?uids=0');
  });

  test('POST /tasks/cancel validates like Meilisearch, then refuses honestly and proposes nothing', async () => {
    const count = peer.proposed.length;
    const missing = await app.inject({ method: 'POST', url: '/tasks/cancel', headers: master });
    assert.equal(missing.json().code, 'missing_task_filters');
    const res = await app.inject({ method: 'POST', url: '/tasks/cancel?statuses=enqueued', headers: master });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'feature_not_enabled');
    assert.match(res.json().message, /Nothing was canceled/);
    assert.equal(peer.proposed.length, count);
  });
});
