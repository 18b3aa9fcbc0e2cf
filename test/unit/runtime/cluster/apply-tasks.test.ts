// Goal: task commands turn into Meilisearch tasks exactly as Meilisearch
// records them — dense uids from 0, failures recorded in the task (never
// refused), details per API.md §2.2, status moves driven by task.progress.
// Method: apply command sequences to a fresh replica and compare the rendered
// tasks and index records with Meilisearch's documented shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, applyEntry, skipEntry } from '../../../../runtime/cluster/apply.ts';
import { encodeCommand } from '../../../../runtime/cluster/command-codec.ts';
import { emptyState } from '../../../../runtime/cluster/state.ts';
import { stateInvariantViolations } from '../../../../runtime/cluster/invariants.ts';
import { getTask } from '../../../../runtime/cluster/task-query.ts';
import { renderTask } from '../../../../runtime/cluster/task-view.ts';
import type { ClusterCommand } from '../../../../runtime/cluster/commands.ts';
import { Replica, T0 } from './fixtures.ts';

const create = (uid: string, primaryKey: string | null = null, shards = 4): ClusterCommand =>
  ({ v: 1, kind: 'index.create', uid, primaryKey, shards, nowMs: T0 });
const write = (indexUid: string, primaryKey = 'id', shards = 4): ClusterCommand => ({
  v: 1, kind: 'documents.write', indexUid, mode: 'replace', primaryKey, shards,
  byShard: { 0: [{ id: 1, _miroir_shard: 0 }] }, receivedDocuments: 1, allowIndexCreation: true, nowMs: T0 + 1,
});

test('task uids are dense from 0 and the 202 summary has Meilisearch shape', () => {
  const r = new Replica();
  const results = r.runAll([create('a'), create('b'), { ...create('c'), customMetadata: 'm' } as ClusterCommand]);
  assert.deepEqual(results.map((x) => (x.kind === 'task' ? x.task.taskUid : -1)), [0, 1, 2]);
  assert.deepEqual(results[2], {
    kind: 'task',
    dispatch: true,
    task: { taskUid: 2, indexUid: 'c', status: 'enqueued', type: 'indexCreation', enqueuedAt: '2026-01-02T03:04:05.6Z', customMetadata: 'm' },
  });
});

test('creating an existing index fails the task with index_already_exists, not the command', () => {
  const r = new Replica();
  r.run(create('x', 'doggos'));
  const result = r.run(create('x', 'doggos'));
  assert.equal(result.kind, 'task');
  assert.equal(result.kind === 'task' && result.dispatch, false, 'dispatchers skip a task failed at apply');
  const task = getTask(r.state, 1);
  assert.equal(task?.status, 'failed');
  assert.deepEqual(task?.details, { primaryKey: 'doggos' });
  assert.deepEqual(task?.error, {
    message: 'Index `x` already exists.', code: 'index_already_exists', type: 'invalid_request',
    link: 'https://docs.meilisearch.com/errors#index_already_exists',
  });
  assert.equal(task?.duration, 'PT0S');
  assert.equal(task?.batchUid, 1);
});

test('a document write to a missing index creates it with the resolved primary key and S', () => {
  const r = new Replica();
  r.run(write('movies', 'sku', 8));
  const index = r.state.indexes.get('movies');
  assert.equal(index?.primaryKey, 'sku');
  assert.equal(index?.shards, 8);
  assert.equal(index?.mayHaveDocuments, true);
  assert.deepEqual(getTask(r.state, 0)?.details, { receivedDocuments: 1, indexedDocuments: null });
});

test('a write whose key may not create indexes fails on a missing index instead of creating it', () => {
  const r = new Replica();
  r.run({ ...write('m'), allowIndexCreation: false } as ClusterCommand);
  assert.equal(getTask(r.state, 0)?.error?.message, 'Index `m` not found.');
  assert.equal(r.state.indexes.size, 0);
});

test('a write whose primary key or S no longer matches the index fails its task', () => {
  const r = new Replica();
  r.runAll([create('m', 'id', 4), write('m', 'sku', 4), write('m', 'id', 8), write('m', 'id', 4)]);
  const [, pk, shards, ok] = [0, 1, 2, 3].map((u) => getTask(r.state, u));
  assert.equal(pk?.error?.code, 'index_primary_key_already_exists');
  assert.equal(pk?.error?.message, 'Index already has a primary key: `id`.');
  assert.deepEqual(pk?.details, { receivedDocuments: 1, indexedDocuments: 0 });
  assert.equal(shards?.error?.code, 'miroir_index_changed');
  assert.equal(ok?.status, 'enqueued');
});

test('deletions on a missing index fail with index_not_found and Meilisearch details', () => {
  const r = new Replica();
  r.runAll([
    { v: 1, kind: 'documents.deleteIds', indexUid: 'x', shards: 4, byShard: { 0: ['a', 'b', 'c'] }, providedIds: 3, nowMs: T0 },
    { v: 1, kind: 'documents.deleteFilter', indexUid: 'x', filter: 'doggo = bernese', nowMs: T0 },
    { v: 1, kind: 'documents.clear', indexUid: 'x', nowMs: T0 },
    { v: 1, kind: 'index.delete', uid: 'x', nowMs: T0 },
  ]);
  const tasks = [0, 1, 2, 3].map((u) => getTask(r.state, u));
  assert.deepEqual(tasks.map((t) => [t?.type, t?.status, t?.error?.code]), [
    ['documentDeletion', 'failed', 'index_not_found'],
    ['documentDeletion', 'failed', 'index_not_found'],
    ['documentDeletion', 'failed', 'index_not_found'],
    ['indexDeletion', 'failed', 'index_not_found'],
  ]);
  assert.equal(tasks[0]?.error?.message, 'Index `x` not found.');
  assert.deepEqual(tasks[0]?.details, { providedIds: 3, deletedDocuments: 0, originalFilter: null });
  assert.deepEqual(tasks[1]?.details, { providedIds: 0, deletedDocuments: 0, originalFilter: '"doggo = bernese"' });
  assert.deepEqual(tasks[2]?.details, { deletedDocuments: 0 });
  assert.equal(r.state.indexes.size, 0, 'deletions never create the index');
});

test('settings: an update creates the index, a reset does not, patches merge with null resets', () => {
  const r = new Replica();
  const settings = (s: Record<string, unknown>, allow = true): ClusterCommand =>
    ({ v: 1, kind: 'settings.update', indexUid: 's', settings: s, allowIndexCreation: allow, nowMs: T0 });
  r.run(settings({ searchableAttributes: null }, false));
  assert.equal(getTask(r.state, 0)?.error?.code, 'index_not_found');
  r.runAll([
    settings({ filterableAttributes: ['a'], typoTolerance: { enabled: false, minWordSizeForTypos: { oneTypo: 4 } } }),
    settings({ typoTolerance: { minWordSizeForTypos: { twoTypos: 8 } }, filterableAttributes: ['b'] }),
    settings({ typoTolerance: { enabled: null }, stopWords: ['the'] }),
    settings({ filterableAttributes: null }),
  ]);
  const index = r.state.indexes.get('s');
  assert.equal(index?.shards, 64, 'created with the cluster default S');
  assert.equal(index?.settingsVersion, 4);
  assert.deepEqual(index?.settings, {
    typoTolerance: { minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 } },
    stopWords: ['the'],
  });
  assert.deepEqual(getTask(r.state, 2)?.details, { typoTolerance: { minWordSizeForTypos: { twoTypos: 8 } }, filterableAttributes: ['b'] });
});

test('settings details mask embedder API keys', () => {
  const r = new Replica();
  r.run({ v: 1, kind: 'settings.update', indexUid: 'e', allowIndexCreation: true, nowMs: T0,
    settings: { embedders: { default: { source: 'openAi', apiKey: 'sk-secret' } } } });
  assert.deepEqual(getTask(r.state, 0)?.details, { embedders: { default: { source: 'openAi', apiKey: 'XXX...' } } });
  assert.equal((r.state.indexes.get('e')?.settings['embedders'] as Record<string, Record<string, unknown>>)['default']?.['apiKey'], 'sk-secret');
});

test('index update renames and sets the primary key; a non-empty index keeps its key', () => {
  const r = new Replica();
  r.runAll([
    create('a', null),
    { v: 1, kind: 'index.update', uid: 'a', primaryKey: 'id', newUid: 'b', nowMs: T0 + 5 },
    write('b', 'id'),
    { v: 1, kind: 'index.update', uid: 'b', primaryKey: 'other', nowMs: T0 + 6 },
    { v: 1, kind: 'index.update', uid: 'zz', nowMs: T0 + 6 },
  ]);
  assert.deepEqual([...r.state.indexes.keys()], ['b']);
  assert.equal(r.state.indexes.get('b')?.primaryKey, 'id');
  assert.deepEqual(getTask(r.state, 1)?.details, { primaryKey: 'id', oldIndexUid: 'a', newIndexUid: 'b' });
  assert.equal(getTask(r.state, 3)?.error?.code, 'index_primary_key_already_exists');
  assert.equal(getTask(r.state, 4)?.error?.code, 'index_not_found');
});

test('swap exchanges indexes and their past tasks; rename moves one; missing ones are listed', () => {
  const r = new Replica();
  r.runAll([
    create('a', 'ida'), create('b', 'idb'),
    { v: 1, kind: 'index.swap', swaps: [{ indexes: ['a', 'b'], rename: false }], nowMs: T0 },
    { v: 1, kind: 'index.swap', swaps: [{ indexes: ['a', 'c'], rename: true }], nowMs: T0 },
    { v: 1, kind: 'index.swap', swaps: [{ indexes: ['x', 'y'], rename: false }], nowMs: T0 },
    create('d'),
    { v: 1, kind: 'index.swap', swaps: [{ indexes: ['b', 'd'], rename: true }], nowMs: T0 },
  ]);
  assert.equal(r.state.indexes.get('b')?.primaryKey, 'ida');
  assert.equal(r.state.indexes.get('c')?.primaryKey, 'idb');
  assert.equal(r.state.indexes.has('a'), false);
  assert.deepEqual([0, 1].map((u) => getTask(r.state, u)?.indexUid), ['b', 'c'], 'creation tasks follow their index');
  assert.equal(getTask(r.state, 2)?.indexUid, null);
  assert.deepEqual(getTask(r.state, 2)?.details, { swaps: [{ indexes: ['a', 'b'], rename: false }] });
  assert.equal(getTask(r.state, 4)?.error?.message, 'Indexes `x`, `y` not found.');
  assert.equal(getTask(r.state, 6)?.error?.code, 'index_already_exists');
});

test('task.progress: enqueued → processing → succeeded with node counts; replays are ignored', () => {
  const r = new Replica();
  r.runAll([write('m'), write('m')]);
  const progress = (taskUid: number, status: 'processing' | 'succeeded', nowMs: number, details?: Record<string, unknown>): ClusterCommand =>
    details === undefined ? { v: 1, kind: 'task.progress', taskUid, status, nowMs } : { v: 1, kind: 'task.progress', taskUid, status, nowMs, details };
  assert.equal(r.run(progress(0, 'processing', T0 + 100)).kind, 'applied');
  assert.equal(r.run(progress(0, 'processing', T0 + 101)).kind, 'ignored');
  assert.equal(r.run(progress(0, 'succeeded', T0 + 1109, { indexedDocuments: 1, bogus: 1 })).kind, 'applied');
  assert.equal(r.run(progress(0, 'succeeded', T0 + 2000)).kind, 'ignored', 'a finished task never changes');
  assert.equal(r.run(progress(99, 'processing', T0)).kind, 'ignored');
  r.run({ v: 1, kind: 'task.progress', taskUid: 1, status: 'failed', nowMs: T0 + 50,
    error: { message: 'x', code: 'internal', type: 'internal', link: 'https://docs.meilisearch.com/errors#internal' } });
  const done = r.state.tasks.get(0);
  assert.ok(done);
  assert.deepEqual(Object.keys(renderTask(done)), [
    'uid', 'batchUid', 'indexUid', 'status', 'type', 'canceledBy', 'details', 'error', 'duration', 'enqueuedAt', 'startedAt', 'finishedAt',
  ]);
  assert.deepEqual(renderTask(done), {
    uid: 0, batchUid: 0, indexUid: 'm', status: 'succeeded', type: 'documentAdditionOrUpdate', canceledBy: null,
    details: { receivedDocuments: 1, indexedDocuments: 1 }, error: null, duration: 'PT1.009S',
    enqueuedAt: '2026-01-02T03:04:05.601Z', startedAt: '2026-01-02T03:04:05.7Z', finishedAt: '2026-01-02T03:04:06.709Z',
  });
  assert.deepEqual(getTask(r.state, 1)?.details, { receivedDocuments: 1, indexedDocuments: 0 });
});

test('retention keeps at most taskRetentionMax tasks, dropping the oldest finished ones only', () => {
  const r = new Replica();
  r.run({ v: 1, kind: 'config.set', taskRetentionMax: 3 });
  r.runAll([write('m'), create('m'), create('m'), write('m'), create('m')]); // tasks 1, 2 and 4 fail at apply
  assert.deepEqual([...r.state.tasks.keys()], [0, 3, 4], 'failed 1 and 2 dropped, enqueued 0 kept');
  r.run({ v: 1, kind: 'task.progress', taskUid: 0, status: 'succeeded', nowMs: T0 });
  r.run(write('m'));
  assert.deepEqual([...r.state.tasks.keys()], [3, 4, 5]);
  assert.equal(r.state.nextTaskUid, 6);
});

test('apply refuses entries out of log order (an invariant, not user input)', () => {
  const r = new Replica();
  r.run(create('a'));
  assert.throws(() => apply(r.state, create('b'), 1), /log order/);
  assert.throws(() => skipEntry(r.state, 1), /log order/);
  skipEntry(r.state, 2);
  assert.throws(() => apply(r.state, create('b'), 2), /log order/, 'a skipped entry counts as applied');
  assert.equal(apply(r.state, create('b'), 3).kind, 'task');
});

test('tasks.delete removes matching finished tasks only and records a finished taskDeletion', () => {
  const r = new Replica();
  r.runAll([create('a'), create('a'), create('a'), write('a')]); // 1 and 2 fail at apply
  const result = r.run({ v: 1, kind: 'tasks.delete', filter: { indexUids: ['a'] }, originalFilter: '?indexUids=a', nowMs: T0 + 50 });
  assert.deepEqual(result, {
    kind: 'task', dispatch: false,
    task: { taskUid: 4, indexUid: null, status: 'enqueued', type: 'taskDeletion', enqueuedAt: '2026-01-02T03:04:05.65Z' },
  });
  assert.deepEqual([...r.state.tasks.keys()], [0, 3, 4], 'enqueued tasks 0 and 3 are kept');
  const deletion = getTask(r.state, 4);
  assert.equal(deletion?.status, 'succeeded');
  assert.deepEqual(deletion?.details, { matchedTasks: 4, deletedTasks: 2, originalFilter: '?indexUids=a' });
});

test('a swap naming an index twice fails its task and leaves the table intact', () => {
  const r = new Replica();
  r.runAll([create('a'), { v: 1, kind: 'index.swap', swaps: [{ indexes: ['a', 'a'], rename: false }], nowMs: T0 }]);
  assert.equal(getTask(r.state, 1)?.error?.message, 'Indexes must be declared only once during a swap. `a` was specified several times.');
  r.runAll([create('b'), { v: 1, kind: 'index.swap', swaps: [{ indexes: ['a', 'b'], rename: false }, { indexes: ['b', 'a'], rename: false }], nowMs: T0 }]);
  assert.equal(getTask(r.state, 3)?.error?.message, 'Indexes must be declared only once during a swap. `a`, `b` were specified several times.');
  assert.equal(r.state.indexes.get('a')?.uid, 'a');
});

test('applyEntry decodes and applies; an undecodable entry stops the peer with its index', () => {
  const state = emptyState();
  assert.equal(applyEntry(state, encodeCommand(create('a')), 1).kind, 'task');
  assert.equal(applyEntry(state, new Uint8Array(0), 2).kind, 'ignored', "a new leader's empty entry");
  assert.equal(state.appliedIndex, 2);
  assert.throws(() => applyEntry(state, new Uint8Array([0xc1]), 3), /log entry 3 does not decode/);
  assert.throws(() => encodeCommand({ ...create('b'), shards: 0 } as ClusterCommand), /index\.create\.shards/, 'never proposed');
});

test('the invariant checker notices a corrupted state', () => {
  const r = new Replica();
  r.runAll([create('a'), write('a')]);
  assert.deepEqual(stateInvariantViolations(r.state), []);
  const index = r.state.indexes.get('a');
  const task = r.state.tasks.get(1);
  assert.ok(index && task);
  index.uid = 'b';
  task.status = 'failed';
  assert.deepEqual(stateInvariantViolations(r.state), [
    'index keyed a says its uid is b',
    'task 1 is failed with finishedAt null',
    'task 1 is failed with error null',
  ]);
});
