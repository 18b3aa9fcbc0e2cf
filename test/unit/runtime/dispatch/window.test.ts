// Goal: the pure half of a node dispatcher — which entries become requests
// for a node, how node answers settle them, the finished prefix the cursor
// may pass, and when a cursor batch is due. Method: a replica applies real
// commands with an injected placement (shard s → node n{s mod 2 + 1}); the
// window functions run on its committed entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, emptyState, encodeCommand, type ClusterCommand, type ClusterState } from '../../../../runtime/cluster/index.ts';
import type { ApplyContext } from '../../../../runtime/cluster/apply.ts';
import type { Entry } from '../../../../runtime/raft/types.ts';
import {
  awaitedTaskUids, commitDue, entryOutcome, lacksAwaitedTask, planEntries, recordSent, recordTasks, takeFinished, type WindowEntry,
} from '../../../../runtime/dispatch/window.ts';

const T = 1_700_000_000_000;
const ctx: ApplyContext = { placeShard: (shard, ids) => [ids[shard % ids.length] as string] };
const ROOM = { entries: 100, bytes: 1 << 20 };
const ERR = { message: 'bad', code: 'invalid_document_fields', type: 'invalid_request' as const, link: 'https://docs.meilisearch.com/errors#x' };

function cluster(): { state: ClusterState; entries: Entry[]; run(c: ClusterCommand): number } {
  const state = emptyState();
  const entries: Entry[] = [];
  const run = (c: ClusterCommand): number => {
    const index = entries.length + 1;
    apply(state, c, index, ctx);
    entries.push({ index, term: 1, payload: { kind: 'command', data: encodeCommand(c) } });
    return index;
  };
  run({ v: 1, kind: 'group.add', id: 'g1', nowMs: T });
  for (const id of ['n1', 'n2']) {
    run({ v: 1, kind: 'node.add', id, url: `http://127.0.0.1/${id}`, group: 'g1', nowMs: T });
    run({ v: 1, kind: 'node.state', id, state: 'active', nowMs: T });
  }
  return { state, entries, run };
}

function docs(shards: number[]): ClusterCommand {
  const byShard: Record<number, Record<string, unknown>[]> = {};
  for (const s of shards) byShard[s] = [{ id: s, _miroir_shard: s }];
  return {
    v: 1, kind: 'documents.write', indexUid: 'm', mode: 'replace', primaryKey: 'id', shards: 4, byShard,
    receivedDocuments: shards.length, allowIndexCreation: true, nowMs: T,
  };
}

test('entries are planned per node: its shards, broadcasts, nothing for metadata', () => {
  const c = cluster();
  const create = c.run({ v: 1, kind: 'index.create', uid: 'm', primaryKey: 'id', shards: 4, nowMs: T });
  const onlyN2 = c.run(docs([1, 3]));
  const both = c.run(docs([0, 1]));
  const { planned, readThrough } = planEntries(c.entries, c.state, 'n1', ROOM);
  assert.equal(readThrough, both);
  assert.deepEqual(planned.map((e) => e.logIndex), [create, both]);
  assert.deepEqual(planned[1]?.requests.map((r) => JSON.parse(r.request.body as string)), [[{ id: 0, _miroir_shard: 0 }]]);
  const n2 = planEntries(c.entries, c.state, 'n2', ROOM).planned;
  assert.deepEqual(n2.map((e) => e.logIndex), [create, onlyN2, both]);
});

test('planning stops at the room left and at the applied index', () => {
  const c = cluster();
  const first = c.run(docs([0]));
  c.run(docs([0]));
  const one = planEntries(c.entries, c.state, 'n1', { entries: 1, bytes: 1 << 20 });
  assert.deepEqual(one.planned.map((e) => e.logIndex), [first]);
  assert.equal(one.readThrough, first);
  // At least one entry fits whatever the byte room.
  assert.equal(planEntries(c.entries, c.state, 'n1', { entries: 9, bytes: 1 }).planned.length, 1);
  // An entry the replica has not applied yet has no record: planning stops before it.
  const behind = { ...c.state, appliedIndex: first - 1 };
  assert.deepEqual(planEntries(c.entries, behind, 'n1', ROOM), { planned: [], readThrough: first - 1 });
});

function sentWindow(): WindowEntry[] {
  const c = cluster();
  c.run(docs([0]));
  c.run(docs([2]));
  const { planned } = planEntries(c.entries, c.state, 'n1', ROOM);
  assert.equal(planned.length, 2);
  planned.forEach((entry, i) => {
    recordSent(entry.requests[0]!, { taskUid: 10 + i });
    entry.next = 1;
  });
  return planned;
}

test('node tasks settle requests; the finished prefix moves the cursor', () => {
  const window = sentWindow();
  const [a, b] = window as [WindowEntry, WindowEntry];
  assert.deepEqual(awaitedTaskUids(window), [10, 11]);
  assert.equal(lacksAwaitedTask(window, [{ uid: 10, status: 'enqueued' }]), true, 'task 11 is not listed');
  assert.equal(lacksAwaitedTask(window, [{ uid: 10, status: 'enqueued' }, { uid: 11, status: 'processing' }]), false);
  // The second finishes first: the cursor may not pass the first.
  assert.equal(recordTasks(window, [{ uid: 11, status: 'succeeded', details: { indexedDocuments: 1 } }, { uid: 10, status: 'processing' }]), 1);
  const early = takeFinished(window, b.logIndex, 'n1');
  assert.deepEqual(early, { cursor: a.logIndex - 1, outcomes: [] });
  assert.equal(recordTasks(window, [{ uid: 10, status: 'failed', error: ERR }]), 1);
  const done = takeFinished(window, b.logIndex + 5, 'n1');
  assert.equal(done.cursor, b.logIndex + 5);
  assert.deepEqual(done.outcomes, [
    { nodeId: 'n1', logIndex: a.logIndex, status: 'failed', error: ERR },
    { nodeId: 'n1', logIndex: b.logIndex, status: 'succeeded', counts: { indexedDocuments: 1 } },
  ]);
  assert.equal(window.length, 0);
});

test('a refusal ends the entry; a tolerated error code counts as success', () => {
  const c = cluster();
  c.run(docs([0])); // creates the index: POST /indexes, PATCH settings, then the documents
  const created = planEntries(c.entries, c.state, 'n1', ROOM).planned[0]!;
  assert.equal(created.requests.length, 3);
  recordSent(created.requests[0]!, { error: { ...ERR, code: 'index_already_exists' } });
  assert.deepEqual(created.requests[0]!.result, { ok: true, counts: {} });
  recordSent(created.requests[1]!, { error: ERR });
  created.next = 2;
  // The documents request is never sent: the refusal before it decides the entry.
  const [finished] = takeFinished([created], created.logIndex, 'n1').outcomes;
  assert.deepEqual(finished, { nodeId: 'n1', logIndex: created.logIndex, status: 'failed', error: ERR });
  const window = sentWindow();
  assert.equal(recordTasks(window, [{ uid: 11, status: 'canceled' }]), 1);
  assert.equal(entryOutcome(window[1]!, 'n1')?.status, 'failed');
});

test('commitDue batches outcomes and never proposes a cursor that only passes its own entries', () => {
  const policy = { batchEntriesMax: 3, intervalMs: 50 };
  const base = { pendingCursor: 10, committedCursor: 5, outcomes: 1, windowEmpty: false, sinceFirstPendingMs: 0 };
  assert.equal(commitDue(base, 10, policy), false);
  assert.equal(commitDue({ ...base, windowEmpty: true }, 10, policy), true);
  assert.equal(commitDue({ ...base, outcomes: 3 }, 10, policy), true);
  assert.equal(commitDue({ ...base, sinceFirstPendingMs: 50 }, 10, policy), true);
  assert.equal(commitDue({ ...base, pendingCursor: 5 }, 10, policy), false);
  // Past the last dispatch entry with no outcome to carry: only cursor entries are passed.
  assert.equal(commitDue({ ...base, outcomes: 0, windowEmpty: true, committedCursor: 9 }, 8, policy), false);
  assert.equal(commitDue({ ...base, outcomes: 0, windowEmpty: true, committedCursor: 4 }, 8, policy), true);
});
