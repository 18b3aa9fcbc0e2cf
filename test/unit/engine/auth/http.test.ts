// Goal: the auth hook, the /keys routes and the shape/lookup errors of the
// search routes answer over HTTP exactly as Meilisearch does (API.md §11
// examples 2, 3, 13, 14, 18), through Fastify's routing and hooks.
// Method: a Fastify app with the hook and both plugins over a real LevelDB
// in a temp dir and an empty index registry, driven with inject(); errors
// are rendered by MeiliError.toBody() as the engine's error handler does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { Level } from 'level';
import { MeiliError } from '../../../../api/errors/registry.ts';
import { authHook } from '../../../../engine/auth/hook.ts';
import type { EngineContext } from '../../../../engine/http/context.ts';
import { keyRoutes } from '../../../../engine/http/routes/keys.ts';
import { searchRoutes } from '../../../../engine/http/routes/search.ts';
import { realClock } from '../../../../runtime/env/real.ts';

const MASTER = 'masterKey';
const dir = mkdtempSync(join(tmpdir(), 'miroir-auth-http-'));
const db = new Level<string, string>(dir);
let app: FastifyInstance;

function notUsed(): never {
  throw new Error('the task queue is not used by auth, keys or search routes');
}

const ctx: EngineContext = {
  indexes: { get: () => undefined, require: (uid) => { throw new MeiliError('index_not_found', `Index \`${uid}\` not found.`); }, list: () => [] },
  tasks: { enqueue: notUsed, isIndexing: () => false, allTasks: () => [], task: () => undefined, allBatches: () => [], lastUpdateMs: () => null },
  db, masterKey: MASTER, payloadLimitBytes: 1_000_000, clock: realClock,
};

before(async () => {
  app = Fastify();
  app.decorateRequest('indexFilter', null);
  app.addHook('onRequest', authHook(ctx));
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof MeiliError) return reply.code(error.status).send(error.toBody());
    return reply.code(500).send({ message: String(error) });
  });
  await app.register(keyRoutes, { ctx });
  await app.register(searchRoutes, { ctx });
  await app.ready();
});
after(async () => {
  await app.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

test('missing and wrong auth (example 13)', async () => {
  let res = await app.inject({ method: 'POST', url: '/indexes/movies/search', payload: {} });
  assert.equal(res.statusCode, 401);
  assert.deepEqual(res.json(), {
    message: 'The Authorization header is missing. It must use the bearer authorization method.',
    code: 'missing_authorization_header', type: 'auth', link: 'https://docs.meilisearch.com/errors#missing_authorization_header',
  });
  res = await app.inject({ method: 'POST', url: '/indexes/movies/search', payload: {}, headers: auth('wrong') });
  assert.equal(res.statusCode, 403);
  assert.equal(res.json().code, 'invalid_api_key');
  assert.equal(res.json().message, 'The provided API key is invalid.');
});

test('key CRUD: 201 create, list with 4 defaults newest first (example 14), patch, 204 delete, 404', async () => {
  const created = await app.inject({ method: 'POST', url: '/keys', headers: auth(MASTER), payload: { actions: ['search'], indexes: ['movies'], expiresAt: null, name: 'k' } });
  assert.equal(created.statusCode, 201);
  const key = created.json();
  assert.deepEqual(Object.keys(key), ['name', 'description', 'key', 'uid', 'actions', 'indexes', 'expiresAt', 'createdAt', 'updatedAt']);
  const list = (await app.inject({ method: 'GET', url: '/keys', headers: auth(MASTER) })).json();
  assert.equal(list.total, 5);
  assert.deepEqual(list.results.map((k: { name: string }) => k.name), ['k', 'Default Search API Key', 'Default Admin API Key', 'Default Read-Only Admin API Key', 'Default Chat API Key']);
  const byKey = await app.inject({ method: 'GET', url: `/keys/${key.key}`, headers: auth(MASTER) });
  assert.equal(byKey.json().uid, key.uid);
  const patched = await app.inject({ method: 'PATCH', url: `/keys/${key.uid}`, headers: auth(MASTER), payload: { description: 'd' } });
  assert.equal(patched.json().description, 'd');
  const deleted = await app.inject({ method: 'DELETE', url: `/keys/${key.uid}`, headers: auth(MASTER) });
  assert.equal(deleted.statusCode, 204);
  assert.equal(deleted.body, '');
  const missing = await app.inject({ method: 'GET', url: `/keys/${key.uid}`, headers: auth(MASTER) });
  assert.equal(missing.statusCode, 404);
  assert.deepEqual(missing.json().message, `API key \`${key.uid}\` not found.`);
  const dup = await app.inject({ method: 'POST', url: '/keys', headers: auth(MASTER), payload: { uid: list.results[1].uid, actions: [], indexes: [], expiresAt: null } });
  assert.equal(dup.statusCode, 409);
  assert.equal(dup.json().message, `\`uid\` field value \`${list.results[1].uid}\` is already an existing API key.`);
});

test('a search key cannot manage keys; the read-only key can list them', async () => {
  const keys = (await app.inject({ method: 'GET', url: '/keys', headers: auth(MASTER) })).json().results as Array<{ name: string; key: string }>;
  const search = keys.find((k) => k.name === 'Default Search API Key')!;
  const readOnly = keys.find((k) => k.name === 'Default Read-Only Admin API Key')!;
  assert.equal((await app.inject({ method: 'GET', url: '/keys', headers: auth(search.key) })).statusCode, 403);
  assert.equal((await app.inject({ method: 'GET', url: '/keys', headers: auth(readOnly.key) })).statusCode, 200);
});

test('search errors: bad parameter (example 18) before index lookup, then 404 (example 2)', async () => {
  let res = await app.inject({ method: 'POST', url: '/indexes/movies/search', headers: auth(MASTER), payload: { offset: 'doggo' } });
  assert.equal(res.statusCode, 400);
  assert.deepEqual(res.json(), {
    message: 'Invalid value type at `.offset`: expected a positive integer, but found a string: `"doggo"`',
    code: 'invalid_search_offset', type: 'invalid_request', link: 'https://docs.meilisearch.com/errors#invalid_search_offset',
  });
  res = await app.inject({ method: 'GET', url: '/indexes/movies/search?offset=doggo', headers: auth(MASTER) });
  assert.equal(res.json().message, 'Invalid value in parameter `offset`: could not parse `doggo` as a positive integer');
  res = await app.inject({ method: 'POST', url: '/indexes/DOES_NOT_EXISTS/search', headers: auth(MASTER), payload: { q: 'hello' } });
  assert.equal(res.statusCode, 404);
  assert.deepEqual(res.json(), {
    message: 'Index `DOES_NOT_EXISTS` not found.', code: 'index_not_found', type: 'invalid_request',
    link: 'https://docs.meilisearch.com/errors#index_not_found',
  });
});

test('multi-search: missing index is 400 with the query prefix (example 3)', async () => {
  let res = await app.inject({ method: 'POST', url: '/multi-search', headers: auth(MASTER), payload: { queries: [{ indexUid: 'test' }] } });
  assert.equal(res.statusCode, 400);
  assert.deepEqual(res.json(), {
    message: 'Inside `.queries[0]`: Index `test` not found.', code: 'index_not_found', type: 'invalid_request',
    link: 'https://docs.meilisearch.com/errors#index_not_found',
  });
  res = await app.inject({ method: 'POST', url: '/multi-search', headers: auth(MASTER), payload: { federation: {}, queries: [{ indexUid: 'b' }, { indexUid: 'a' }] } });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().message, 'Inside `.queries[1]`: Index `a` not found.');
});

test('multi-search: an index outside the key scope is invalid_api_key with the query prefix', async () => {
  const created = (await app.inject({ method: 'POST', url: '/keys', headers: auth(MASTER), payload: { actions: ['search'], indexes: ['movies'], expiresAt: null } })).json();
  const res = await app.inject({ method: 'POST', url: '/multi-search', headers: auth(created.key), payload: { queries: [{ indexUid: 'movies' }, { indexUid: 'books' }] } });
  assert.equal(res.statusCode, 403);
  assert.equal(res.json().message, 'Inside `.queries[1]`: The provided API key is invalid.');
  const scoped = await app.inject({ method: 'POST', url: '/indexes/books/search', headers: auth(created.key), payload: {} });
  assert.equal(scoped.json().message, 'The API key cannot acces the index `books`, authorized indexes are ["movies"].');
});

test('without a master key: search is open, /keys answers 401 missing_master_key', async (t) => {
  const openDir = mkdtempSync(join(tmpdir(), 'miroir-auth-open-'));
  const openDb = new Level<string, string>(openDir);
  const openApp = Fastify();
  t.after(async () => {
    await openApp.close();
    await openDb.close();
    rmSync(openDir, { recursive: true, force: true });
  });
  const openCtx: EngineContext = { ...ctx, db: openDb, masterKey: null };
  openApp.decorateRequest('indexFilter', null);
  openApp.addHook('onRequest', authHook(openCtx));
  openApp.setErrorHandler((error, _request, reply) => {
    if (error instanceof MeiliError) return reply.code(error.status).send(error.toBody());
    return reply.code(500).send({ message: String(error) });
  });
  await openApp.register(keyRoutes, { ctx: openCtx });
  await openApp.register(searchRoutes, { ctx: openCtx });
  const search = await openApp.inject({ method: 'POST', url: '/indexes/movies/search', payload: {}, headers: auth('anything') });
  assert.equal(search.statusCode, 404);
  assert.equal(search.json().code, 'index_not_found');
  const keys = await openApp.inject({ method: 'GET', url: '/keys' });
  assert.equal(keys.statusCode, 401);
  assert.deepEqual(keys.json(), {
    message: 'Meilisearch is running without a master key. To access this API endpoint, you must have set a master key at launch.',
    code: 'missing_master_key', type: 'auth', link: 'https://docs.meilisearch.com/errors#missing_master_key',
  });
});
