// Goal: the document write routes of the edge validate the whole request,
// then commit exactly one command split by shard, and answer Meilisearch's
// 202 summarized task (or its synchronous 4xx error, proposing nothing; or,
// for primary-key and id problems, a command whose task fails at apply).
// Method: inject() into buildApp over the in-memory PeerServices of
// harness.ts and inspect the proposed commands.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { json, master, testApp, type TestPeer } from './harness.ts';
import { askEdge, askNode, startEngineNode, type EngineNode, type Probe } from './engine-parity.ts';

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

describe('document additions', () => {
  let app: FastifyInstance;
  let peer: TestPeer;
  before(async () => {
    ({ app, peer } = await testApp());
  });
  after(() => app.close());

  const post = (url: string, type: string, payload: string, method: 'POST' | 'PUT' = 'POST') =>
    app.inject({ method, url, headers: { ...master, 'content-type': type }, payload });

  test('POST JSON to a missing index: primary key inferred, documents stamped and split by shard, one command, 202', async () => {
    const before = peer.proposed.length;
    const res = await post('/indexes/books/documents', 'application/json', JSON.stringify([{ bookId: 1, t: 'a' }, { bookId: 'x', t: 'b' }, { bookId: 3 }]));
    assert.equal(res.statusCode, 202, res.body);
    assert.deepEqual({ ...(res.json() as object), taskUid: 0, enqueuedAt: '' }, { taskUid: 0, indexUid: 'books', status: 'enqueued', type: 'documentAdditionOrUpdate', enqueuedAt: '' });
    assert.equal(peer.proposed.length, before + 1);
    const command = peer.proposed.at(-1);
    assert.equal(command?.kind, 'documents.write');
    if (command?.kind !== 'documents.write') return;
    assert.equal(command.mode, 'replace');
    assert.equal(command.primaryKey, 'bookId');
    assert.equal(command.receivedDocuments, 3);
    const stamped = Object.entries(command.byShard).flatMap(([shard, docs]) => docs.map((d) => [Number(shard), d] as const));
    assert.equal(stamped.length, 3);
    for (const [shard, doc] of stamped) {
      assert.equal(doc['_miroir_shard'], shard);
      assert.equal(shard, peer.services.router.shardOf(String(doc['bookId']), 8));
    }
    assert.equal(peer.state.indexes.get('books')?.primaryKey, 'bookId');
  });

  test('PUT NDJSON is an update; CSV with csvDelimiter is parsed with typed columns', async () => {
    const ndjson = await post('/indexes/books/documents', 'application/x-ndjson', '{"bookId":7,"t":"z"}\n{"bookId":8}\n', 'PUT');
    assert.equal(ndjson.statusCode, 202, ndjson.body);
    const update = peer.proposed.at(-1);
    assert.ok(update?.kind === 'documents.write' && update.mode === 'update' && update.receivedDocuments === 2);
    const csv = await post('/indexes/books/documents?csvDelimiter=%3B', 'text/csv', 'bookId:number;t\n9;nine\n');
    assert.equal(csv.statusCode, 202, csv.body);
    const command = peer.proposed.at(-1);
    assert.ok(command?.kind === 'documents.write');
    assert.deepEqual(Object.values(command.byShard).flat(), [{ bookId: 9, t: 'nine', _miroir_shard: peer.services.router.shardOf('9', 8) }]);
  });

  test('primary-key and document-id problems are 202 and a failed task committed through the log, as in Meilisearch', async () => {
    const cases: Array<[string, string, number, string, string]> = [
      ['/indexes/books/documents?primaryKey=other', '[{"bookId":1}]', 1, 'index_primary_key_already_exists', 'Index already has a primary key: `bookId`.'],
      ['/indexes/fresh/documents', '[{"title":"x"},{"id":1}]', 2, 'index_primary_key_no_candidate_found',
        'The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.'],
      ['/indexes/fresh/documents', '[]', 0, 'index_primary_key_no_candidate_found',
        'The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.'],
      ['/indexes/fresh/documents', '[{"id":1,"uid":2}]', 1, 'index_primary_key_multiple_candidates_found',
        'The primary key inference failed as the engine found 2 fields ending with `id` in their names: \'id\' and \'uid\'. Please specify the primary key manually using the `primaryKey` query parameter.'],
      ['/indexes/books/documents', '[{"bookId":1},{"bookId":"a b"}]', 2, 'invalid_document_id',
        'Document identifier `"a b"` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.'],
      ['/indexes/books/documents', '[{"t":1}]', 1, 'missing_document_id', 'Document doesn\'t have a `bookId` attribute: `{"t":1}`.'],
    ];
    for (const [url, payload, received, code, message] of cases) {
      const res = await post(url, 'application/json', payload);
      assert.equal(res.statusCode, 202, `${url} ${payload}: ${res.body}`);
      const command = peer.proposed.at(-1);
      assert.ok(command?.kind === 'documents.write', url);
      // Nothing reaches a node: no documents in the command, and apply fails its task.
      assert.deepEqual(command.byShard, {});
      const task = await app.inject({ method: 'GET', url: `/tasks/${res.json().taskUid}`, headers: master });
      const body = task.json();
      assert.equal(body.status, 'failed', `${url} ${payload}`);
      assert.equal(body.type, 'documentAdditionOrUpdate');
      assert.deepEqual(body.details, { receivedDocuments: received, indexedDocuments: 0 });
      assert.deepEqual(body.error, { message, code, type: 'invalid_request', link: `https://docs.meilisearch.com/errors#${code}` });
    }
    // A failed write creates no index and sets no primary key.
    assert.equal(peer.state.indexes.has('fresh'), false);
    assert.equal(peer.state.indexes.get('books')?.primaryKey, 'bookId');
  });

  test('synchronous refusals propose nothing: reserved field, content type, delimiter, syntax', async () => {
    const before = peer.proposed.length;
    const cases: Array<[string, string, string, number, string]> = [
      ['/indexes/books/documents', 'application/json', '[{"bookId":1,"_miroir_shard":2}]', 400, 'miroir_reserved_field'],
      ['/indexes/books/documents', 'text/plain', '[]', 415, 'invalid_content_type'],
      ['/indexes/books/documents?csvDelimiter=%3B', 'application/json', '[]', 415, 'invalid_content_type'],
      ['/indexes/books/documents?csvDelimiter=ab', 'text/csv', 'a\n1', 400, 'invalid_document_csv_delimiter'],
      ['/indexes/books/documents', 'application/json', '', 400, 'missing_payload'],
      ['/indexes/books/documents', 'application/json', '[1]', 400, 'malformed_payload'],
      ['/indexes/books/documents?skipCreation=maybe', 'application/json', '[]', 400, 'invalid_skip_creation'],
      ['/indexes/books/documents?nope=1', 'application/json', '[]', 400, 'bad_request'],
      ['/indexes/a%20b/documents', 'application/json', '[]', 400, 'invalid_index_uid'],
    ];
    for (const [url, type, payload, status, code] of cases) {
      const res = await post(url, type, payload);
      assert.equal(res.statusCode, status, `${url} ${payload}: ${res.body}`);
      assert.equal(res.json().code, code, `${url} ${payload}`);
    }
    assert.equal(peer.proposed.length, before);
  });

  test('a 40 MB batch, above one log entry, is accepted: parts in order under one task', async () => {
    const docs = Array.from({ length: 40_000 }, (_, i) => ({ bookId: i, text: `${i} ${'x'.repeat(1000)}` }));
    const before = peer.proposed.length;
    const tasksBefore = peer.state.nextTaskUid;
    const res = await post('/indexes/books/documents', 'application/json', JSON.stringify(docs));
    assert.equal(res.statusCode, 202, res.body.slice(0, 500));
    const taskUid = res.json().taskUid;
    assert.equal(peer.state.nextTaskUid, tasksBefore + 1, 'one task');
    const parts = peer.proposed.slice(before);
    assert.ok(parts.length >= 2, `${parts.length} parts`);
    const byShard = new Map<number, unknown[]>();
    parts.forEach((part, index) => {
      assert.ok(part.kind === 'documents.write');
      assert.deepEqual(part.part, index === 0 ? { index, count: parts.length } : { index, count: parts.length, taskUid });
      assert.ok(Buffer.byteLength(JSON.stringify(part.byShard)) <= 32 * 1024 * 1024 + 1024, 'each entry within half a frame');
      for (const [shard, list] of Object.entries(part.byShard)) byShard.set(Number(shard), [...(byShard.get(Number(shard)) ?? []), ...list.map((d) => d['bookId'])]);
    });
    assert.equal(parts[0]!.kind === 'documents.write' && parts[0]!.receivedDocuments, 40_000);
    for (const [shard, ids] of byShard) {
      assert.deepEqual(ids, docs.map((d) => d.bookId).filter((id) => peer.services.router.shardOf(String(id), 8) === shard), `shard ${shard} in order`);
    }
    assert.equal([...byShard.values()].reduce((n, ids) => n + ids.length, 0), 40_000);
  });

  test('a single document larger than one log entry is refused with payload_too_large, proposing nothing', async () => {
    const before = peer.proposed.length;
    const res = await post('/indexes/books/documents', 'application/json', JSON.stringify([{ bookId: 1, text: 'x'.repeat(33 * 1024 * 1024) }]));
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().code, 'payload_too_large');
    assert.match(res.json().message, /The maximum accepted payload size is 32 MiB\./);
    assert.equal(peer.proposed.length, before);
  });

  test('an index created on another peer is seen before the write: its primary key is used, not inferred', async () => {
    peer.applyOnSync({ v: 1, kind: 'index.create', uid: 'remote', primaryKey: 'sku', shards: 8, nowMs: 0 });
    const res = await post('/indexes/remote/documents', 'application/json', '[{"sku":"a","id":1}]');
    assert.equal(res.statusCode, 202, res.body);
    const command = peer.proposed.at(-1);
    assert.ok(command?.kind === 'documents.write' && command.primaryKey === 'sku');
  });
});

describe('document write errors are the engine node\'s', () => {
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

  const bad: Probe[] = [
    { method: 'POST', url: '/indexes/movies/documents', body: '[{"id":1}]', contentType: 'text/plain' },
    { method: 'POST', url: '/indexes/movies/documents?csvDelimiter=%3B', body: '[{"id":1}]' },
    { method: 'POST', url: '/indexes/movies/documents?csvDelimiter=%3B%3B', body: 'id\n1', contentType: 'text/csv' },
    { method: 'POST', url: '/indexes/movies/documents', body: '' },
    { method: 'POST', url: '/indexes/movies/documents', body: '[{"id":1},' },
    { method: 'POST', url: '/indexes/movies/documents', body: '{"id":1}\n{"id":', contentType: 'application/x-ndjson' },
    { method: 'POST', url: '/indexes/movies/documents', body: '"text"' },
    { method: 'PUT', url: '/indexes/movies/documents', body: '[1, 2]' },
    { method: 'PUT', url: '/indexes/movies/documents?skipCreation=yes', body: '[]' },
    { method: 'PUT', url: '/indexes/movies/documents?primaryKey=a&primaryKey=b', body: '[]' },
    { method: 'POST', url: '/indexes/movies/documents?batchSize=2', body: '[]' },
    { method: 'POST', url: '/indexes/m%C3%A9/documents', body: '[]' },
    { method: 'POST', url: '/indexes/movies/documents/delete-batch', body: { ids: [1] } },
    { method: 'POST', url: '/indexes/movies/documents/delete', body: {} },
    { method: 'POST', url: '/indexes/movies/documents/delete', body: { filter: '' } },
    { method: 'POST', url: '/indexes/movies/documents/delete', body: { filter: [] } },
    { method: 'POST', url: '/indexes/movies/documents/delete', body: { filter: 'genre =' } },
    { method: 'POST', url: '/indexes/movies/documents/delete', body: { filter: 'genre = a AND' } },
    { method: 'POST', url: '/indexes/movies/documents/delete', body: { filter: 3 } },
    { method: 'POST', url: '/indexes/movies/documents/delete', body: { filter: ['a = 1', ['b = 2', 3]] } },
    { method: 'POST', url: '/indexes/movies/documents/delete', body: { filter: 'a = 1', other: 1 } },
    { method: 'POST', url: '/indexes/movies/documents/delete?customMetadata=a&customMetadata=b', body: { filter: 'a = 1' } },
  ];
  for (const probe of bad) {
    test(`${probe.method} ${probe.url} ${typeof probe.body === 'string' ? probe.body : JSON.stringify(probe.body)}`, async () => {
      const before = peer.proposed.length;
      const [edge, fromNode] = [await askEdge(app, probe), await askNode(node, probe)];
      assert.ok(edge.status >= 400, `refused: ${JSON.stringify(edge)}`);
      assert.deepEqual(edge, fromNode);
      assert.equal(peer.proposed.length, before, 'nothing proposed');
    });
  }
});
