// Goal: task filters parse every query parameter of GET /tasks with
// Meilisearch's errors and match tasks as Meilisearch does (`*` = any,
// exclusive date bounds, a bare date as an `after` bound meaning the next
// day). Method: literal query objects through the protocol parser, engineFilter
// and matchesFilter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeiliError } from '../../../../api/errors/registry.ts';
import { parseTaskListParams } from '../../../../api/protocol/task-query.ts';
import { engineFilter, matchesFilter } from '../../../../engine/tasks/filter.ts';
import type { TaskRecord } from '../../../../engine/tasks/types.ts';

const task: TaskRecord = {
  uid: 7, batchUid: 3, indexUid: 'movies', status: 'succeeded', type: 'settingsUpdate', canceledBy: null, details: {},
  error: null, enqueuedAtMs: Date.UTC(2024, 0, 2, 12), startedAtMs: Date.UTC(2024, 0, 2, 12, 0, 1), finishedAtMs: Date.UTC(2024, 0, 2, 12, 0, 2),
  customMetadata: null, op: { op: 'settingsUpdate', patch: {}, isDeletion: false, allowIndexCreation: true },
};

const parseTaskFilter = (query: Record<string, string>) => engineFilter(parseTaskListParams(query));

function code(query: Record<string, string>): string {
  try {
    parseTaskFilter(query);
  } catch (error) {
    assert.ok(error instanceof MeiliError);
    return error.code;
  }
  return 'ok';
}

test('lists, stars and matching', () => {
  assert.ok(matchesFilter(task, parseTaskFilter({ uids: '1,7', statuses: 'succeeded,failed', types: '*', indexUids: 'movies' })));
  assert.ok(!matchesFilter(task, parseTaskFilter({ batchUids: '4' })));
  assert.ok(!matchesFilter(task, parseTaskFilter({ canceledBy: '1' })));
});

test('date bounds: exclusive, a bare `after` date starts the next day', () => {
  assert.ok(matchesFilter(task, parseTaskFilter({ afterEnqueuedAt: '2024-01-01', beforeEnqueuedAt: '2024-01-03' })));
  assert.ok(!matchesFilter(task, parseTaskFilter({ afterEnqueuedAt: '2024-01-02' })));
  assert.ok(!matchesFilter(task, parseTaskFilter({ beforeFinishedAt: '2024-01-02T12:00:02Z' })));
  assert.ok(matchesFilter(task, parseTaskFilter({ afterStartedAt: '2024-01-02T12:00:00Z' })));
});

test('each bad parameter has its own code', () => {
  assert.equal(code({ uids: 'a' }), 'invalid_task_uids');
  assert.equal(code({ batchUids: '-1' }), 'invalid_batch_uids');
  assert.equal(code({ statuses: 'done' }), 'invalid_task_statuses');
  assert.equal(code({ types: 'documentAddition' }), 'invalid_task_types');
  assert.equal(code({ canceledBy: 'x' }), 'invalid_task_canceled_by');
  assert.equal(code({ indexUids: 'a b' }), 'invalid_index_uid');
  assert.equal(code({ beforeStartedAt: '2024' }), 'invalid_task_before_started_at');
  assert.equal(code({ uid: '1' }), 'bad_request');
});
