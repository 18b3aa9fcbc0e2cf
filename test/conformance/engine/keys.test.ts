// Goal: the official `meilisearch` client sees Meilisearch's behaviour for
// API keys and tenant tokens on an embedded engine node: default keys and
// their order (API.md §11 example 14), key CRUD statuses, a search-only key
// that cannot write, index-scoped keys, expiry validation, tenant tokens
// that restrict results by filter or expire, and the missing/wrong auth
// errors (example 13).
// Method: start `miroir node` as a child process on port 0 with a master
// key in a temp dir; drive it with the official client; stop it in `after`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Meilisearch, MeilisearchApiError, type Key } from 'meilisearch';
import { generateTenantToken } from 'meilisearch/token';
import { MASTER_KEY as MASTER, startFixture, type Fixture } from './helpers.ts';

let fixture: Fixture;
let host = '';

before(async () => {
  fixture = await startFixture('keys');
  host = fixture.node.url;
  const admin = new Meilisearch({ host, apiKey: MASTER });
  await admin.index('movies').addDocuments([
    { id: 1, title: 'Carol', genre: 'romance' }, { id: 2, title: 'Wonder Woman', genre: 'action' },
    { id: 3, title: 'Mad Max', genre: 'action' },
  ], { primaryKey: 'id' }).waitTask();
  await admin.index('movies').updateFilterableAttributes(['genre', 'id']).waitTask();
  await admin.index('books').addDocuments([{ id: 1, title: 'Dune' }]).waitTask();
});

after(() => fixture.close());

async function apiError(promise: Promise<unknown>): Promise<{ status: number; body: NonNullable<MeilisearchApiError['cause']> }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof MeilisearchApiError, String(error));
    assert.ok(error.cause);
    return { status: error.response.status, body: error.cause };
  }
  assert.fail('expected the request to fail');
}

function named(keys: Key[], name: string): Key {
  const key = keys.find((k) => k.name === name);
  assert.ok(key, name);
  return key;
}

test('default keys: four, then a created key first; total 5 (example 14)', async () => {
  const admin = new Meilisearch({ host, apiKey: MASTER });
  const before = await admin.getKeys();
  assert.deepEqual(before.results.map((k) => k.name), ['Default Search API Key', 'Default Admin API Key', 'Default Read-Only Admin API Key', 'Default Chat API Key']);
  assert.deepEqual(named(before.results, 'Default Read-Only Admin API Key').actions, ['*.get', 'keys.get']);
  const created = await admin.createKey({ name: 'mine', actions: ['search'], indexes: ['movies'], expiresAt: null });
  assert.equal(created.key.length, 64);
  const after = await admin.getKeys();
  assert.equal(after.total, 5);
  assert.equal(after.results[0]?.uid, created.uid);
  const updated = await admin.updateKey(created.uid, { description: 'for tests' });
  assert.equal(updated.description, 'for tests');
  assert.equal((await admin.getKey(created.key)).uid, created.uid);
  await admin.deleteKey(created.uid);
  const gone = await apiError(admin.getKey(created.uid));
  assert.equal(gone.status, 404);
  assert.equal(gone.body.code, 'api_key_not_found');
});

test('missing and wrong auth (example 13)', async () => {
  const response = await fetch(`${host}/indexes/movies/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const none = { status: response.status, body: (await response.json()) as unknown };
  assert.equal(none.status, 401);
  assert.deepEqual(none.body, {
    message: 'The Authorization header is missing. It must use the bearer authorization method.',
    code: 'missing_authorization_header', type: 'auth', link: 'https://docs.meilisearch.com/errors#missing_authorization_header',
  });
  const wrong = await apiError(new Meilisearch({ host, apiKey: 'wrong' }).index('movies').search(''));
  assert.equal(wrong.status, 403);
  assert.equal(wrong.body.message, 'The provided API key is invalid.');
  assert.equal(wrong.body.type, 'auth');
});

test('the default search key searches but cannot add documents', async () => {
  const keys = (await new Meilisearch({ host, apiKey: MASTER }).getKeys()).results;
  const client = new Meilisearch({ host, apiKey: named(keys, 'Default Search API Key').key });
  assert.equal((await client.index('movies').search('carol')).hits.length, 1);
  const denied = await apiError(client.index('movies').addDocuments([{ id: 9, title: 'x' }]));
  assert.equal(denied.status, 403);
  assert.equal(denied.body.code, 'invalid_api_key');
});

test('index-scoped keys see only their indexes', async () => {
  const admin = new Meilisearch({ host, apiKey: MASTER });
  const scoped = await admin.createKey({ actions: ['search', 'indexes.get'], indexes: ['mov*'], expiresAt: null });
  const client = new Meilisearch({ host, apiKey: scoped.key });
  assert.equal((await client.index('movies').search('')).hits.length, 3);
  const denied = await apiError(client.index('books').search(''));
  assert.equal(denied.status, 403);
  assert.equal(denied.body.message, 'The API key cannot acces the index `books`, authorized indexes are ["mov*"].');
  assert.deepEqual((await client.getIndexes()).results.map((i) => i.uid), ['movies']);
});

test('a key cannot be created already expired', async () => {
  const admin = new Meilisearch({ host, apiKey: MASTER });
  const res = await apiError(admin.createKey({ actions: ['search'], indexes: ['*'], expiresAt: new Date('2010-11-13T00:00:00Z') }));
  assert.equal(res.status, 400);
  assert.equal(res.body.code, 'invalid_api_key_expires_at');
  assert.equal(res.body.message, "Invalid value at `.expiresAt`: `2010-11-13T00:00:00.000Z` is not a valid date. It should follow the RFC 3339 format to represents a date or datetime in the future or specified as a null value. e.g. 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'.\n");
});

test('tenant tokens restrict results by filter, scope and expiry', async () => {
  const keys = (await new Meilisearch({ host, apiKey: MASTER }).getKeys()).results;
  const search = named(keys, 'Default Search API Key');
  const token = await generateTenantToken({ apiKey: search.key, apiKeyUid: search.uid, searchRules: { movies: { filter: 'genre = action' } } });
  const client = new Meilisearch({ host, apiKey: token });
  const res = await client.index('movies').search('', { filter: 'id != 3' });
  assert.deepEqual(res.hits.map((h) => h['id']), [2]);
  const multi = await client.multiSearch({ queries: [{ indexUid: 'movies', q: '' }] });
  assert.equal(multi.results[0]?.hits.length, 2);
  const other = await apiError(client.index('books').search(''));
  assert.equal(other.body.message, 'The provided tenant token cannot acces the index `books`, allowed indexes are ["movies"].');
  const expiredToken = await generateTenantToken({ apiKey: search.key, apiKeyUid: search.uid, expiresAt: 1_000_000 });
  const expired = await apiError(new Meilisearch({ host, apiKey: expiredToken }).index('movies').search(''));
  assert.equal(expired.status, 403);
  assert.match(expired.body.message, /^Tenant token expired\. Was valid up to `1000000` and we're now `\d+`\.$/);
  const notOnWrites = await apiError(new Meilisearch({ host, apiKey: token }).index('movies').getDocuments());
  assert.equal(notOnWrites.body.message, 'The provided API key is invalid.');
});
