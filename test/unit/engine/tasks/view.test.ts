// Goal: task and summarized-task objects carry Meilisearch's fields in its
// order, with details per type and counts zeroed on failure (API.md §2).
// Method: build records by hand and compare key order and values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialDetails, summarize, taskView, zeroedDetails } from '../../../../engine/tasks/view.ts';
import type { TaskRecord } from '../../../../engine/tasks/types.ts';

const base: TaskRecord = {
  uid: 4, batchUid: null, indexUid: 'movies', status: 'enqueued', type: 'documentAdditionOrUpdate', canceledBy: null,
  details: { receivedDocuments: 2, indexedDocuments: null }, error: null, enqueuedAtMs: Date.UTC(2024, 0, 1, 0, 0, 0, 120),
  startedAtMs: null, finishedAtMs: null, customMetadata: null,
  op: { op: 'documentAddition', method: 'replace', primaryKey: null, skipCreation: false, received: 2, allowIndexCreation: true },
};

test('full task: field order, null dates and duration while enqueued', () => {
  const view = taskView(base);
  assert.deepEqual(Object.keys(view), ['uid', 'batchUid', 'indexUid', 'status', 'type', 'canceledBy', 'details', 'error', 'duration', 'enqueuedAt', 'startedAt', 'finishedAt']);
  assert.equal(view.enqueuedAt, '2024-01-01T00:00:00.12Z');
  assert.equal(view.duration, null);
});

test('finished task: duration, customMetadata last, details omitted when none', () => {
  const done: TaskRecord = { ...base, status: 'succeeded', batchUid: 1, startedAtMs: base.enqueuedAtMs + 10, finishedAtMs: base.enqueuedAtMs + 19, customMetadata: 'm1' };
  const view = taskView(done);
  assert.equal(view.duration, 'PT0.009S');
  assert.equal(Object.keys(view).at(-1), 'customMetadata');
  assert.ok(!('details' in taskView({ ...done, details: null })));
});

test('summarized task: the 202 body, customMetadata only when set', () => {
  assert.deepEqual(summarize(base), { taskUid: 4, indexUid: 'movies', status: 'enqueued', type: 'documentAdditionOrUpdate', enqueuedAt: '2024-01-01T00:00:00.12Z' });
  assert.equal(summarize({ ...base, customMetadata: 'x' }).customMetadata, 'x');
});

test('details per type, and zeroed on failure', () => {
  assert.deepEqual(initialDetails({ op: 'documentDeletionByFilter', filter: 'doggo = bernese' }, 'x'),
    { providedIds: 0, deletedDocuments: null, originalFilter: '"doggo = bernese"' });
  assert.deepEqual(initialDetails({ op: 'documentDeletionByIds', ids: ['1', '2', '3'] }, 'x'),
    { providedIds: 3, deletedDocuments: null, originalFilter: null });
  assert.deepEqual(initialDetails({ op: 'indexUpdate', primaryKey: null, newUid: 'y' }, 'x'),
    { primaryKey: null, oldIndexUid: 'x', newIndexUid: 'y' });
  assert.deepEqual(zeroedDetails({ receivedDocuments: 1, indexedDocuments: null }), { receivedDocuments: 1, indexedDocuments: 0 });
});
