// Goal: the /keys routes of the edge keep API keys in the replicated state
// and answer as Meilisearch does (201/200/204, views with the derived key,
// newest first), refuse bad bodies exactly as an engine node does, and the
// edge authorizes requests with those keys and their tenant tokens.
// Method: inject() into buildApp over the in-memory PeerServices of
// harness.ts; a real engine node answers the same bad requests; tenant
// tokens are made by the official client's generateTenantToken.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { generateTenantToken } from 'meilisearch/token';
import { clusterKeys, authenticate } from '../../../api/plugins/auth.ts';
import { deriveKey } from '../../../api/protocol/auth/key-derivation.ts';
import { MASTER_KEY, master, testApp, T0, type TestPeer } from './harness.ts';
import { askEdge, askNode, startEngineNode, type EngineNode, type Probe } from './engine-parity.ts';

let app: FastifyInstance;
let peer: TestPeer;
let node: EngineNode;
before(async () => {
  ({ app, peer } = await testApp());
  node = await startEngineNode();
});
after(async () => {
  await app.close();
  await node.close();
});

type View = { uid: string; key: string; name: string | null; actions: string[]; indexes: string[]; expiresAt: string | null; createdAt: string; updatedAt: string };

describe('key routes', () => {
  test('GET /keys lists the four default keys newest first, shaped like an engine node\'s', async () => {
    const edge = await askEdge(app, { method: 'GET', url: '/keys' });
    const fromNode = await askNode(node, { method: 'GET', url: '/keys' });
    assert.equal(edge.status, 200);
    const list = edge.body as { results: View[]; offset: number; limit: number; total: number };
    const nodeList = fromNode.body as typeof list;
    assert.deepEqual(list.results.map((k) => k.name), nodeList.results.map((k) => k.name));
    assert.deepEqual(list.results.map((k) => Object.keys(k)), nodeList.results.map((k) => Object.keys(k)));
    assert.deepEqual({ ...list, results: [] }, { ...nodeList, results: [] });
    for (const key of list.results) assert.equal(key.key, deriveKey(MASTER_KEY, key.uid));
  });

  test('POST creates (201), GET finds it by uid and by key, PATCH renames, DELETE answers 204 then 404', async () => {
    const uid = '11111111-2222-4333-8444-555555555555';
    const created = await askEdge(app, { method: 'POST', url: '/keys', body: { uid, name: 'ci', actions: ['indexes.get', 'documents.*'], indexes: ['mov*'], expiresAt: '2030-01-01' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const view = created.body as View;
    assert.deepEqual(view, {
      name: 'ci', description: null, key: deriveKey(MASTER_KEY, uid), uid, actions: ['indexes.get', 'documents.*'], indexes: ['mov*'],
      expiresAt: '2030-01-01T00:00:00Z', createdAt: view.createdAt, updatedAt: view.updatedAt,
    });
    assert.equal(peer.proposed.at(-1)?.kind, 'key.create');
    assert.ok(!JSON.stringify(peer.proposed.at(-1)).includes(view.key), 'the key string never enters the log');
    assert.deepEqual((await askEdge(app, { method: 'GET', url: `/keys/${uid}` })).body, view);
    assert.deepEqual((await askEdge(app, { method: 'GET', url: `/keys/${view.key}` })).body, view);
    peer.clock.advance(1000);
    const patched = await askEdge(app, { method: 'PATCH', url: `/keys/${view.key}`, body: { name: 'ci-2', description: 'x' } });
    assert.equal(patched.status, 200);
    assert.equal((patched.body as View).name, 'ci-2');
    assert.notEqual((patched.body as View).updatedAt, view.updatedAt);
    const dup = await askEdge(app, { method: 'POST', url: '/keys', body: { uid, actions: ['*'], indexes: ['*'], expiresAt: null } });
    assert.equal(dup.status, 409);
    assert.equal((dup.body as { code: string }).code, 'api_key_already_exists');
    const deleted = await askEdge(app, { method: 'DELETE', url: `/keys/${uid}` });
    assert.deepEqual(deleted, { status: 204, body: null });
    const gone = await askEdge(app, { method: 'GET', url: `/keys/${uid}` });
    assert.deepEqual(gone.status, 404);
    assert.deepEqual((gone.body as { message: string }).message, `API key \`${uid}\` not found.`);
  });

  test('a key created on another peer is found after one syncRead', async () => {
    const uid = '21111111-2222-4333-8444-555555555555';
    peer.applyOnSync({ v: 1, kind: 'key.create', uid, name: null, description: null, actions: ['search'], indexes: ['*'], expiresAtMs: null, nowMs: T0 });
    assert.equal((await askEdge(app, { method: 'GET', url: `/keys/${uid}` })).status, 200);
  });

  test('without a master key, /keys is 401 missing_master_key', async () => {
    const { app: open } = await testApp({ masterKey: null });
    const res = await open.inject({ method: 'GET', url: '/keys' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'missing_master_key');
    await open.close();
  });
});

describe('key errors are the engine node\'s', () => {
  const bad: Probe[] = [
    { method: 'POST', url: '/keys', body: { actions: ['search'], indexes: ['*'] } },
    { method: 'POST', url: '/keys', body: { indexes: ['*'], expiresAt: null } },
    { method: 'POST', url: '/keys', body: { actions: ['fly'], indexes: ['*'], expiresAt: null } },
    { method: 'POST', url: '/keys', body: { actions: ['search'], indexes: ['a b'], expiresAt: null } },
    { method: 'POST', url: '/keys', body: { actions: ['search'], indexes: ['*'], expiresAt: '2001-01-01' } },
    { method: 'POST', url: '/keys', body: { actions: ['search'], indexes: ['*'], expiresAt: 'tomorrow' } },
    { method: 'POST', url: '/keys', body: { actions: ['search'], indexes: ['*'], expiresAt: null, uid: 'nope' } },
    { method: 'POST', url: '/keys', body: { actions: ['search'], indexes: ['*'], expiresAt: null, name: 3 } },
    { method: 'POST', url: '/keys', body: { actions: 'search', indexes: ['*'], expiresAt: null } },
    { method: 'POST', url: '/keys', body: { actions: ['search'], indexes: ['*'], expiresAt: null, extra: 1 } },
    { method: 'POST', url: '/keys', body: [] },
    { method: 'GET', url: '/keys?limit=x' },
    { method: 'GET', url: '/keys?page=1' },
    { method: 'GET', url: '/keys/00000000-0000-4000-8000-00000000abcd' },
    { method: 'GET', url: '/keys/not-a-key' },
    { method: 'PATCH', url: '/keys/00000000-0000-4000-8000-00000000abcd', body: { actions: ['*'] } },
    { method: 'PATCH', url: '/keys/00000000-0000-4000-8000-00000000abcd', body: { name: 1 } },
    { method: 'PATCH', url: '/keys/00000000-0000-4000-8000-00000000abcd', body: { name: 'x' } },
    { method: 'DELETE', url: '/keys/00000000-0000-4000-8000-00000000abcd' },
  ];
  for (const probe of bad) {
    test(`${probe.method} ${probe.url} ${JSON.stringify(probe.body ?? '')}`, async () => {
      const before = peer.proposed.length;
      const [edge, fromNode] = [await askEdge(app, probe), await askNode(node, probe)];
      assert.ok(edge.status >= 400, `refused: ${JSON.stringify(edge)}`);
      assert.deepEqual(edge, fromNode);
      assert.equal(peer.proposed.length, before, 'nothing proposed');
    });
  }
});

describe('authorization with replicated keys', () => {
  const search = (authorization: string, indexUid: string | null = 'movies', action = 'search') =>
    authenticate({ authorization, action, indexUid, masterKey: MASTER_KEY, nowMs: peer.clock.nowMs() }, clusterKeys(peer.services));
  const uid = '31111111-2222-4333-8444-555555555555';
  const key = deriveKey(MASTER_KEY, uid);
  before(() => {
    peer.applyOnSync({ v: 1, kind: 'key.create', uid, name: null, description: null, actions: ['search', 'indexes.create'], indexes: ['movies', 'books'], expiresAtMs: null, nowMs: T0 });
    return peer.services.syncRead();
  });

  test('an API key is known by its derived key string, scoped to its indexes and actions', () => {
    const caller = search(`Bearer ${key}`);
    assert.equal(caller.kind, 'key');
    assert.equal(caller.mayAccess('books'), true);
    assert.equal(caller.mayAccess('music'), false);
    assert.equal(caller.mayCreateIndex('books'), true);
    assert.throws(() => caller.checkIndex('music'), { message: 'The API key cannot acces the index `music`, authorized indexes are ["books", "movies"].' });
    assert.throws(() => search(`Bearer ${key}`, 'movies', 'documents.add'), { message: 'The provided API key is invalid.' });
    assert.throws(() => search('Bearer 0000'), { message: 'The provided API key is invalid.' });
  });

  test('a tenant token signed with the key narrows the indexes and carries its rule filter', async () => {
    const token = await generateTenantToken({ apiKey: key, apiKeyUid: uid, searchRules: { movies: { filter: 'genre = drama' } } });
    const caller = search(`Bearer ${token}`);
    assert.equal(caller.kind, 'tenant');
    assert.deepEqual(caller.tenantFilterFor('movies'), ['genre = drama']);
    assert.equal(caller.mayAccess('books'), false);
    assert.throws(() => search(`Bearer ${token}`, 'books'), { message: 'The provided tenant token cannot acces the index `books`, allowed indexes are ["movies"].' });
    // Tenant tokens only work on search routes.
    assert.throws(() => search(`Bearer ${token}`, 'movies', 'documents.get'), { message: 'The provided API key is invalid.' });
  });

  test('a tenant token of a deleted key is refused', async () => {
    const other = '41111111-2222-4333-8444-555555555555';
    peer.applyOnSync({ v: 1, kind: 'key.create', uid: other, name: null, description: null, actions: ['search'], indexes: ['*'], expiresAtMs: null, nowMs: T0 });
    await peer.services.syncRead();
    const token = await generateTenantToken({ apiKey: deriveKey(MASTER_KEY, other), apiKeyUid: other, searchRules: ['*'] });
    assert.equal(search(`Bearer ${token}`).kind, 'tenant');
    const res = await app.inject({ method: 'DELETE', url: `/keys/${other}`, headers: master });
    assert.equal(res.statusCode, 204);
    assert.throws(() => search(`Bearer ${token}`), { message: 'The provided API key is invalid.' });
  });
});
