// Goal: the authorization decision follows API.md §0 and §9.1 (headers,
// master key, API keys with actions, index patterns and expiry, tenant
// tokens), and the key store creates and orders the default keys.
// Method: a real LevelDB in a temp dir holds the store; each case calls
// authorize() and checks the identity or the exact error.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Level } from 'level';
import { generateTenantToken } from 'meilisearch/token';
import { MeiliError } from '../../../../api/errors/registry.ts';
import { authorize, canCreateIndex, FULL_ACCESS, indexVisible, ruleFilterFor, type AuthRequest } from '../../../../api/protocol/auth/authorize.ts';
import { deriveKey } from '../../../../api/protocol/auth/key-derivation.ts';
import { KeyStore } from '../../../../engine/auth/key-store.ts';

const MASTER = 'masterKey';
const NOW = 1_700_000_000_000;
const dir = mkdtempSync(join(tmpdir(), 'miroir-auth-'));
const db = new Level<string, string>(dir);
let store: KeyStore;

before(async () => {
  store = await KeyStore.open(db, NOW);
});
after(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

function req(partial: Partial<AuthRequest>): AuthRequest {
  return { authorization: undefined, action: 'search', indexUid: 'movies', masterKey: MASTER, store, nowMs: NOW, ...partial };
}

function fails(r: AuthRequest, code: string, message: string): void {
  assert.throws(() => authorize(r), (e: unknown) => e instanceof MeiliError && e.code === code && e.message === message);
}

const INVALID = 'The provided API key is invalid.';

test('default keys exist, newest first in the order Search, Admin, Read-Only, Chat', () => {
  assert.deepEqual(store.list().map((k) => k.name), [
    'Default Search API Key', 'Default Admin API Key', 'Default Read-Only Admin API Key', 'Default Chat API Key',
  ]);
});

test('without a master key every route is open except /keys', () => {
  assert.equal(authorize(req({ masterKey: null })), FULL_ACCESS);
  fails(req({ masterKey: null, action: 'keys.get', authorization: 'Bearer x' }), 'missing_master_key',
    'Meilisearch is running without a master key. To access this API endpoint, you must have set a master key at launch.');
});

test('header rules: missing, other scheme, empty bearer, wrong key, master key', () => {
  const missing = 'The Authorization header is missing. It must use the bearer authorization method.';
  fails(req({}), 'missing_authorization_header', missing);
  fails(req({ authorization: `Basic ${MASTER}` }), 'missing_authorization_header', missing);
  fails(req({ authorization: 'Bearer' }), 'invalid_api_key', INVALID);
  fails(req({ authorization: 'Bearer kefir' }), 'invalid_api_key', INVALID);
  assert.equal(authorize(req({ authorization: `Bearer ${MASTER}`, action: 'keys.create' })), FULL_ACCESS);
});

test('the default search key searches but cannot add documents', () => {
  const search = store.list().find((k) => k.name === 'Default Search API Key');
  assert.ok(search);
  const auth = `Bearer ${deriveKey(MASTER, search.uid)}`;
  assert.notEqual(authorize(req({ authorization: auth })), FULL_ACCESS);
  fails(req({ authorization: auth, action: 'documents.add' }), 'invalid_api_key', INVALID);
});

test('index-scoped keys, expiry, and list visibility', async () => {
  const key = await store.create({ uid: null, name: null, description: null, actions: ['search', 'documents.*'], indexes: ['dog', 'cat*'], expiresAtMs: NOW + 1000 }, NOW);
  const auth = `Bearer ${deriveKey(MASTER, key.uid)}`;
  const identity = authorize(req({ authorization: auth, indexUid: 'catalog', action: 'documents.add' }));
  assert.equal(indexVisible(identity, 'dog'), true);
  assert.equal(indexVisible(identity, 'doggo'), false);
  fails(req({ authorization: auth, indexUid: 'doggo' }), 'invalid_api_key',
    'The API key cannot acces the index `doggo`, authorized indexes are ["cat*", "dog"].');
  fails(req({ authorization: auth, indexUid: 'dog', nowMs: NOW + 1000 }), 'invalid_api_key', INVALID);
});

test('tenant tokens: allowed index, filter, and both scope errors', async () => {
  const key = await store.create({ uid: null, name: null, description: null, actions: ['search'], indexes: ['dog'], expiresAtMs: null }, NOW);
  const token = await generateTenantToken({ apiKey: deriveKey(MASTER, key.uid), apiKeyUid: key.uid, searchRules: { dog: { filter: 'age > 3' }, doggo: null } });
  const identity = authorize(req({ authorization: `Bearer ${token}`, indexUid: 'dog' }));
  assert.equal(ruleFilterFor(identity, 'dog'), 'age > 3');
  fails(req({ authorization: `Bearer ${token}`, indexUid: 'cat' }), 'invalid_api_key',
    'The provided tenant token cannot acces the index `cat`, allowed indexes are ["dog", "doggo"].');
  fails(req({ authorization: `Bearer ${token}`, indexUid: 'doggo' }), 'invalid_api_key',
    'The API key used to generate this tenant token cannot acces the index `doggo`.');
  fails(req({ authorization: `Bearer ${token}`, indexUid: 'dog', action: 'documents.get' }), 'invalid_api_key', INVALID);
});

test('the store persists across reopen', async () => {
  const before = store.list().map((k) => k.uid);
  const reopened = await KeyStore.open(db, NOW + 5);
  assert.deepEqual(reopened.list().map((k) => k.uid), before);
});

test('index creation needs indexes.create on a visible index', async () => {
  const writer = await store.create({ uid: null, name: null, description: null, actions: ['documents.add'], indexes: ['*'], expiresAtMs: null }, NOW);
  const creator = await store.create({ uid: null, name: null, description: null, actions: ['documents.add', 'indexes.create'], indexes: ['prod*'], expiresAtMs: null }, NOW);
  const w = authorize(req({ authorization: `Bearer ${deriveKey(MASTER, writer.uid)}`, action: 'documents.add', indexUid: 'products' }));
  const c = authorize(req({ authorization: `Bearer ${deriveKey(MASTER, creator.uid)}`, action: 'documents.add', indexUid: 'products' }));
  assert.equal(canCreateIndex(w, 'products'), false);
  assert.equal(canCreateIndex(c, 'products'), true);
  assert.equal(canCreateIndex(c, 'other'), false);
  assert.equal(canCreateIndex(FULL_ACCESS, 'anything'), true);
});

test('two concurrent creates with one uid: the second sees the first', async () => {
  const uid = '11111111-2222-4333-8444-555555555555';
  const input = { uid, name: null, description: null, actions: ['search'], indexes: ['*'], expiresAtMs: null };
  const first = store.create(input, NOW);
  assert.equal(store.has(uid), true);
  await first;
  assert.equal(store.get(uid)?.uid, uid);
});
