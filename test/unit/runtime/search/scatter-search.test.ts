// Goal: a search scattered over the cluster answers exactly what one node
// holding every document answers (ARCHITECTURE §4), and survives node
// failures as the read policy says. Method: three real engine nodes hold an
// index of S=8 shards (RF 1, and a second index with RF 2), a fourth holds
// every document (the oracle); a fixed list of seeded queries (q, typos,
// filters, facets, sort, offset/limit, page mode, distinct, attributes) must
// give the same response, minus processingTimeMs and requestUid.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MeiliError } from '../../../../api/errors/registry.ts';
import { facetSearchIndex, searchIndex } from '../../../../runtime/search/scatter-search.ts';
import { corpus, fakePeer, http, loadIndex, startEngines, type Engines, type FakePeer, type IndexSpec } from './cluster-harness.ts';

const SETTINGS = {
  filterableAttributes: ['genre', 'year', 'brand', 'tags'],
  sortableAttributes: ['year', 'title'],
};
const docs = corpus(240, 42);
const rf1: IndexSpec = { uid: 'books', shards: 8, settings: SETTINGS, docs };
const rf2: IndexSpec = { uid: 'books_rf2', shards: 8, settings: SETTINGS, docs };

export const QUERIES: Record<string, unknown>[] = [
  {},
  { q: 'river' },
  { q: 'silver dragon' },
  { q: 'forst' },
  { q: 'garden', filter: 'genre = drama' },
  { q: 'night', filter: ['year > 2000', ['genre = comedy', 'genre = horror']] },
  { sort: ['year:desc'] },
  { q: 'stone', sort: ['year:asc'] },
  { q: 'ocean', facets: ['genre', 'year'] },
  { facets: ['genre', 'brand'], filter: 'year >= 2005' },
  { q: 'light', offset: 10, limit: 7 },
  { q: 'train', page: 2, hitsPerPage: 5 },
  { q: 'house', distinct: 'genre' },
  { distinct: 'brand', limit: 50 },
  { q: 'winter', attributesToRetrieve: ['title'] },
  { q: 'river stone', showRankingScore: true },
  { q: 'ocean', page: 1, hitsPerPage: 10, distinct: 'genre' },
  { q: 'silver', sort: ['title:asc'], limit: 30 },
  { q: 'night', filter: 'tags EXISTS' },
  { q: 'dragon train', matchingStrategy: 'all' },
  { q: 'garden light', showRankingScoreDetails: true, limit: 5 },
  { q: 'stone', offset: 1000 },
];

let engines: Engines;
let peer1: FakePeer;
let peer2: FakePeer;

before(async () => {
  engines = await startEngines(['n1', 'n2', 'n3']);
  await loadIndex(engines, 1, rf1);
  await loadIndex(engines, 2, rf2);
  peer1 = fakePeer(engines, 1, [rf1]);
  peer2 = fakePeer(engines, 2, [rf2]);
});

after(async () => {
  await peer1?.close();
  await peer2?.close();
  await engines?.close();
});

function comparable(response: Record<string, unknown>): Record<string, unknown> {
  const { processingTimeMs: _p, requestUid: _r, ...rest } = response;
  return rest;
}

async function oracleSearch(body: unknown): Promise<Record<string, unknown>> {
  return http(engines.oracle.url, 'POST', '/indexes/books/search', body);
}

describe('search equals the oracle', () => {
  test('RF 1: every seeded query', async () => {
    let matched = 0;
    let withHits = 0;
    for (const query of QUERIES) {
      const expected = comparable(await oracleSearch(query));
      if ((expected['hits'] as unknown[]).length > 0) withHits++;
      const { response, degradedShards } = await searchIndex(peer1.services, 'books', query);
      assert.deepEqual(degradedShards, []);
      assert.deepEqual(comparable(response), expected, `query ${JSON.stringify(query)}`);
      assert.match(response.requestUid, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      matched++;
    }
    assert.equal(matched, QUERIES.length);
    // The comparison is not vacuous: all but the out-of-range query return hits.
    assert.equal(withHits, QUERIES.length - 1);
  });

  test('RF 2: every seeded query, replicas rotating', async () => {
    for (let round = 0; round < 2; round++) {
      for (const query of QUERIES) {
        const expected = comparable(await oracleSearch(query));
        const { response } = await searchIndex(peer2.services, 'books_rf2', query);
        assert.deepEqual(comparable(response), expected, `query ${JSON.stringify(query)}`);
      }
    }
  });

  test('facet search sums counts across shards', async () => {
    for (const body of [{ facetName: 'genre' }, { facetName: 'genre', facetQuery: 'com' }, { facetName: 'brand', q: 'river', filter: 'year < 2010' }]) {
      const expected = await http(engines.oracle.url, 'POST', '/indexes/books/facet-search', body);
      const { response } = await facetSearchIndex(peer1.services, 'books', body);
      assert.deepEqual({ ...response, processingTimeMs: 0 }, { ...expected, processingTimeMs: 0 }, JSON.stringify(body));
    }
  });
});

describe('errors', () => {
  test('an unknown index is 404 index_not_found', async () => {
    await assert.rejects(searchIndex(peer1.services, 'nope', {}), (e: unknown) => {
      assert.ok(e instanceof MeiliError);
      assert.equal(e.code, 'index_not_found');
      assert.equal(e.status, 404);
      assert.equal(e.message, 'Index `nope` not found.');
      return true;
    });
  });

  test('a node 4xx (filter on a non-filterable field) passes through unchanged', async () => {
    const expected = await http(engines.oracle.url, 'POST', '/indexes/books/search', { filter: 'title = x' }).catch((e) => e.body);
    await assert.rejects(searchIndex(peer1.services, 'books', { filter: 'title = x' }), (e: unknown) => {
      assert.ok(e instanceof MeiliError);
      assert.equal(e.code, expected.code);
      assert.equal(e.status, 400);
      return true;
    });
  });

  test('a wrongly typed pagination field gets the node’s own message', async () => {
    const expected = await http(engines.oracle.url, 'POST', '/indexes/books/search', { offset: 'doggo' }).catch((e) => e.body);
    await assert.rejects(searchIndex(peer1.services, 'books', { offset: 'doggo' }), (e: unknown) => {
      assert.ok(e instanceof MeiliError);
      assert.deepEqual(e.toBody(), expected);
      return true;
    });
  });
});

describe('node failures', () => {
  test('RF 1, a node down (gossip knows): partial answer over the other shards', async () => {
    peer1.unhealthy.add('n2');
    try {
      const lost = [...Array(8).keys()].filter((s) => peer1.ownersOf('books', s).includes('n2'));
      const { response, degradedShards } = await searchIndex(peer1.services, 'books', { q: 'river', limit: 500 });
      assert.deepEqual(degradedShards, lost);
      const kept = docs.filter((d) => !lost.includes(engines.router.shardOf(d['id'] as number, 8))).map((d) => d['id']);
      assert.ok(response.hits.length > 0);
      assert.ok(response.hits.every((h) => kept.includes(h['id'])));
      peer1.setReadPolicy('error');
      await assert.rejects(searchIndex(peer1.services, 'books', { q: 'river' }), (e: unknown) => {
        assert.ok(e instanceof MeiliError);
        assert.equal(e.code, 'miroir_shard_unavailable');
        assert.equal(e.status, 503);
        return true;
      });
    } finally {
      peer1.unhealthy.delete('n2');
      peer1.setReadPolicy('partial');
    }
  });

  test('RF 2, a node down that gossip still calls healthy: replicas answer within the request', async () => {
    peer2.broken.add('n1');
    try {
      for (const query of QUERIES.slice(0, 8)) {
        const expected = comparable(await oracleSearch(query));
        const { response, degradedShards } = await searchIndex(peer2.services, 'books_rf2', query);
        assert.deepEqual(degradedShards, []);
        assert.deepEqual(comparable(response), expected, `query ${JSON.stringify(query)}`);
      }
    } finally {
      peer2.broken.delete('n1');
    }
  });
});
