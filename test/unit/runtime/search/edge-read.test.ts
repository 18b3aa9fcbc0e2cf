// Goal: the edge's read routes (search GET/POST, facet search, multi-search,
// document reads, stats) answer exactly as one Meilisearch holding every
// document: same status, same body, same errors; partial answers carry
// `X-Miroir-Degraded`, policy `error` answers 503; a tenant rule filter is
// ANDed before the scatter. Method: buildApp over the hand-built cluster of
// cluster-harness.ts (three engine nodes, S=8, RF 1) and an oracle engine
// node holding every document. inject() for the HTTP details; the official
// `meilisearch` client against the edge listening on loopback for what a
// user does, compared call by call with the same client against the oracle.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { Meilisearch, MeilisearchApiError } from 'meilisearch';
import { generateTenantToken } from 'meilisearch/token';
import { deriveKey } from '../../../../api/protocol/auth/key-derivation.ts';
import { buildApp } from '../../../../api/app.ts';
import { searchIndex } from '../../../../runtime/search/scatter-search.ts';
import { corpus, fakePeer, loadIndex, startEngines, type Engines, type FakePeer, type IndexSpec } from './cluster-harness.ts';

const SETTINGS = { filterableAttributes: ['genre', 'year', 'brand', 'tags'], sortableAttributes: ['year', 'title'] };
const docs = corpus(200, 11);
const books: IndexSpec = { uid: 'books', shards: 8, settings: SETTINGS, docs };

let engines: Engines;
let peer: FakePeer;
let app: FastifyInstance;
let edge: Meilisearch;
let oracle: Meilisearch;

before(async () => {
  engines = await startEngines(['n1', 'n2', 'n3']);
  await loadIndex(engines, 1, books);
  peer = fakePeer(engines, 1, [books]);
  app = await buildApp({ services: peer.services });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  edge = new Meilisearch({ host: address });
  oracle = new Meilisearch({ host: engines.oracle.url });
});

after(async () => {
  await app?.close();
  await peer?.close();
  await engines?.close();
});

/** Drops what legitimately differs between two answers (timings, request ids). */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (key !== 'processingTimeMs' && key !== 'requestUid') out[key] = comparable(v);
  return out;
}

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, unknown>;
}

async function viaEdge(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<Answer> {
  const res = await app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }),
  });
  return { status: res.statusCode, body: res.body === '' ? null : res.json(), headers: res.headers };
}

async function viaOracle(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<Answer> {
  const res = await fetch(`${engines.oracle.url}${url}`, {
    method,
    ...(payload === undefined ? {} : { body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text), headers: {} };
}

/** The edge and the oracle give the same status and body. */
async function sameAnswer(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<Answer> {
  const [mine, theirs] = [await viaEdge(method, url, payload), await viaOracle(method, url, payload)];
  assert.equal(mine.status, theirs.status, `${method} ${url} ${JSON.stringify(payload)}: ${JSON.stringify(mine.body)}`);
  assert.deepEqual(comparable(mine.body), comparable(theirs.body), `${method} ${url} ${JSON.stringify(payload)}`);
  return mine;
}

describe('routes answer as the oracle (inject)', () => {
  test('POST and GET search, facet search', async () => {
    const bodies = [
      { q: 'river' },
      { q: 'garden', filter: 'genre = drama', facets: ['genre', 'year'] },
      { sort: ['year:desc'], offset: 5, limit: 12 },
      { q: 'night', page: 2, hitsPerPage: 4, showRankingScore: true },
    ];
    for (const body of bodies) {
      const answer = await sameAnswer('POST', '/indexes/books/search', body);
      assert.equal(answer.headers['x-miroir-degraded'], undefined);
    }
    for (const qs of ['q=stone', 'q=ocean&facets=genre,brand&limit=3', 'filter=year%20%3E%202010&sort=title:asc', 'q=light&attributesToRetrieve=title,id']) {
      await sameAnswer('GET', `/indexes/books/search?${qs}`);
    }
    for (const body of [{ facetName: 'genre' }, { facetName: 'brand', facetQuery: 'b1', q: 'river' }]) {
      await sameAnswer('POST', '/indexes/books/facet-search', body);
    }
  });

  test('errors: shape, index-dependent and missing index, exactly as the oracle', async () => {
    await sameAnswer('POST', '/indexes/books/search', { q: 7 });
    await sameAnswer('POST', '/indexes/books/search', { limit: -1 });
    await sameAnswer('POST', '/indexes/books/search', { doggo: true });
    await sameAnswer('POST', '/indexes/books/search', { filter: 'title = x' });
    await sameAnswer('POST', '/indexes/books/search', { sort: ['brand:asc'] });
    await sameAnswer('POST', '/indexes/nope/search', { q: 'x' });
    await sameAnswer('POST', '/indexes/nope/search', { q: 7 });
    await sameAnswer('GET', '/indexes/books/search?limit=abc');
    await sameAnswer('GET', '/indexes/books/search?unknown=1');
    await sameAnswer('POST', '/indexes/books/facet-search', { facetQuery: 'x' });
    await sameAnswer('POST', '/indexes/books/facet-search', { facetName: 'title' });
  });

  test('multi-search, plain and federated', async () => {
    await sameAnswer('POST', '/multi-search', {
      queries: [{ indexUid: 'books', q: 'river' }, { indexUid: 'books', q: 'stone', filter: 'genre = comedy', limit: 3 }],
    });
    await sameAnswer('POST', '/multi-search', {
      federation: { limit: 8, offset: 2, facetsByIndex: { books: ['genre'] } },
      queries: [{ indexUid: 'books', q: 'garden' }, { indexUid: 'books', q: 'winter', federationOptions: { weight: 0.7 } }],
    });
    await sameAnswer('POST', '/multi-search', { queries: [{ indexUid: 'books' }, { indexUid: 'nope' }] });
    await sameAnswer('POST', '/multi-search', { queries: [{ indexUid: 'books', filter: 'title = x' }] });
  });

  test('documents: get, list, fetch', async () => {
    for (const id of [1, 57, 200]) await sameAnswer('GET', `/indexes/books/documents/${id}`);
    await sameAnswer('GET', '/indexes/books/documents/9999');
    await sameAnswer('GET', '/indexes/books/documents/3?fields=title,year');
    await sameAnswer('GET', '/indexes/books/documents/3?nope=1');
    await sameAnswer('GET', '/indexes/books/documents?offset=10&limit=15&fields=id,genre');
    await sameAnswer('GET', '/indexes/books/documents?limit=x');
    await sameAnswer('POST', '/indexes/books/documents/fetch', { filter: 'genre = horror', limit: 50, sort: ['year:asc'] });
    await sameAnswer('POST', '/indexes/books/documents/fetch', { ids: [4, '8', 15] });
    await sameAnswer('GET', '/indexes/nope/documents');
    await sameAnswer('GET', '/indexes/nope/documents?limit=x');
    await sameAnswer('POST', '/indexes/nope/documents/fetch', { limit: 'x' });
  });

  test('stats: counts as the oracle; size formats and bad parameters', async () => {
    const mine = await viaEdge('GET', '/indexes/books/stats');
    const theirs = await viaOracle('GET', '/indexes/books/stats');
    const pick = (b: any) => ({ numberOfDocuments: b.numberOfDocuments, fieldDistribution: b.fieldDistribution, isIndexing: b.isIndexing });
    assert.equal(mine.status, 200);
    assert.deepEqual(pick(mine.body), pick(theirs.body));
    const human = await viaEdge('GET', '/indexes/books/stats?sizeFormat=human');
    assert.match((human.body as any).rawDocumentDbSize, /^[\d.]+ (B|KiB|MiB)$/);
    const global = await viaEdge('GET', '/stats');
    assert.deepEqual(Object.keys((global.body as any).indexes), ['books']);
    assert.equal((global.body as any).indexes.books.numberOfDocuments, docs.length);
    await sameAnswer('GET', '/indexes/books/stats?sizeFormat=big');
    await sameAnswer('GET', '/stats?what=1');
  });
});

describe('degraded answers', () => {
  test('partial: X-Miroir-Degraded names the lost shards; policy error: 503 miroir_shard_unavailable', async () => {
    peer.unhealthy.add('n1');
    try {
      const lost = [...Array(8).keys()].filter((s) => peer.ownersOf('books', s).includes('n1'));
      assert.ok(lost.length > 0);
      const search = await viaEdge('POST', '/indexes/books/search', { q: 'river' });
      assert.equal(search.status, 200);
      assert.equal(search.headers['x-miroir-degraded'], `shards=${lost.join(',')}`);
      const multi = await viaEdge('POST', '/multi-search', { queries: [{ indexUid: 'books', q: 'river' }] });
      assert.equal(multi.headers['x-miroir-degraded'], `shards=books:${lost.join(',')}`);
      const list = await viaEdge('GET', '/indexes/books/documents');
      assert.equal(list.headers['x-miroir-degraded'], `shards=${lost.join(',')}`);
      peer.setReadPolicy('error');
      const refused = await viaEdge('POST', '/indexes/books/search', { q: 'river' });
      assert.equal(refused.status, 503);
      assert.equal((refused.body as any).code, 'miroir_shard_unavailable');
      assert.deepEqual(Object.keys(refused.body as object), ['message', 'code', 'type', 'link']);
    } finally {
      peer.unhealthy.delete('n1');
      peer.setReadPolicy('partial');
    }
  });
});

describe('tenant rule filter', () => {
  test('ANDed with the client filter before the scatter: equals the oracle searched with both', async () => {
    const cases: [unknown, string | string[]][] = [
      [undefined, 'genre = drama'],
      ['year > 2000', 'genre = comedy'],
      [['year > 1995', ['genre = horror', 'genre = drama']], ['brand != b3']],
    ];
    for (const [user, rule] of cases) {
      const body = { q: 'river', limit: 100, ...(user === undefined ? {} : { filter: user }) };
      const { response } = await searchIndex(peer.services, 'books', body, { tenantFilter: rule });
      const list = (f: unknown): unknown[] => (f === undefined ? [] : Array.isArray(f) ? f : [f]);
      const expected = await viaOracle('POST', '/indexes/books/search', { ...body, filter: [...list(user), ...list(rule)] });
      assert.ok((expected.body as any).hits.length > 0);
      assert.deepEqual(comparable(response), comparable(expected.body));
    }
  });
});

describe('the official client against a listening edge', () => {
  test('search, multi-search, documents and stats as against one node', async () => {
    const a = edge.index('books');
    const b = oracle.index('books');
    const same = async (call: (c: ReturnType<Meilisearch['index']>) => Promise<unknown>): Promise<void> => {
      assert.deepEqual(comparable(await call(a)), comparable(await call(b)));
    };
    await same((i) => i.search('silver', { filter: ['genre = drama'], facets: ['year'] }));
    await same((i) => i.search('', { sort: ['title:asc'], hitsPerPage: 9, page: 3 }));
    await same((i) => i.searchGet('dragon', { limit: 4 }));
    await same((i) => i.searchForFacetValues({ facetName: 'genre', facetQuery: 'dr' }));
    await same((i) => i.getDocuments({ limit: 7, offset: 30 }));
    await same((i) => i.getDocuments({ filter: 'year < 2000', fields: ['title'] }));
    await same((i) => i.getDocument(42));
    const multi = { queries: [{ indexUid: 'books', q: 'train' }, { indexUid: 'books', q: 'house', limit: 2 }] };
    assert.deepEqual(comparable(await edge.multiSearch(multi)), comparable(await oracle.multiSearch(multi)));
    assert.equal((await a.getStats()).numberOfDocuments, docs.length);
    await assert.rejects(edge.index('nope').search('x'), (e: unknown) => {
      assert.ok(e instanceof MeilisearchApiError);
      assert.equal(e.response.status, 404);
      assert.equal(e.cause?.code, 'index_not_found');
      return true;
    });
  });
});

describe('tenant tokens through the official client', () => {
  test('the searchRules filter is ANDed on search, multi-search and facet search; other indexes are refused', async () => {
    const masterKey = 'read-path-tenant-master-key-0123456789';
    const tenantPeer = fakePeer(engines, 1, [books], { masterKey });
    const uid = '8f2a4c1e-3b5d-4e6f-9a7b-0c1d2e3f4a5b';
    tenantPeer.state.keys.set(uid, {
      uid, name: null, description: null, actions: ['search'], indexes: ['books'], expiresAtMs: null, createdAtMs: 0, updatedAtMs: 0,
    });
    const tenantApp = await buildApp({ services: tenantPeer.services });
    try {
      const host = await tenantApp.listen({ host: '127.0.0.1', port: 0 });
      const token = await generateTenantToken({ apiKey: deriveKey(masterKey, uid), apiKeyUid: uid, searchRules: { books: { filter: 'genre = drama' } } });
      const tenant = new Meilisearch({ host, apiKey: token });
      const got = await tenant.index('books').search('river', { filter: 'year > 2000', facets: ['genre'], limit: 100 });
      const expected = await oracle.index('books').search('river', { filter: ['year > 2000', 'genre = drama'], facets: ['genre'], limit: 100 });
      assert.ok(expected.hits.length > 0);
      assert.deepEqual(comparable(got), comparable(expected));
      assert.deepEqual(Object.keys(got.facetDistribution?.['genre'] ?? {}), ['drama']);
      const multi = await tenant.multiSearch({ queries: [{ indexUid: 'books', q: 'stone' }] });
      const oracleMulti = await oracle.multiSearch({ queries: [{ indexUid: 'books', q: 'stone', filter: 'genre = drama' }] });
      assert.deepEqual(comparable(multi), comparable(oracleMulti));
      const facets = await tenant.index('books').searchForFacetValues({ facetName: 'genre' });
      assert.deepEqual(facets.facetHits.map((h) => h.value), ['drama']);
      for (const call of [tenant.index('movies').search('x'), tenant.multiSearch({ queries: [{ indexUid: 'books' }, { indexUid: 'movies' }] })]) {
        await assert.rejects(call, (e: unknown) => {
          assert.ok(e instanceof MeilisearchApiError);
          assert.equal(e.response.status, 403);
          assert.equal(e.cause?.code, 'invalid_api_key');
          return true;
        });
      }
    } finally {
      await tenantApp.close();
      await tenantPeer.close();
    }
  });
});
