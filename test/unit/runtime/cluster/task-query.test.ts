// Goal: GET /tasks paginates and filters exactly as Meilisearch does.
// Method: API.md §11 example 16 verbatim (10 tasks), then each filter on a
// mixed task table, checked against a naive filter written independently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterCommand } from '../../../../runtime/cluster/commands.ts';
import { listTasks } from '../../../../runtime/cluster/task-query.ts';
import { Replica, T0 } from './fixtures.ts';

function tenTasks(): Replica {
  const r = new Replica();
  for (let i = 0; i < 10; i++) r.run({ v: 1, kind: 'index.create', uid: `i${i}`, primaryKey: null, shards: 1, nowMs: T0 + i * 1000 });
  return r;
}

const uids = (page: ReturnType<typeof listTasks>): number[] => page.results.map((t) => t.uid);

test('Meilisearch example 16: limit, from and reverse', () => {
  const s = tenTasks().state;
  const p1 = listTasks(s, { limit: 3 });
  assert.deepEqual([uids(p1), p1.total, p1.limit, p1.from, p1.next], [[9, 8, 7], 10, 3, 9, 6]);
  const p2 = listTasks(s, { limit: 3, from: 1 });
  assert.deepEqual([uids(p2), p2.from, p2.next], [[1, 0], 1, null]);
  assert.deepEqual(uids(listTasks(s, { limit: 3, reverse: true })), [0, 1, 2]);
  const p4 = listTasks(s, { from: 8, reverse: true });
  assert.deepEqual([uids(p4), p4.next, p4.total], [[8, 9], null, 10]);
  const none = listTasks(s, { from: 20, reverse: true });
  assert.deepEqual([uids(none), none.from, none.next], [[], null, null]);
  assert.equal(listTasks(s, {}).limit, 20, 'default limit');
});

test('following `next` visits every task exactly once', () => {
  const s = tenTasks().state;
  for (const reverse of [false, true]) {
    const seen: number[] = [];
    let from: number | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const page = listTasks(s, from === undefined ? { limit: 4, reverse } : { limit: 4, reverse, from });
      seen.push(...uids(page));
      if (page.next === null) break;
      from = page.next;
    }
    assert.deepEqual(seen, reverse ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] : [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  }
});

test('filters: uids, indexUids, statuses, types, dates; total ignores from/limit', () => {
  const r = new Replica();
  const cmds: ClusterCommand[] = [
    { v: 1, kind: 'index.create', uid: 'a', primaryKey: null, shards: 1, nowMs: T0 },
    { v: 1, kind: 'index.create', uid: 'a', primaryKey: null, shards: 1, nowMs: T0 + 10 }, // fails at apply
    { v: 1, kind: 'documents.clear', indexUid: 'a', nowMs: T0 + 20 },
    { v: 1, kind: 'index.swap', swaps: [{ indexes: ['a', 'b'], rename: true }], nowMs: T0 + 30 },
    { v: 1, kind: 'task.progress', taskUid: 2, status: 'processing', nowMs: T0 + 40 },
  ];
  r.runAll(cmds);
  const q = (query: Parameters<typeof listTasks>[1]): number[] => uids(listTasks(r.state, query));
  assert.deepEqual(q({ uids: [0, 2, 77] }), [2, 0]);
  assert.deepEqual(q({ indexUids: ['b'] }), [2, 1, 0], 'the rename moved past tasks to b; the swap task has no index');
  assert.deepEqual(q({ statuses: ['failed'] }), [1]);
  assert.deepEqual(q({ statuses: ['enqueued', 'processing'] }), [3, 2, 0]);
  assert.deepEqual(q({ types: ['indexSwap', 'documentDeletion'] }), [3, 2]);
  assert.deepEqual(q({ afterEnqueuedAtMs: T0 + 10 }), [3, 2], 'after is strict');
  assert.deepEqual(q({ beforeEnqueuedAtMs: T0 + 10 }), [0], 'before is strict');
  assert.deepEqual(q({ afterStartedAtMs: T0 }), [2, 1], 'tasks never started do not match a startedAt filter');
  assert.deepEqual(q({ beforeFinishedAtMs: T0 + 1000 }), [1]);
  assert.deepEqual(q({ batchUids: [2] }), [2]);
  assert.deepEqual(q({ canceledBy: [0] }), []);
  const page = listTasks(r.state, { statuses: ['enqueued', 'processing'], limit: 1, from: 2 });
  assert.deepEqual([uids(page), page.total, page.next], [[2], 3, 0]);
  assert.deepEqual(uids(listTasks(r.state, {}, (t) => t.indexUid !== null)), [2, 1, 0], 'visibility predicate');
});
