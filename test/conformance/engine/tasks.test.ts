// Goal: task lists, filters, pagination, cancel and delete behave as in
// Meilisearch through the official client (API.md §1.5, §2, §11 example 16).
// Method: a fresh `miroir node` child process with exactly ten tasks, then
// filtered and paginated reads, cancel and delete through the client.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectApiError, raw, startFixture, type Fixture } from './helpers.ts';

let f: Fixture;
before(async () => {
  f = await startFixture('tasks');
  for (let i = 0; i < 10; i++) await f.client.createIndex(`idx${i}`).waitTask();
});
after(async () => { await f.close(); });

const uids = (r: { results: Array<{ uid: number }> }) => r.results.map((t) => t.uid);

test('example 16: from/limit/reverse pagination', async () => {
  const first = await f.client.tasks.getTasks({ limit: 3 });
  assert.deepEqual(uids(first), [9, 8, 7]);
  assert.equal(first.total, 10);
  assert.equal(first.limit, 3);
  assert.equal(first.from, 9);
  assert.equal(first.next, 6);
  const last = await f.client.tasks.getTasks({ limit: 3, from: 1 });
  assert.deepEqual(uids(last), [1, 0]);
  assert.equal(last.next, null);
  assert.deepEqual(uids(await f.client.tasks.getTasks({ limit: 3, reverse: true })), [0, 1, 2]);
  assert.deepEqual(uids(await f.client.tasks.getTasks({ from: 8, reverse: true })), [8, 9]);
});

test('filters: uids, indexUids, statuses, types, dates', async () => {
  assert.deepEqual(uids(await f.client.tasks.getTasks({ uids: [2, 4] })), [4, 2]);
  assert.deepEqual(uids(await f.client.tasks.getTasks({ indexUids: ['idx3', 'idx5'] })), [5, 3]);
  assert.equal((await f.client.tasks.getTasks({ statuses: ['succeeded'], types: ['indexCreation'] })).total, 10);
  assert.equal((await f.client.tasks.getTasks({ statuses: ['failed'] })).total, 0);
  assert.equal((await f.client.tasks.getTasks({ afterEnqueuedAt: new Date(Date.now() + 3_600_000).toISOString() })).total, 0);
  assert.equal((await f.client.tasks.getTasks({ beforeEnqueuedAt: new Date(Date.now() + 3_600_000).toISOString() })).total, 10);
  const task = await f.client.tasks.getTask(0);
  assert.equal(task.uid, 0);
  assert.equal(typeof task.batchUid, 'number');
});

test('cancel and delete answer 200 and act on the matched tasks', async () => {
  const cancel = await f.client.tasks.cancelTasks({ statuses: ['enqueued'] }).waitTask();
  assert.equal(cancel.type, 'taskCancelation');
  assert.equal(cancel.indexUid, null);
  assert.deepEqual(cancel.details, { matchedTasks: 0, canceledTasks: 0, originalFilter: '?statuses=enqueued' });
  const del = await f.client.tasks.deleteTasks({ uids: [0, 1] }).waitTask();
  assert.deepEqual(del.details, { matchedTasks: 2, deletedTasks: 2, originalFilter: '?uids=0%2C1' });
  await expectApiError(f.client.tasks.getTask(0), 404, 'task_not_found', 'Task `0` not found.');
  const res = await raw(f, '/tasks/cancel', { method: 'POST' });
  assert.equal(res.status, 400);
  assert.equal(res.body.code, 'missing_task_filters');
  const status = await raw(f, '/tasks?uids=5', { method: 'DELETE' });
  assert.equal(status.status, 200);
});

test('batches: list and get', async () => {
  const batches = await f.client.batches.getBatches({ limit: 2 });
  assert.equal(batches.results.length, 2);
  const batch = await f.client.batches.getBatch(batches.results[0]!.uid);
  assert.equal(batch.uid, batches.results[0]!.uid);
  await expectApiError(f.client.batches.getBatch(999_999), 404, 'batch_not_found', 'Batch `999999` not found.');
});

test('task errors: bad uid, bad filters', async () => {
  const bad = await raw(f, '/tasks/abc');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.message, 'Task uid `abc` is invalid. It should only contain numeric characters.');
  assert.equal(bad.body.code, 'invalid_task_uids');
  const statuses = await raw(f, '/tasks?statuses=doggo');
  assert.equal(statuses.body.code, 'invalid_task_statuses');
  const limit = await raw(f, '/tasks?limit=-2');
  assert.deepEqual([limit.status, limit.body.code, limit.body.message], [400, 'invalid_task_limit', 'Invalid value in parameter `limit`: could not parse `-2` as a positive integer']);
  const date = await raw(f, '/tasks?afterEnqueuedAt=yesterday');
  assert.equal(date.body.code, 'invalid_task_after_enqueued_at');
  const unknown = await raw(f, '/tasks?limt=1');
  assert.equal(unknown.body.code, 'bad_request');
  assert.match(String(unknown.body.message), /^Unknown parameter `limt`: did you mean `limit`\?/);
});
