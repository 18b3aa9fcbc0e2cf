// Goal: the GET/DELETE /tasks query string parses as Meilisearch parses it —
// lists, `*`, bare dates as whole days, strict bounds — and bad input gets
// Meilisearch's error codes and messages (its own deserr snapshots). Method: table cases, plus one end-to-end query
// on a task table to check the day semantics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeiliError } from '../../../../api/errors/registry.ts';
import { parseTaskFilterParams, parseTaskListParams as parseList } from '../../../../api/protocol/task-query.ts';
import { listTasks } from '../../../../runtime/cluster/task-query.ts';
import { Replica } from '../../runtime/cluster/fixtures.ts';

/** The parse result, or the MeiliError it threw. */
function caught<T>(run: () => T): T | MeiliError {
  try {
    return run();
  } catch (error) {
    if (error instanceof MeiliError) return error;
    throw error;
  }
}

const parseTaskListParams = (query: Record<string, string>) => caught(() => parseList(query));
const parseTaskDeletionParams = (query: Record<string, string>) => caught(() => parseTaskFilterParams(query, 'delete'));

function code(result: unknown): string {
  assert.ok(result instanceof MeiliError, `expected an error, got ${JSON.stringify(result)}`);
  return result.code;
}

test('lists, stars, pagination and dates parse into a TaskQuery', () => {
  assert.deepEqual(parseTaskListParams({}), {});
  assert.deepEqual(
    parseTaskListParams({
      uids: '1,2, 3', statuses: 'failed,canceled', types: '*', indexUids: 'movies,books', limit: '3', from: '8', reverse: 'true',
      afterEnqueuedAt: '2024-01-02', beforeEnqueuedAt: '2024-01-02T10:00:00.5Z', beforeStartedAt: '*',
    }),
    {
      uids: [1, 2, 3], statuses: ['failed', 'canceled'], indexUids: ['movies', 'books'], limit: 3, from: 8, reverse: true,
      afterEnqueuedAtMs: Date.UTC(2024, 0, 3), beforeEnqueuedAtMs: Date.UTC(2024, 0, 2, 10, 0, 0, 500),
    },
  );
  assert.deepEqual(parseTaskListParams({ beforeFinishedAt: '2024-01-02' }), { beforeFinishedAtMs: Date.UTC(2024, 0, 2) });
});

test('bad values get Meilisearch codes and messages', () => {
  assert.equal(code(parseTaskListParams({ uids: '1,x' })), 'invalid_task_uids');
  assert.equal(code(parseTaskListParams({ uids: '-1' })), 'invalid_task_uids');
  assert.equal(code(parseTaskListParams({ statuses: 'done' })), 'invalid_task_statuses');
  assert.match((parseTaskListParams({ statuses: 'done' }) as MeiliError).message, /`done` is not a valid task status\. Available statuses are `enqueued`/);
  assert.equal(code(parseTaskListParams({ types: 'documentAddition' })), 'invalid_task_types');
  assert.equal(code(parseTaskListParams({ canceledBy: 'a' })), 'invalid_task_canceled_by');
  assert.equal(code(parseTaskListParams({ afterStartedAt: '2024-02-30' })), 'invalid_task_after_started_at');
  assert.equal(code(parseTaskListParams({ beforeEnqueuedAt: 'yesterday' })), 'invalid_task_before_enqueued_at');
  assert.equal(code(parseTaskListParams({ limit: 'ten' })), 'invalid_task_limit');
  assert.equal(code(parseTaskListParams({ reverse: 'yes' })), 'invalid_task_reverse');
  assert.equal(code(parseTaskListParams({ indexUids: 'a b' })), 'invalid_index_uid');
  assert.equal(code(parseTaskListParams({ colour: 'red' })), 'bad_request');
});

test('messages match Meilisearch snapshots word for word', () => {
  const message = (r: unknown): string => (r as MeiliError).message;
  assert.equal(message(parseTaskListParams({ uids: 'doggo' })), 'Invalid value in parameter `uids`: could not parse `doggo` as a positive integer');
  assert.equal(message(parseTaskDeletionParams({ uids: '1,dogo' })), 'Invalid value in parameter `uids[1]`: could not parse `dogo` as a positive integer');
  assert.equal(message(parseTaskListParams({ statuses: 'doggo' })), 'Invalid value in parameter `statuses`: `doggo` is not a valid task status. Available statuses are `enqueued`, `processing`, `succeeded`, `failed`, `canceled`.');
  assert.equal(message(parseTaskListParams({ indexUids: 'hé' })), 'Invalid value in parameter `indexUids`: `hé` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 512 bytes.');
  assert.equal(message(parseTaskDeletionParams({ indexUids: '1,hé' })), 'Invalid value in parameter `indexUids[1]`: `hé` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 512 bytes.');
  assert.equal(message(parseTaskDeletionParams({ uids: 'cat,*,dog' })), 'Invalid value in parameter `uids[0]`: could not parse `cat` as a positive integer');
  assert.equal(message(parseTaskListParams({ afterEnqueuedAt: 'doggo' })), 'Invalid value in parameter `afterEnqueuedAt`: `doggo` is an invalid date-time. It should follow the YYYY-MM-DD or RFC 3339 date-time format.');
  assert.equal(message(parseTaskDeletionParams({ limit: 'doggo' })), 'Unknown parameter `limit`: expected one of `uids`, `batchUids`, `canceledBy`, `types`, `statuses`, `indexUids`, `afterEnqueuedAt`, `beforeEnqueuedAt`, `afterStartedAt`, `beforeStartedAt`, `afterFinishedAt`, `beforeFinishedAt`');
  assert.equal(message(parseTaskListParams({ lol: 'pied' })), 'Unknown parameter `lol`: expected one of `limit`, `from`, `reverse`, `batchUids`, `uids`, `canceledBy`, `types`, `statuses`, `indexUids`, `afterEnqueuedAt`, `beforeEnqueuedAt`, `afterStartedAt`, `beforeStartedAt`, `afterFinishedAt`, `beforeFinishedAt`');
  assert.equal(message(parseTaskDeletionParams({})), 'Query parameters to filter the tasks to delete are missing. Available query parameters are: `uids`, `indexUids`, `statuses`, `types`, `canceledBy`, `beforeEnqueuedAt`, `afterEnqueuedAt`, `beforeStartedAt`, `afterStartedAt`, `beforeFinishedAt`, `afterFinishedAt`.');
});

test('deletion needs a filter and takes no pagination', () => {
  assert.equal(code(parseTaskDeletionParams({})), 'missing_task_filters');
  assert.match((parseTaskDeletionParams({}) as MeiliError).message, /^Query parameters to filter the tasks to delete are missing\./);
  assert.equal(code(parseTaskDeletionParams({ limit: '1', uids: '1' })), 'bad_request');
  assert.deepEqual(parseTaskDeletionParams({ statuses: '*' }), {}, 'a star is a filter that matches everything');
});

test('a bare date excludes that whole day on both sides', () => {
  const r = new Replica();
  for (const [i, day] of [1, 2, 2, 3].entries()) {
    r.run({ v: 1, kind: 'index.create', uid: `i${i}`, primaryKey: null, shards: 1, nowMs: Date.UTC(2024, 0, day, 12) });
  }
  const q = (params: Record<string, string>): number[] => {
    const query = parseTaskListParams(params);
    assert.ok(!(query instanceof MeiliError));
    return listTasks(r.state, query).results.map((t) => t.uid);
  };
  assert.deepEqual(q({ afterEnqueuedAt: '2024-01-02' }), [3]);
  assert.deepEqual(q({ beforeEnqueuedAt: '2024-01-02' }), [0]);
  assert.deepEqual(q({ afterEnqueuedAt: '2024-01-01', beforeEnqueuedAt: '2024-01-03' }), [2, 1]);
});
