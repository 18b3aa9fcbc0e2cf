// Goal: a federated multi-search cannot read an index outside the caller's
// scope through `federation.facetsByIndex` (alone or with `mergeFacets`):
// every index named there is checked like the queries' indexes, for API keys
// and tenant tokens, with Meilisearch's 403 `invalid_api_key`. Method: two
// indexes on real engine nodes, a key scoped to one, the official client
// against a listening edge.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { Meilisearch, MeilisearchApiError } from 'meilisearch';
import { generateTenantToken } from 'meilisearch/token';
import { deriveKey } from '../../../../api/protocol/auth/key-derivation.ts';
import { buildApp } from '../../../../api/app.ts';
import { corpus, fakePeer, loadIndex, startEngines, type Engines, type FakePeer, type IndexSpec } from './cluster-harness.ts';

const SETTINGS = { filterableAttributes: ['genre', 'year'] };
const books: IndexSpec = { uid: 'books', shards: 4, settings: SETTINGS, docs: corpus(60, 5) };
const secrets: IndexSpec = { uid: 'secrets', shards: 4, settings: SETTINGS, docs: corpus(40, 6) };
const MASTER_KEY = 'multi-search-scope-master-key-0123456789';
const KEY_UID = '5c3e1a2b-4d6f-4a8b-9c0d-1e2f3a4b5c6d';

let engines: Engines;
let peer: FakePeer;
let app: FastifyInstance;
let host: string;

before(async () => {
  engines = await startEngines(['n1', 'n2']);
  await loadIndex(engines, 1, books);
  await loadIndex(engines, 1, secrets);
  peer = fakePeer(engines, 1, [books, secrets], { masterKey: MASTER_KEY });
  peer.state.keys.set(KEY_UID, {
    uid: KEY_UID, name: null, description: null, actions: ['search'], indexes: ['books'], expiresAtMs: null, createdAtMs: 0, updatedAtMs: 0,
  });
  app = await buildApp({ services: peer.services });
  host = await app.listen({ host: '127.0.0.1', port: 0 });
});

after(async () => {
  await app?.close();
  await peer?.close();
  await engines?.close();
});

async function assertRefused(call: Promise<unknown>, uid: string): Promise<void> {
  await assert.rejects(call, (e: unknown) => {
    assert.ok(e instanceof MeilisearchApiError);
    assert.equal(e.response.status, 403);
    assert.equal(e.cause?.code, 'invalid_api_key');
    assert.equal(e.cause?.message, `Inside \`.federation.facetsByIndex.${uid}\`: The provided API key is invalid.`);
    return true;
  });
}

describe('federation.facetsByIndex is checked against the caller\'s indexes', () => {
  test('an API key scoped to one index', async () => {
    const client = new Meilisearch({ host, apiKey: deriveKey(MASTER_KEY, KEY_UID) });
    const allowed = await client.multiSearch({ queries: [{ indexUid: 'books', q: '' }], federation: { facetsByIndex: { books: ['genre'] } } });
    assert.ok(Object.keys(allowed.facetsByIndex?.['books']?.distribution['genre'] ?? {}).length > 0);
    const query = [{ indexUid: 'books', q: '' }];
    await assertRefused(client.multiSearch({ queries: query, federation: { facetsByIndex: { secrets: ['genre'] } } }), 'secrets');
    await assertRefused(client.multiSearch({ queries: query, federation: { facetsByIndex: { books: ['genre'], secrets: ['genre'] }, mergeFacets: {} } }), 'secrets');
    // Naming an index without facets still names it (its existence would be checked).
    await assertRefused(client.multiSearch({ queries: query, federation: { facetsByIndex: { secrets: null } } }), 'secrets');
    await assertRefused(client.multiSearch({ queries: query, federation: { facetsByIndex: { missing: ['genre'] } } }), 'missing');
    // The master key sees everything.
    const master = new Meilisearch({ host, apiKey: MASTER_KEY });
    const merged = await master.multiSearch({ queries: query, federation: { facetsByIndex: { books: ['genre'], secrets: ['genre'] }, mergeFacets: {} } });
    assert.ok(Object.keys(merged.facetDistribution?.['genre'] ?? {}).length > 0);
  });

  test('a tenant token whose searchRules name one index', async () => {
    const token = await generateTenantToken({ apiKey: deriveKey(MASTER_KEY, KEY_UID), apiKeyUid: KEY_UID, searchRules: { books: { filter: 'genre = drama' } } });
    const tenant = new Meilisearch({ host, apiKey: token });
    const allowed = await tenant.multiSearch({ queries: [{ indexUid: 'books', q: '' }], federation: { facetsByIndex: { books: ['genre'] } } });
    assert.deepEqual(Object.keys(allowed.facetsByIndex?.['books']?.distribution['genre'] ?? {}), ['drama']);
    await assertRefused(tenant.multiSearch({ queries: [{ indexUid: 'books', q: '' }], federation: { facetsByIndex: { secrets: ['genre'] } } }), 'secrets');
  });
});
