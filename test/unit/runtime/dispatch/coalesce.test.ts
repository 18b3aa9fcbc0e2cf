// Goal: coalescing (runtime/dispatch/coalesce.ts and window.ts recordTasks):
// which consecutive entries share one node request, the payload that covers
// them, how a shared node task's success is split per entry, and that its
// failure (or a count that does not add up) sends the covered entries again
// one by one together with everything after them. Method: planned windows
// from real commands applied by a real replica; node answers are written by
// the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterCommand } from '../../../../runtime/cluster/index.ts';
import { coalescedRun, mergedArrays } from '../../../../runtime/dispatch/coalesce.ts';
import { awaitedTaskUids, recordSent, recordTasks, takeFinished, type WindowEntry } from '../../../../runtime/dispatch/window.ts';
import { oneNodeWindow, T, write } from './one-node-window.ts';

const ERR = { message: 'bad id', code: 'invalid_document_id', type: 'invalid_request' as const, link: 'https://docs.meilisearch.com/errors#x' };

/** A window for n1 over: index creation, then `commands` in order. */
function windowOf(commands: ClusterCommand[]): WindowEntry[] {
  return oneNodeWindow([{ v: 1, kind: 'index.create', uid: 'm', primaryKey: 'id', shards: 1, nowMs: T }, ...commands]);
}

/** Sends the window as node-io.ts would: each run of entries gets one task uid (from 100 on). */
function sendAll(window: WindowEntry[]): number[] {
  const runs: number[] = [];
  let uid = 100;
  for (let i = 0; i < window.length; i++) {
    const run = coalescedRun(window, i);
    const entry = window[i]!;
    if (run === 1) {
      for (const req of entry.requests.slice(entry.next)) recordSent(req, { taskUid: uid++ });
      entry.next = entry.requests.length;
    } else {
      for (const e of window.slice(i, i + run)) {
        recordSent(e.requests[e.next]!, { taskUid: uid, covered: run });
        e.next += 1;
      }
      uid += 1;
      i += run - 1;
    }
    runs.push(run);
  }
  return runs;
}

test('consecutive writes of one index, method and query share a request; anything else breaks the run', () => {
  const window = windowOf([write([1]), write([2, 3]), write([4]), write([5], { mode: 'update' }), write([6], { skipCreation: true }), write([7])]);
  // The index creation is sent alone (two requests); then three replacements, one update, one skipCreation, one more.
  assert.deepEqual(sendAll(window), [1, 3, 1, 1, 1]);
  // A request covers at most half the window (rounded up): the node keeps one queued while it works.
  assert.deepEqual(sendAll(windowOf([write([1]), write([2]), write([3]), write([4]), write([5])])), [1, 3, 2]);
  assert.deepEqual(awaitedTaskUids(window), [100, 101, 102, 103, 104, 105], 'a shared task is polled once');
});

test('the covering payload lists every entry\'s documents in log order', () => {
  assert.equal(mergedArrays(['[{"id":1}]', '[]', '[{"id":2},{"id":3}]']), '[{"id":1},{"id":2},{"id":3}]');
  const window = windowOf([write([1]), write([2, 3]), write([4]), write([5])]).slice(1, 3);
  assert.equal(coalescedRun([...window, ...window], 0), 2);
  const bodies = window.map((e) => e.requests[e.next]!.request.body as string);
  assert.deepEqual(JSON.parse(mergedArrays(bodies)).map((d: { id: number }) => d.id), [1, 2, 3]);
});

test('a shared task that succeeded gives every covered entry its own count', () => {
  const window = windowOf([write([1]), write([2, 3]), write([4])]);
  sendAll(window);
  const settled = recordTasks(window, [
    { uid: 100, status: 'succeeded' }, { uid: 101, status: 'succeeded' },
    // The first two writes shared task 102 (half the window at most); the third went alone.
    { uid: 102, status: 'succeeded', details: { receivedDocuments: 3, indexedDocuments: 3 } },
    { uid: 103, status: 'succeeded', details: { receivedDocuments: 1, indexedDocuments: 1 } },
  ]);
  assert.equal(settled, 5);
  const { outcomes } = takeFinished(window, 99, 'n1');
  assert.deepEqual(outcomes.map((o) => (o.status === 'succeeded' ? o.counts : o.error)), [{}, { indexedDocuments: 1 }, { indexedDocuments: 2 }, { indexedDocuments: 1 }]);
});

test('a shared task that failed, or whose count does not add up, sends the covered entries again one by one, and everything after them', () => {
  for (const answer of [
    { uid: 102, status: 'failed', error: ERR },
    { uid: 102, status: 'succeeded', details: { indexedDocuments: 2 } },
  ]) {
    const window = windowOf([write([1]), write([2, 3]), write([4], { mode: 'update' })]);
    sendAll(window);
    recordTasks(window, [{ uid: 100, status: 'succeeded' }, { uid: 101, status: 'succeeded' }, answer, { uid: 103, status: 'succeeded' }]);
    const [created, a, b, later] = window as [WindowEntry, WindowEntry, WindowEntry, WindowEntry];
    assert.equal(created.requests.every((r) => r.result?.ok === true), true, 'what came before is kept');
    for (const e of [a, b, later]) {
      assert.equal(e.next, 0);
      assert.deepEqual(e.requests.map((r) => [r.taskUid, r.result]), [[null, null]]);
    }
    assert.deepEqual([a, b, later].map((e) => e.requests[0]!.solo), [true, true, undefined]);
    assert.equal(coalescedRun(window, 1), 1, 'solo requests are never coalesced again');
    assert.deepEqual(takeFinished(window, 99, 'n1').cursor, a.logIndex - 1);
  }
});
