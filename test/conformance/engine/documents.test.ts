// Goal: the official meilisearch client behaves against the engine as against
// Meilisearch v1 for indexes, documents and stats (API.md §1.1, §1.2, §11).
// Method: a real `miroir node` child process driven by the client; answers
// compared with Meilisearch's shapes and messages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Meilisearch } from 'meilisearch';
import { expectApiError, startFixture, type Fixture } from './helpers.ts';

let f: Fixture;
before(async () => { f = await startFixture('documents'); });
after(async () => { await f.close(); });

test('create an index, read it back, list indexes with offset/limit', async () => {
  const task = await f.client.createIndex('movies', { primaryKey: 'id' }).waitTask();
  assert.equal(task.status, 'succeeded');
  assert.equal(task.type, 'indexCreation');
  assert.deepEqual(task.details, { primaryKey: 'id' });
  const info = await f.client.getRawIndex('movies');
  assert.deepEqual(Object.keys(info), ['uid', 'createdAt', 'updatedAt', 'primaryKey']);
  assert.equal(info.createdAt, info.updatedAt);
  await f.client.createIndex('zeta').waitTask();
  const dup = await f.client.createIndex('movies').waitTask();
  assert.equal(dup.status, 'failed');
  assert.deepEqual(dup.error, { message: 'Index `movies` already exists.', code: 'index_already_exists', type: 'invalid_request', link: 'https://docs.meilisearch.com/errors#index_already_exists' });
  const page = await f.client.getRawIndexes({ offset: 1, limit: 1 });
  assert.deepEqual(page.results.map((i) => i.uid), ['zeta']);
  assert.equal(page.total, 2);
  await expectApiError(f.client.getRawIndex('DOES_NOT_EXISTS'), 404, 'index_not_found', 'Index `DOES_NOT_EXISTS` not found.');
});

test('add documents as JSON, NDJSON and CSV; get, list and fetch them', async () => {
  const index = f.client.index('movies');
  const add = await index.addDocuments([{ id: 1, title: 'Carol', genre: 'drama' }, { id: 2, title: 'Wonder Woman', genre: 'action' }]).waitTask();
  assert.equal(add.status, 'succeeded');
  assert.deepEqual(add.details, { receivedDocuments: 2, indexedDocuments: 2 });
  assert.deepEqual(Object.keys(add), ['uid', 'batchUid', 'indexUid', 'status', 'type', 'canceledBy', 'details', 'error', 'duration', 'enqueuedAt', 'startedAt', 'finishedAt']);
  await index.addDocumentsFromString('{"id":3,"title":"Life of Pi","genre":"adventure"}\n{"id":4,"title":"Mad Max","genre":"action"}\n', 'application/x-ndjson').waitTask();
  const csv = await index.addDocumentsFromString('id;title;year:number\n5;Heat;1995\n', 'text/csv', { csvDelimiter: ';' }).waitTask();
  assert.equal(csv.status, 'succeeded');
  assert.deepEqual(await index.getDocument(5), { id: '5', title: 'Heat', year: 1995 });
  assert.deepEqual(await index.getDocument(1, { fields: ['title'] }), { title: 'Carol' });
  const list = await index.getDocuments({ limit: 2, offset: 1, fields: ['id'] });
  assert.deepEqual(list, { results: [{ id: 2 }, { id: 3 }], offset: 1, limit: 2, total: 5 });
  await index.updateFilterableAttributes(['genre']).waitTask();
  const fetched = await index.getDocuments({ filter: 'genre = action', fields: ['id', 'title'] });
  assert.deepEqual(fetched.results, [{ id: 2, title: 'Wonder Woman' }, { id: 4, title: 'Mad Max' }]);
  await expectApiError(index.getDocument(99), 404, 'document_not_found', 'Document `99` not found.');
});

test('update merges fields, customMetadata is echoed, skipCreation skips new ids', async () => {
  const index = f.client.index('movies');
  const enqueued = await index.updateDocuments([{ id: 1, year: 2015 }, { id: 77, title: 'new' }], { customMetadata: 'import-7', skipCreation: true });
  assert.equal((enqueued as unknown as Record<string, unknown>).customMetadata, 'import-7');
  const task = await f.client.tasks.waitForTask(enqueued.taskUid);
  assert.equal(task.customMetadata, 'import-7');
  assert.deepEqual(task.details, { receivedDocuments: 2, indexedDocuments: 1 });
  assert.deepEqual(await index.getDocument(1), { id: 1, title: 'Carol', genre: 'drama', year: 2015 });
  await expectApiError(index.getDocument(77), 404, 'document_not_found');
});

test('delete one, by ids, by filter (filterability checked in the task), and all', async () => {
  const index = f.client.index('movies');
  assert.equal((await index.deleteDocument(5).waitTask()).details?.deletedDocuments, 1);
  const batch = await index.deleteDocuments(['4', '3', '1000']).waitTask();
  assert.deepEqual(batch.details, { providedIds: 3, deletedDocuments: 2, originalFilter: null });
  const notFilterable = await index.deleteDocuments({ filter: 'title = Carol' }).waitTask();
  assert.equal(notFilterable.status, 'failed');
  assert.deepEqual(notFilterable.details, { providedIds: 0, deletedDocuments: 0, originalFilter: '"title = Carol"' });
  assert.equal(notFilterable.error?.code, 'invalid_document_filter');
  assert.match(notFilterable.error?.message ?? '', /^Index `movies`: Attribute `title` is not filterable\. /);
  assert.equal((await index.deleteDocuments({ filter: 'genre = action' }).waitTask()).details?.deletedDocuments, 1);
  const clear = await index.deleteAllDocuments().waitTask();
  assert.equal(clear.type, 'documentDeletion');
  assert.deepEqual(clear.details, { deletedDocuments: 1 });
  assert.equal((await index.getDocuments()).total, 0);
});

test('writing to a missing index creates it; deleting ids on a missing index fails in the task', async () => {
  const created = await f.client.index('auto').addDocuments([{ sku: 'a1', name: 'x' }], { primaryKey: 'sku' }).waitTask();
  assert.equal(created.status, 'succeeded');
  assert.equal((await f.client.getRawIndex('auto')).primaryKey, 'sku');
  const missing = await f.client.index('ghost').deleteDocuments([1, 2, 3]).waitTask();
  assert.equal(missing.status, 'failed');
  assert.deepEqual(missing.details, { providedIds: 3, deletedDocuments: 0, originalFilter: null });
  assert.equal(missing.error?.message, 'Index `ghost` not found.');
});

test('primary key inference and id errors fail the task', async () => {
  const none = await f.client.index('pk1').addDocuments([{ title: 'no key' }]).waitTask();
  assert.equal(none.status, 'failed');
  assert.deepEqual(none.details, { receivedDocuments: 1, indexedDocuments: 0 });
  assert.equal(none.error?.code, 'index_primary_key_no_candidate_found');
  const many = await f.client.index('pk2').addDocuments([{ id: 1, object_id: 2, title: 'x' }]).waitTask();
  assert.equal(many.error?.code, 'index_primary_key_multiple_candidates_found');
  const badId = await f.client.index('pk3').addDocuments([{ id: 'foo & bar' }]).waitTask();
  assert.equal(badId.error?.code, 'invalid_document_id');
  await f.client.index('pk4').addDocuments([{ id: 1 }]).waitTask();
  const missingId = await f.client.index('pk4').addDocuments([{ docid: 1 }]).waitTask();
  assert.equal(missingId.error?.message, 'Document doesn\'t have a `id` attribute: `{"docid":1}`.');
  const otherPk = await f.client.index('pk4').addDocuments([{ id: 2 }], { primaryKey: 'other' }).waitTask();
  assert.equal(otherPk.error?.message, 'Index already has a primary key: `id`.');
});

test('index update, rename and deletion', async () => {
  await f.client.createIndex('empty').waitTask();
  const pk = await f.client.updateIndex('empty', { primaryKey: 'code' }).waitTask();
  assert.equal(pk.status, 'succeeded');
  assert.equal((await f.client.getRawIndex('empty')).primaryKey, 'code');
  const del = await f.client.deleteIndex('empty').waitTask();
  assert.deepEqual(del.details, { deletedDocuments: 0 });
  const again = await f.client.deleteIndex('empty').waitTask();
  assert.equal(again.error?.code, 'index_not_found');
});

test('stats per index and global', async () => {
  await f.client.index('stats').addDocuments([{ id: 1, a: 'x' }, { id: 2, a: 'y', b: 1 }]).waitTask();
  const stats = await f.client.index('stats').getStats();
  assert.deepEqual(Object.keys(stats), ['numberOfDocuments', 'rawDocumentDbSize', 'avgDocumentSize', 'isIndexing', 'numberOfEmbeddings', 'numberOfEmbeddedDocuments', 'fieldDistribution']);
  assert.equal(stats.numberOfDocuments, 2);
  assert.equal(stats.isIndexing, false);
  assert.deepEqual(stats.fieldDistribution, { a: 2, b: 1, id: 2 });
  const global = await f.client.getStats();
  assert.ok(global.databaseSize > 0);
  assert.equal(typeof global.lastUpdate, 'string');
  assert.deepEqual(global.indexes.stats, stats);
});

test('health, version and experimental features', async () => {
  assert.deepEqual(await f.client.health(), { status: 'available' });
  const version = await f.client.getVersion();
  assert.deepEqual(Object.keys(version), ['commitSha', 'commitDate', 'pkgVersion']);
  const features = await f.client.getExperimentalFeatures();
  assert.ok(Object.values(features).every((v) => v === false));
  await expectApiError(f.client.updateExperimentalFeatures({ metrics: true }), 400, 'feature_not_enabled');
});

test('a key without indexes.create cannot create an index by writing to it', async () => {
  const key = await f.client.createKey({ actions: ['documents.add', 'settings.update', 'tasks.get'], indexes: ['*'], expiresAt: null });
  const limited = new Meilisearch({ host: f.node.url, apiKey: key.key });
  const refused = await limited.index('not-yet').addDocuments([{ id: 1 }]).waitTask();
  assert.equal(refused.status, 'failed');
  assert.equal(refused.error?.code, 'index_not_found');
  const settings = await limited.index('not-yet').updateSettings({ stopWords: ['a'] }).waitTask();
  assert.equal(settings.error?.code, 'index_not_found');
  assert.equal((await limited.index('movies').addDocuments([{ id: 50 }]).waitTask()).status, 'succeeded');
});

test('documents sorted on sortable attributes, missing values last', async () => {
  const index = f.client.index('sorted');
  await index.addDocuments([
    { id: 1, name: 'beta', year: 2001 }, { id: 2, name: 'Alpha', year: 1999 }, { id: 3, name: 'gamma' }, { id: 4, name: 'delta', year: 2010 },
  ]).waitTask();
  await expectApiError(index.getDocuments({ sort: ['name:asc'] }), 400, 'invalid_document_sort',
    'Attribute `name` is not sortable. This index does not have configured sortable attributes.');
  await index.updateSortableAttributes(['year', 'name']).waitTask();
  const byYear = await index.getDocuments({ sort: ['year:desc'], fields: ['name'], limit: 3 });
  assert.deepEqual(byYear, { results: [{ name: 'delta' }, { name: 'beta' }, { name: 'Alpha' }], offset: 0, limit: 3, total: 4 });
  const names = await index.getDocuments({ sort: ['name:asc'], fields: ['name'] });
  assert.deepEqual(names.results.map((d) => d.name), ['Alpha', 'beta', 'delta', 'gamma']);
});
