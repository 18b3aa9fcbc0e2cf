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
import { multiSearch } from '../../../../runtime/search/multi-search.ts';
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
  // Distinct values spread over every node, more than a page: the exact totalHits needs every node's whole list.
  { page: 1, hitsPerPage: 5, distinct: 'brand' },
  { q: 'river', page: 2, hitsPerPage: 3, distinct: 'year' },
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

  test('a node 4xx passes through as the oracle words it, `_miroir_shard` never listed', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['search', { filter: 'title = x' }],
      ['search', { facets: ['title'] }],
      ['search', { q: 'river', distinct: 'title' }],
      ['facet-search', { facetName: 'title' }],
    ];
    for (const [route, body] of cases) {
      const expected = await http(engines.oracle.url, 'POST', `/indexes/books/${route}`, body).catch((e) => e.body);
      assert.ok(typeof expected?.code === 'string', JSON.stringify(expected));
      const run = route === 'search' ? searchIndex(peer1.services, 'books', body) : facetSearchIndex(peer1.services, 'books', body);
      await assert.rejects(run, (e: unknown) => {
        assert.ok(e instanceof MeiliError);
        assert.equal(e.status, 400);
        assert.deepEqual(e.toBody(), expected, JSON.stringify(body));
        return true;
      });
    }
  });

  test('a request naming the reserved field is answered as the oracle answers it (the field does not exist there)', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['search', { filter: '_miroir_shard = 3' }],
      ['search', { filter: ['genre = drama', ['_miroir_shard IN [1, 2]']] }],
      ['search', { q: 'river', facets: ['_miroir_shard', 'genre'] }],
      ['search', { q: 'river', distinct: '_miroir_shard' }],
      ['search', { sort: ['_miroir_shard:asc'] }],
      ['facet-search', { facetName: '_miroir_shard' }],
    ];
    for (const [route, body] of cases) {
      const expected = await http(engines.oracle.url, 'POST', `/indexes/books/${route}`, body).catch((e) => ({ error: e.body }));
      assert.ok(expected.error, JSON.stringify(expected));
      const run = route === 'search' ? searchIndex(peer1.services, 'books', body) : facetSearchIndex(peer1.services, 'books', body);
      await assert.rejects(run, (e: unknown) => {
        assert.ok(e instanceof MeiliError);
        assert.deepEqual({ error: e.toBody() }, expected, JSON.stringify(body));
        return true;
      });
    }
    // Under searchableAttributes ["*"] Meilisearch skips a name no document carries: no error, nothing searched.
    const searchOn = { q: '3', attributesToSearchOn: ['_miroir_shard'] };
    const { processingTimeMs: _p, requestUid: _u, ...expected } = await oracleSearch(searchOn);
    assert.equal((expected['hits'] as unknown[]).length, 0);
    const { processingTimeMs: _q, requestUid: _r, ...actual } = (await searchIndex(peer1.services, 'books', searchOn)).response as unknown as Record<string, unknown>;
    assert.deepEqual(actual, expected);
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

describe('multi-search', () => {
  const strip = (response: Record<string, unknown>): Record<string, unknown> => {
    const out = comparable(response);
    if (Array.isArray(out['results'])) out['results'] = (out['results'] as Record<string, unknown>[]).map(comparable);
    return out;
  };
  const oracleMulti = (body: unknown): Promise<any> =>
    http(engines.oracle.url, 'POST', '/multi-search', body).catch((e: { body?: unknown }) => ({ error: e.body }));

  test('plain: every query answered as its own cluster search', async () => {
    const body = { queries: QUERIES.slice(0, 12).map((q) => ({ indexUid: 'books', ...q })) };
    const { response, degradedShards } = await multiSearch(peer1.services, body);
    assert.deepEqual(degradedShards, {});
    assert.deepEqual(strip(response), strip(await oracleMulti(body)));
  });

  const FEDERATED: Record<string, unknown>[] = [
    { federation: {}, queries: [{ indexUid: 'books', q: 'river' }, { indexUid: 'books', q: 'stone', federationOptions: { weight: 0.5 } }] },
    {
      federation: { limit: 10, offset: 5 },
      queries: [{ indexUid: 'books', q: 'garden', filter: 'genre = drama' }, { indexUid: 'books', q: 'night', filter: 'genre = comedy' }],
    },
    { federation: { page: 2, hitsPerPage: 7, facetsByIndex: { books: ['genre'] } }, queries: [{ indexUid: 'books', q: 'ocean' }] },
    {
      federation: { mergeFacets: {}, facetsByIndex: { books: ['genre', 'year'] } },
      queries: [{ indexUid: 'books', q: 'light', showRankingScore: true }, { indexUid: 'books', q: 'winter', filter: 'year < 2000' }],
    },
    {
      federation: { limit: 30 },
      queries: [{ indexUid: 'books', q: 'silver', sort: ['year:desc'] }, { indexUid: 'books', q: 'dragon', sort: ['year:desc'] }],
    },
    { federation: { distinct: 'genre' }, queries: [{ indexUid: 'books', q: 'house' }, { indexUid: 'books', q: 'train' }] },
  ];

  test('federated: merged across queries as one node merges them', async () => {
    let matched = 0;
    for (const body of FEDERATED) {
      const expected = await oracleMulti(body);
      assert.ok(Array.isArray(expected.hits), JSON.stringify(expected));
      const { response } = await multiSearch(peer1.services, body);
      assert.deepEqual(strip(response), strip(expected), JSON.stringify(body));
      matched++;
    }
    assert.equal(matched, FEDERATED.length);
  });

  test('errors: a missing index is a prefixed 400; shape errors are the node’s own', async () => {
    const missing = { queries: [{ indexUid: 'books' }, { indexUid: 'nope' }] };
    await assert.rejects(multiSearch(peer1.services, missing), (e: unknown) => {
      assert.ok(e instanceof MeiliError);
      assert.equal(e.status, 400);
      assert.deepEqual({ error: e.toBody() }, { error: { message: 'Inside `.queries[1]`: Index `nope` not found.', code: 'index_not_found', type: 'invalid_request', link: 'https://docs.meilisearch.com/errors#index_not_found' } });
      return true;
    });
    const badFilter = { queries: [{ indexUid: 'books' }, { indexUid: 'books', filter: 'title = x' }] };
    const pagination = { federation: {}, queries: [{ indexUid: 'books', limit: 5 }] };
    for (const body of [badFilter, pagination]) {
      const expected = await oracleMulti(body);
      assert.ok(expected.error, JSON.stringify(expected));
      await assert.rejects(multiSearch(peer1.services, body), (e: unknown) => {
        assert.ok(e instanceof MeiliError);
        assert.deepEqual({ error: e.toBody() }, expected);
        return true;
      });
    }
  });
});
