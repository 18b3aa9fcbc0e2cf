// Goal: an engine node keeps what it acknowledged across a restart, in the
// same order, and its queue behaves as Meilisearch's (auto-batching, cancel,
// swap, payload limit). Method: start real nodes in-process on 127.0.0.1
// port 0 over a temporary data directory, drive them over HTTP, close and
// reopen on the same directory.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode, type RunningNode } from '../../../engine/node.ts';
import { http, tempDir, waitTask } from './spawn-node.ts';

const dir = tempDir('node');
let node: RunningNode;

before(async () => {
  node = await startNode({ httpAddr: '127.0.0.1:0', dbPath: dir.path, masterKey: null });
});

after(async () => {
  await node.close();
  dir.remove();
});

async function add(index: string, docs: unknown[], method: 'POST' | 'PUT' = 'POST', query = ''): Promise<number> {
  const { status, body } = await http(`${node.url}/indexes/${index}/documents${query}`, { method, json: docs });
  assert.equal(status, 202, JSON.stringify(body));
  return body.taskUid;
}

test('documents, settings and tasks survive a restart, in insertion order', async () => {
  await add('books', [{ id: 3, title: 'c' }, { id: 1, title: 'a' }]);
  await add('books', [{ id: 2, title: 'b' }, { id: 3, title: 'c2' }]);
  await add('books', [{ id: 1, extra: true }], 'PUT');
  const del = await http(`${node.url}/indexes/books/documents/2`, { method: 'DELETE' });
  const settings = await http(`${node.url}/indexes/books/settings`, { method: 'PATCH', json: { filterableAttributes: ['title'], stopWords: ['the'] } });
  await waitTask(node.url, settings.body.taskUid);
  assert.equal((await waitTask(node.url, del.body.taskUid)).status, 'succeeded');
  const before = await http(`${node.url}/indexes/books/documents`);
  assert.deepEqual(before.body.results, [{ id: 3, title: 'c2' }, { id: 1, title: 'a', extra: true }]);
  const tasksBefore = await http(`${node.url}/tasks?limit=100`);

  await node.close();
  node = await startNode({ httpAddr: '127.0.0.1:0', dbPath: dir.path, masterKey: null });

  assert.deepEqual((await http(`${node.url}/indexes/books/documents`)).body, before.body);
  assert.deepEqual((await http(`${node.url}/tasks?limit=100`)).body, tasksBefore.body);
  assert.deepEqual((await http(`${node.url}/indexes/books/settings/stop-words`)).body, ['the']);
  const next = await add('books', [{ id: 4 }]);
  assert.equal(next, tasksBefore.body.results[0].uid + 1);
  assert.equal((await waitTask(node.url, next)).status, 'succeeded');
});

test('consecutive additions to one index share a batch', async () => {
  // Keep the queue busy with a large addition so the next five arrive while it
  // works. Whether they do depends on the machine's scheduling (indexing holds
  // the event loop, so the five may only be read once it is done and then be
  // picked one by one): up to three rounds, and at least one must batch.
  let tasks: any[] = [];
  const seen: string[] = [];
  for (let round = 0; round < 3; round++) {
    const busy = await add(`busy${round}`, Array.from({ length: 20_000 }, (_, i) => ({ id: i, text: `busy word${i % 97}` })));
    const uids = await Promise.all([1, 2, 3, 4, 5].map((i) => add(`batched${round}`, [{ id: i }])));
    await waitTask(node.url, busy, 60_000);
    tasks = await Promise.all(uids.map((uid) => waitTask(node.url, uid)));
    assert.ok(tasks.every((t) => t.status === 'succeeded'));
    const batchUids = new Set(tasks.map((t) => t.batchUid));
    seen.push([...batchUids].join(','));
    if (batchUids.size < uids.length) break;
  }
  assert.ok(new Set(tasks.map((t) => t.batchUid)).size < tasks.length, `expected shared batches in one of three rounds, got ${seen.join(' | ')}`);
  const batch = await http(`${node.url}/batches/${tasks[tasks.length - 1].batchUid}`);
  assert.equal(batch.status, 200);
  assert.deepEqual(Object.keys(batch.body), ['uid', 'progress', 'details', 'stats', 'duration', 'startedAt', 'finishedAt', 'batchStrategy']);
});

test('cancelation cancels what is still enqueued and answers 200', async () => {
  const big = Array.from({ length: 5000 }, (_, i) => ({ id: i, text: `word${i} other${i % 7}` }));
  const uids: number[] = [];
  for (let i = 0; i < 5; i++) uids.push(await add('cancel', big, i % 2 === 0 ? 'POST' : 'PUT'));
  const cancel = await http(`${node.url}/tasks/cancel?indexUids=cancel&statuses=enqueued,processing`, { method: 'POST' });
  assert.equal(cancel.status, 200);
  assert.equal(cancel.body.type, 'taskCancelation');
  const done = await waitTask(node.url, cancel.body.taskUid);
  assert.equal(done.status, 'succeeded');
  assert.equal(done.details.originalFilter, '?indexUids=cancel&statuses=enqueued,processing');
  const tasks = await Promise.all(uids.map((uid) => waitTask(node.url, uid)));
  const canceled = tasks.filter((t) => t.status === 'canceled');
  assert.equal(canceled.length, done.details.canceledTasks);
  for (const t of canceled) {
    assert.equal(t.canceledBy, cancel.body.taskUid);
    assert.equal(t.details.indexedDocuments, 0);
  }
});

test('swap and rename indexes, with their errors inside the task', async () => {
  await waitTask(node.url, await add('left', [{ id: 'l' }]));
  await waitTask(node.url, await add('right', [{ id: 'r' }]));
  const swap = await http(`${node.url}/swap-indexes`, { method: 'POST', json: [{ indexes: ['left', 'right'] }] });
  assert.equal(swap.status, 202);
  assert.equal(swap.body.indexUid, null);
  assert.equal((await waitTask(node.url, swap.body.taskUid)).status, 'succeeded');
  assert.deepEqual((await http(`${node.url}/indexes/left/documents`)).body.results, [{ id: 'r' }]);
  const rename = await http(`${node.url}/swap-indexes`, { method: 'POST', json: [{ indexes: ['left', 'renamed'], rename: true }] });
  assert.equal((await waitTask(node.url, rename.body.taskUid)).status, 'succeeded');
  assert.equal((await http(`${node.url}/indexes/left`)).status, 404);
  const missing = await http(`${node.url}/swap-indexes`, { method: 'POST', json: [{ indexes: ['nope1', 'nope2'] }] });
  const failed = await waitTask(node.url, missing.body.taskUid);
  assert.equal(failed.error.code, 'index_not_found');
  assert.equal(failed.error.message, 'Indexes `nope1`, `nope2` not found.');
  const dup = await http(`${node.url}/swap-indexes`, { method: 'POST', json: [{ indexes: ['a', 'b'] }, { indexes: ['b', 'c'] }] });
  assert.equal(dup.body.code, 'invalid_swap_duplicate_index_found');
});

test('the payload limit answers 413 payload_too_large', async () => {
  const small = await startNode({ httpAddr: '127.0.0.1:0', dbPath: `${dir.path}-small`, masterKey: null, payloadLimitBytes: 1024 });
  try {
    const res = await http(`${small.url}/indexes/x/documents`, { method: 'POST', json: [{ id: 1, text: 'x'.repeat(2000) }] });
    assert.equal(res.status, 413);
    assert.deepEqual(res.body, {
      message: 'The provided payload reached the size limit. The maximum accepted payload size is 1 KiB.',
      code: 'payload_too_large', type: 'invalid_request', link: 'https://docs.meilisearch.com/errors#payload_too_large',
    });
  } finally {
    await small.close();
    tempDirRemove(`${dir.path}-small`);
  }
});

function tempDirRemove(path: string): void {
  import('node:fs').then((fs) => fs.rmSync(path, { recursive: true, force: true }), () => undefined);
}
