// Goal: document reads and stats over the cluster equal what one node holding
// every document answers (ARCHITECTURE §4): get by id, list (GET) and fetch
// (POST) with offset/limit, fields, filter, sort and ids, stats counted over
// one copy. Method: three real engine nodes hold an index of S=8 shards with
// RF 1 and another with RF 2; a fourth node holds every document (oracle).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MeiliError } from '../../../../api/errors/registry.ts';
import { getDocument, listDocuments, listDocumentsFromQuery } from '../../../../runtime/search/documents-read.ts';
import { globalStats, indexStats } from '../../../../runtime/search/index-stats.ts';
import { corpus, fakePeer, http, loadIndex, startEngines, type Engines, type FakePeer, type IndexSpec } from './cluster-harness.ts';

const SETTINGS = { filterableAttributes: ['genre', 'year', 'brand', 'tags'], sortableAttributes: ['year', 'title'] };
const docs = corpus(150, 7);
const rf1: IndexSpec = { uid: 'docs', shards: 8, settings: SETTINGS, docs };
const rf2: IndexSpec = { uid: 'docs_rf2', shards: 8, settings: SETTINGS, docs };

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

const oracle = (method: string, path: string, body?: unknown): Promise<any> =>
  http(engines.oracle.url, method, `/indexes/docs${path}`, body).catch((e: { body?: unknown }) => {
    if (e.body === undefined) throw e;
    return { error: e.body };
  });

function errorOf(e: unknown): unknown {
  assert.ok(e instanceof MeiliError, String(e));
  return { error: e.toBody() };
}

describe('get by id', () => {
  test('every tenth document, with and without fields, RF 1 and RF 2', async () => {
    let checked = 0;
    for (const doc of docs.filter((_, i) => i % 10 === 0)) {
      const id = String(doc['id']);
      assert.deepEqual(await getDocument(peer1.services, 'docs', id, {}), await oracle('GET', `/documents/${id}`));
      assert.deepEqual(
        await getDocument(peer2.services, 'docs_rf2', id, { fields: 'title,year' }),
        await oracle('GET', `/documents/${id}?fields=title,year`),
      );
      checked++;
    }
    assert.equal(checked, 15);
  });

  test('a missing id is 404 document_not_found, as on one node', async () => {
    const expected = await oracle('GET', '/documents/99999');
    await assert.rejects(getDocument(peer1.services, 'docs', '99999', {}), (e) => {
      assert.deepEqual(errorOf(e), expected);
      return true;
    });
  });

  test('RF 2, an owner down while gossip says up: the replica answers', async () => {
    const doc = docs[3]!;
    const shard = engines.router.shardOf(doc['id'] as number, 8);
    peer2.broken.add(peer2.ownersOf('docs_rf2', shard)[0]!);
    try {
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(await getDocument(peer2.services, 'docs_rf2', String(doc['id']), {}), await oracle('GET', `/documents/${doc['id']}`));
      }
    } finally {
      peer2.broken.clear();
    }
  });

  test('RF 1, the only owner down: 503 miroir_shard_unavailable', async () => {
    const doc = docs[5]!;
    const shard = engines.router.shardOf(doc['id'] as number, 8);
    peer1.unhealthy.add(peer1.ownersOf('docs', shard)[0]!);
    try {
      await assert.rejects(getDocument(peer1.services, 'docs', String(doc['id']), {}), (e) => {
        assert.ok(e instanceof MeiliError);
        assert.equal(e.code, 'miroir_shard_unavailable');
        return true;
      });
    } finally {
      peer1.unhealthy.clear();
    }
  });
});

const LIST_QUERIES: Record<string, string>[] = [
  {},
  { offset: '5', limit: '13' },
  { limit: '200' },
  { fields: 'title,year', limit: '30' },
  { filter: 'genre = drama', limit: '40' },
  { filter: '["year > 2000", ["genre = comedy", "genre = horror"]]', limit: '100' },
  { filter: 'year >= 2010', limit: '25', offset: '10' },
  { filter: 'tags EXISTS', fields: 'title', limit: '20' },
  { ids: '3,17,44,120,555' },
  { offset: '140', limit: '20' },
];

describe('list and fetch', () => {
  test('GET /documents equals the oracle for every seeded query (RF 1 and RF 2)', async () => {
    let matched = 0;
    for (const query of LIST_QUERIES) {
      const expected = await oracle('GET', `/documents?${new URLSearchParams(query)}`);
      assert.ok(expected.results, JSON.stringify(expected));
      const one = await listDocumentsFromQuery(peer1.services, 'docs', query);
      assert.deepEqual(one.response, expected, JSON.stringify(query));
      const two = await listDocumentsFromQuery(peer2.services, 'docs_rf2', query);
      assert.deepEqual(two.response, expected, JSON.stringify(query));
      matched++;
    }
    assert.equal(matched, LIST_QUERIES.length);
  });

  test('POST /documents/fetch equals the oracle', async () => {
    const bodies = [
      {},
      { offset: 7, limit: 9, fields: ['id', 'genre'] },
      { filter: ['genre = comedy'], limit: 60 },
      { ids: [1, '2', 150, 77], fields: ['title'] },
      { sort: ['year:desc'], offset: 5, limit: 30, fields: ['title'] },
      { sort: ['title:asc', 'year:asc'], filter: 'genre = drama', limit: 40 },
    ];
    for (const body of bodies) {
      const expected = await oracle('POST', '/documents/fetch', body);
      assert.deepEqual((await listDocuments(peer1.services, 'docs', body)).response, expected, JSON.stringify(body));
    }
  });

  test('a node 4xx (sort on an attribute that is not sortable) passes through unchanged', async () => {
    const expected = await oracle('POST', '/documents/fetch', { sort: ['genre:asc'] });
    assert.ok(expected.error);
    await assert.rejects(listDocuments(peer1.services, 'docs', { sort: ['genre:asc'] }), (e) => {
      assert.deepEqual(errorOf(e), expected);
      return true;
    });
  });

  test('a filter or sort on the reserved field is answered as the oracle answers it', async () => {
    for (const body of [{ filter: '_miroir_shard = 2' }, { sort: ['_miroir_shard:desc'] }]) {
      const expected = await oracle('POST', '/documents/fetch', body);
      assert.ok(expected.error, JSON.stringify(expected));
      await assert.rejects(listDocuments(peer1.services, 'docs', body), (e) => {
        assert.deepEqual(errorOf(e), expected);
        return true;
      });
    }
  });

  test('a bad parameter gets the node’s own message', async () => {
    const expected = await oracle('GET', '/documents?limit=abc');
    await assert.rejects(listDocumentsFromQuery(peer1.services, 'docs', { limit: 'abc' }), (e) => {
      assert.deepEqual(errorOf(e), expected);
      return true;
    });
  });
});

describe('stats', () => {
  test('RF 1: counts and field distribution are exact', async () => {
    const expected = await oracle('GET', '/stats');
    const { response } = await indexStats(peer1.services, 'docs');
    assert.equal(response.numberOfDocuments, docs.length);
    assert.deepEqual(response.fieldDistribution, expected.fieldDistribution);
    assert.equal(response.isIndexing, false);
    assert.ok(response.rawDocumentDbSize > 0);
  });

  test('RF 2: the count is exact (no replica counted twice), the distribution an upper bound', async () => {
    const expected = await oracle('GET', '/stats');
    const { response } = await indexStats(peer2.services, 'docs_rf2');
    assert.equal(response.numberOfDocuments, docs.length);
    assert.deepEqual(Object.keys(response.fieldDistribution), Object.keys(expected.fieldDistribution));
    for (const [field, count] of Object.entries(expected.fieldDistribution as Record<string, number>)) {
      assert.ok(response.fieldDistribution[field]! >= count && response.fieldDistribution[field]! <= docs.length, field);
    }
  });

  test('GET /stats lists every index with its stats', async () => {
    const { response } = await globalStats(peer1.services);
    assert.deepEqual(Object.keys(response.indexes), ['docs']);
    assert.equal(response.indexes['docs']!.numberOfDocuments, docs.length);
    assert.ok(response.databaseSize > 0);
    assert.equal(response.lastUpdate, null);
  });
});
