// Goal: a ~40 MB document batch, above one Raft entry (32 MiB) but within
// Meilisearch's 100 MB payload limit, is accepted by a real cluster as ONE
// task that succeeds with every document indexed; a document sent twice in
// the batch keeps its later version (order kept across parts). Method:
// `miroir dev` (3 peers, 3 engine nodes), the official client sending the
// batch through a follower-or-leader peer, then stats, get-by-id and a
// keyword search. Deadlines are generous: the machine is shared.
// About 100 s at load 25, so outside `npm test`: `npm run test:cluster:large-batch`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { devCluster, eventually, retrying } from './harness.ts';

const DOCS = 38_000;

test('a 40 MB batch is one task that succeeds with every document', async () => {
  const cluster = await devCluster();
  const client = cluster.client();
  const filler = 'lorem ipsum dolor sit amet '.repeat(38);
  const docs: Record<string, unknown>[] = [];
  for (let id = 0; id < DOCS; id++) docs.push({ id, title: `doc${id}`, body: `${filler}${id}` });
  // Id 0 again at the end: the later version must win although it sits in a later entry.
  docs.push({ id: 0, title: 'replaced', body: 'the later version' });
  const bytes = Buffer.byteLength(JSON.stringify(docs));
  assert.ok(bytes > 36 * 1024 * 1024 && bytes < 100 * 1000 * 1000, `${bytes} bytes`);

  // Retried on retriable answers only, as a client would (a loaded machine can lose its leader).
  const enqueued = await retrying(() => client.index('big').addDocuments(docs, { primaryKey: 'id' }), 300_000);
  const task = await client.tasks.waitForTask(enqueued.taskUid, { timeout: 600_000, interval: 500 });
  assert.equal(task.status, 'succeeded', JSON.stringify(task.error));
  assert.equal(task.type, 'documentAdditionOrUpdate');
  assert.deepEqual(task.details, { receivedDocuments: DOCS + 1, indexedDocuments: DOCS + 1 });
  // One task for the whole batch: the next uid is the one after it.
  const next = await retrying(() => client.index('big').updateSettings({ filterableAttributes: ['title'] }), 120_000);
  assert.equal(next.taskUid, enqueued.taskUid + 1);
  await client.tasks.waitForTask(next.taskUid, { timeout: 120_000 });

  // Every document is on the nodes (RF 1: the node counts add up to the batch).
  const onNodes = async (): Promise<number> => {
    let sum = 0;
    for (const node of cluster.nodes()) sum += (await cluster.nodeClient(node.id).index('big').getStats()).numberOfDocuments;
    return sum;
  };
  assert.equal(await onNodes(), DOCS);
  // Stats through a peer skip a node it judges down; on a loaded machine that can take a moment.
  await eventually(async () => (await client.index('big').getStats()).numberOfDocuments === DOCS, 'stats through the peer', 120_000);
  assert.equal((await client.index('big').getDocument(0)).title, 'replaced');
  assert.equal((await client.index('big').getDocument(DOCS - 1)).title, `doc${DOCS - 1}`);
  const found = await client.index('big').search('', { filter: `title = doc${DOCS - 7}` });
  assert.deepEqual(found.hits.map((h) => h['id']), [DOCS - 7]);
});
