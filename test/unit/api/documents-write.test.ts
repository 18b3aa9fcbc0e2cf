// Goal: the document write routes of the edge validate the whole request,
// then commit exactly one command split by shard, and answer Meilisearch's
// 202 summarized task (or its synchronous 4xx error, proposing nothing).
// Method: inject() into buildApp over the in-memory PeerServices of
// harness.ts and inspect the proposed commands.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { json, master, testApp, type TestPeer } from './harness.ts';

describe('document deletions', () => {
  let app: FastifyInstance;
  let peer: TestPeer;
  before(async () => {
    ({ app, peer } = await testApp());
    await app.inject({ method: 'POST', url: '/indexes', headers: json, payload: { uid: 'movies', primaryKey: 'id' } });
  });
  after(() => app.close());

  test('DELETE /documents/:id commits one documents.deleteIds with the id in its shard', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/indexes/movies/documents/42', headers: master });
    assert.equal(res.statusCode, 202);
    assert.equal(res.json().type, 'documentDeletion');
    const command = peer.proposed.at(-1);
    assert.equal(command?.kind, 'documents.deleteIds');
    if (command?.kind !== 'documents.deleteIds') return;
    const shard = peer.services.router.shardOf('42', 8);
    assert.deepEqual(command.byShard, { [shard]: ['42'] });
  });

  test('delete-batch canonicalizes ids (1 and "1" are one id) and groups them by shard', async () => {
    const res = await app.inject({ method: 'POST', url: '/indexes/movies/documents/delete-batch', headers: json, payload: [1, 'a', 2] });
    assert.equal(res.statusCode, 202);
    const command = peer.proposed.at(-1);
    assert.equal(command?.kind, 'documents.deleteIds');
    if (command?.kind !== 'documents.deleteIds') return;
    assert.deepEqual(Object.values(command.byShard).flat().sort(), ['1', '2', 'a']);
    assert.equal(command.providedIds, 3);
  });

  test('a bad id or a non-array body is refused synchronously and proposes nothing', async () => {
    const before = peer.proposed.length;
    const bad = await app.inject({ method: 'POST', url: '/indexes/movies/documents/delete-batch', headers: json, payload: ['a b'] });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'invalid_document_id');
    const notArray = await app.inject({ method: 'POST', url: '/indexes/movies/documents/delete-batch', headers: json, payload: { id: 1 } });
    assert.equal(notArray.statusCode, 400);
    assert.equal(notArray.json().code, 'bad_request');
    assert.equal(peer.proposed.length, before);
  });

  test('delete by filter: missing and empty filters are refused, a good one is committed', async () => {
    const missing = await app.inject({ method: 'POST', url: '/indexes/movies/documents/delete', headers: json, payload: {} });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().code, 'missing_document_filter');
    const empty = await app.inject({ method: 'POST', url: '/indexes/movies/documents/delete', headers: json, payload: { filter: ' ' } });
    assert.equal(empty.json().code, 'invalid_document_filter');
    const ok = await app.inject({ method: 'POST', url: '/indexes/movies/documents/delete', headers: json, payload: { filter: 'genre = drama' } });
    assert.equal(ok.statusCode, 202);
    assert.deepEqual({ ...peer.proposed.at(-1), nowMs: 0 }, { v: 1, kind: 'documents.deleteFilter', indexUid: 'movies', filter: 'genre = drama', nowMs: 0 });
  });

  test('DELETE /documents clears the index; on a missing index the task fails at apply', async () => {
    const ok = await app.inject({ method: 'DELETE', url: '/indexes/movies/documents', headers: master });
    assert.equal(ok.statusCode, 202);
    assert.equal(ok.json().type, 'documentDeletion');
    assert.equal(peer.proposed.at(-1)?.kind, 'documents.clear');
    const missing = await app.inject({ method: 'DELETE', url: '/indexes/nope/documents', headers: master });
    assert.equal(missing.statusCode, 202);
    const task = await app.inject({ method: 'GET', url: `/tasks/${missing.json().taskUid}`, headers: master });
    assert.equal(task.json().status, 'failed');
    assert.equal(task.json().error.code, 'index_not_found');
  });
});
