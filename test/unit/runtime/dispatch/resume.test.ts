// Goal: where a restarted dispatcher goes on (runtime/dispatch/resume.ts):
// after the node's newest stamped task, with every request the node already
// holds — stamped documents writes, unstamped index and settings requests,
// coalesced tasks — marked sent with its node task, and the ones the node
// does not hold left to send. Method: windows planned from real commands
// applied by a real replica (the first write creates the index: three
// requests); the node's task list is written by the test as
// GET /tasks would list it (newest first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterCommand } from '../../../../runtime/cluster/index.ts';
import { adoptEnqueued, resumePoint, taskSignature, type ListedTask } from '../../../../runtime/dispatch/resume.ts';
import type { WindowEntry } from '../../../../runtime/dispatch/window.ts';
import { FIRST_INDEX as FIRST, oneNodeWindow as windowOf, T, write } from './one-node-window.ts';

const settings = (filterable: string[]): ClusterCommand =>
  ({ v: 1, kind: 'settings.update', indexUid: 'm', settings: { filterableAttributes: filterable }, allowIndexCreation: false, nowMs: T });
const deleteWhere = (filter: string): ClusterCommand => ({ v: 1, kind: 'documents.deleteFilter', indexUid: 'm', filter, nowMs: T });

const stamped = (uid: number, customMetadata: string, type = 'documentAdditionOrUpdate'): ListedTask => ({ uid, type, indexUid: 'm', customMetadata });
const plain = (uid: number, type: string, indexUid: string | null = 'm'): ListedTask => ({ uid, type, indexUid });
/** Per entry: the node task uid of each request marked sent. */
const sent = (window: WindowEntry[]) => window.map((e) => e.requests.slice(0, e.next).map((r) => r.taskUid));

test('the resume point is the end of the newest stamped task, when past the cursor', () => {
  const tasks = [plain(9, 'settingsUpdate'), stamped(8, 'miroir:6'), stamped(7, 'miroir:4.2/3-5'), { uid: 6, customMetadata: 'a client batch' }];
  assert.deepEqual(resumePoint(tasks, 3), { logIndex: 6, request: 0, of: 1 });
  assert.equal(resumePoint(tasks, 6), null, 'nothing stamped after the cursor');
  // Newest by uid, not the highest position: after a coalesced task failed its entries went again one by one.
  assert.deepEqual(resumePoint([stamped(5, 'miroir:4'), stamped(4, 'miroir:4-6')], 3), { logIndex: 4, request: 0, of: 1 });
  assert.equal(resumePoint([], 0), null, 'an empty (wiped) node');
});

test('a write that created its index: the unstamped creation and settings take their own tasks, the rest is left to send', () => {
  const window = windowOf([write([1]), settings(['a']), write([2], { mode: 'update' }), deleteWhere('a = 1')]);
  assert.deepEqual(window.map((e) => e.requests.length), [3, 1, 1, 1]);
  // The node enqueued through the update (entry 6); the delete (7) never reached it. Task 3 is another sender's (a migration copy).
  const tasks = [stamped(6, 'miroir:6'), plain(5, 'settingsUpdate'), plain(4, 'documentAdditionOrUpdate'), stamped(3, 'miroir:4.2/3'),
    plain(2, 'settingsUpdate'), plain(1, 'indexCreation'), plain(0, 'settingsUpdate', 'other')];
  const through = resumePoint(tasks, FIRST - 1)!;
  assert.deepEqual(through, { logIndex: 6, request: 0, of: 1 });
  const adopted = adoptEnqueued(window.filter((e) => e.logIndex <= through.logIndex), tasks, through);
  assert.deepEqual(sent(adopted), [[1, 2, 3], [5], [6]]);
  assert.ok(adopted.every((e) => e.requests.every((r) => r.result === null)), 'outcomes come from polling the node');
  assert.equal(window[0]!.next, 0, 'the planned window is not changed');
});

test('a coalesced task is taken by every request it covered', () => {
  const window = windowOf([write([1]), write([2]), write([3]), write([4])]);
  const tasks = [stamped(9, 'miroir:5-7'), stamped(8, 'miroir:4.2/3'), plain(7, 'settingsUpdate'), plain(6, 'indexCreation')];
  const adopted = adoptEnqueued(window, tasks, resumePoint(tasks, FIRST - 1)!);
  assert.deepEqual(sent(adopted), [[6, 7, 8], [9], [9], [9]]);
  assert.deepEqual(adopted.slice(1).map((e) => e.requests[0]!.covered), [3, 3, 3]);
  assert.equal(adopted[0]!.requests[2]!.covered, undefined);
});

test('after a coalesced task failed, the one-by-one resends are the ones taken', () => {
  const window = windowOf([write([1]), write([2]), write([3])]);
  const tasks = [stamped(12, 'miroir:6'), stamped(11, 'miroir:5'), stamped(10, 'miroir:5-6'), stamped(8, 'miroir:4.2/3'),
    plain(7, 'settingsUpdate'), plain(6, 'indexCreation')];
  const adopted = adoptEnqueued(window, tasks, resumePoint(tasks, FIRST - 1)!);
  assert.deepEqual(sent(adopted), [[6, 7, 8], [11], [12]]);
  assert.equal(adopted[1]!.requests[0]!.covered, undefined);
});

test('a request the node refused (no task) is sent again; the search never crosses an earlier request\'s task', () => {
  const window = windowOf([write([1]), settings(['a']), deleteWhere('a = 1'), settings(['b']), write([2])]);
  // The settings of entry 5 were refused when sent; entry 7's were enqueued. The older settings task (2) is entry 4's.
  const tasks = [stamped(9, 'miroir:8'), plain(8, 'settingsUpdate'), stamped(7, 'miroir:6'), stamped(3, 'miroir:4.2/3'),
    plain(2, 'settingsUpdate'), plain(1, 'indexCreation')];
  const adopted = adoptEnqueued(window, tasks, resumePoint(tasks, FIRST - 1)!);
  assert.deepEqual(sent(adopted), [[1, 2, 3], [], [7], [8], [9]]);
  assert.equal(adopted[1]!.next, 0, 'the refused settings go again');
});

test('within an entry, past the first request without a task the rest goes again', () => {
  const window = windowOf([write([1])]);
  // The node lists the documents write but not the settings before it (a task list that does not reach back).
  const tasks = [stamped(3, 'miroir:4.2/3'), plain(1, 'indexCreation')];
  const adopted = adoptEnqueued(window, tasks, resumePoint(tasks, FIRST - 1)!);
  assert.deepEqual(sent(adopted), [[1]]);
});

test('index and settings requests right after the newest stamped task take the unstamped tasks newer than it, in order', () => {
  const drop: ClusterCommand = { v: 1, kind: 'index.delete', uid: 'm', nowMs: T };
  const window = windowOf([write([1]), settings(['a']), drop, write([2])]);
  // The node holds the settings of entry 5 and the deletion of entry 6 (task 5 between them is another sender's),
  // not the index creation that starts entry 7.
  const tasks = [plain(6, 'indexDeletion'), plain(5, 'documentAdditionOrUpdate'), plain(4, 'settingsUpdate'), stamped(3, 'miroir:4.2/3'),
    plain(2, 'settingsUpdate'), plain(1, 'indexCreation')];
  const adopted = adoptEnqueued(window, tasks, resumePoint(tasks, FIRST - 1)!);
  assert.deepEqual(window.map((e) => e.requests.length), [3, 1, 1, 3]);
  assert.deepEqual(sent(adopted), [[1, 2, 3], [4], [6], []]);
  // A documents request ends it: whatever is newer than the stamp is not its.
  const afterWrite = adoptEnqueued(windowOf([write([1]), write([2]), settings(['a'])]), [plain(9, 'settingsUpdate'), ...tasks.slice(3)],
    { logIndex: FIRST, request: 2, of: 3 });
  assert.deepEqual(sent(afterWrite), [[1, 2, 3], [], []]);
});

test('a stamp of the same position in a plan of another length is not the request\'s', () => {
  // Entry 5 gave the node two requests when they were sent (a migration's, since failed, then its own); now only its own.
  const window = windowOf([write([1]), write([2])]);
  const tasks = [stamped(9, 'miroir:5.1/2'), stamped(8, 'miroir:5.0/2'), stamped(7, 'miroir:4.2/3'), plain(6, 'settingsUpdate'), plain(5, 'indexCreation')];
  const adopted = adoptEnqueued(window, tasks, resumePoint(tasks, FIRST - 1)!);
  assert.deepEqual(sent(adopted), [[5, 6, 7], []], 'entry 5 is sent again rather than taken for what it was not');
});

test('the task each unstamped request enqueues', () => {
  const at = (method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) => taskSignature({ method, path, body });
  assert.deepEqual(at('POST', '/indexes', '{"uid":"a b","primaryKey":"id"}'), { type: 'indexCreation', indexUid: 'a b' });
  assert.deepEqual(at('PATCH', '/indexes/a%20b/settings'), { type: 'settingsUpdate', indexUid: 'a b' });
  assert.deepEqual(at('PATCH', '/indexes/m'), { type: 'indexUpdate', indexUid: 'm' });
  assert.deepEqual(at('DELETE', '/indexes/m'), { type: 'indexDeletion', indexUid: 'm' });
  assert.deepEqual(at('POST', '/swap-indexes'), { type: 'indexSwap', indexUid: null });
  assert.equal(at('POST', '/indexes/m/documents'), null);
});
