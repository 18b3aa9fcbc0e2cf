// Goal: a document batch split over several log entries is ONE task that
// finishes only when every part was applied and every node answered for
// each, with the counters summed over the parts and the first failure in
// part order; an abandoned batch fails at once; no dispatch record outlives
// its task; the state survives a snapshot. Method: a replica applying the
// parts with a placement, node outcomes reported through dispatcher.cursor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorBody } from '../../../../api/errors/registry.ts';
import { apply, isDispatchable } from '../../../../runtime/cluster/apply.ts';
import type { ClusterCommand, DocumentsWriteCommand, NodeOutcome } from '../../../../runtime/cluster/commands.ts';
import { stateInvariantViolations } from '../../../../runtime/cluster/invariants.ts';
import { restoreState, serializeState } from '../../../../runtime/cluster/snapshot.ts';
import { emptyState } from '../../../../runtime/cluster/state.ts';
import { laterPart, splitWrite } from '../../../../runtime/writes/split-write.ts';
import { T0 } from './fixtures.ts';

const ctx = { placeShard: (shard: number, ids: readonly string[]) => [ids[shard % ids.length]!] };

function replica() {
  const state = emptyState();
  let index = 0;
  const run = (command: ClusterCommand) => {
    index += 1;
    const result = apply(state, command, index, ctx);
    assert.deepEqual(stateInvariantViolations(state), []);
    return { result, index };
  };
  run({ v: 1, kind: 'group.add', id: 'g', nowMs: T0 });
  for (const id of ['a', 'b']) {
    run({ v: 1, kind: 'node.add', id, url: `http://${id}`, group: 'g', nowMs: T0 });
    run({ v: 1, kind: 'node.state', id, state: 'active', nowMs: T0 });
  }
  run({ v: 1, kind: 'index.create', uid: 'm', primaryKey: 'id', shards: 2, nowMs: T0 });
  const report = (outcomes: NodeOutcome[]) => run({ v: 1, kind: 'dispatcher.cursor', cursors: [], outcomes, nowMs: T0 + 50 });
  return { state, run, report };
}

/** 30 documents of ~100 bytes over 2 shards, split at 1 KB: several parts. */
function batch(): DocumentsWriteCommand[] {
  const byShard: Record<number, Record<string, unknown>[]> = { 0: [], 1: [] };
  for (let id = 0; id < 30; id++) byShard[id % 2]!.push({ id, text: 'x'.repeat(80), _miroir_shard: id % 2 });
  const command: DocumentsWriteCommand = {
    v: 1, kind: 'documents.write', indexUid: 'm', mode: 'replace', primaryKey: 'id', shards: 2, byShard,
    receivedDocuments: 30, allowIndexCreation: false, nowMs: T0 + 1,
  };
  return splitWrite(command, 1024);
}

test('the split keeps every document once, each shard in order, each part within the size', () => {
  const parts = batch();
  assert.ok(parts.length >= 3, `${parts.length} parts`);
  assert.deepEqual(parts.map((p) => p.part), parts.map((_, index) => ({ index, count: parts.length })));
  for (const p of parts) assert.ok(Buffer.byteLength(JSON.stringify(Object.values(p.byShard).flat())) <= 1024 + 64);
  for (const shard of [0, 1]) {
    const ids = parts.flatMap((p) => p.byShard[shard] ?? []).map((d) => d['id']);
    assert.deepEqual(ids, Array.from({ length: 15 }, (_, i) => i * 2 + shard));
  }
  assert.equal(parts[0]!.receivedDocuments, 30, 'part 0 carries the batch count');
});

test('one task; it succeeds once every part has every outcome, counts summed', () => {
  const { state, run, report } = replica();
  const [first, ...later] = batch();
  const { result, index: firstIndex } = run(first!);
  assert.ok(result.kind === 'task');
  const taskUid = result.task.taskUid;
  const indexes = [firstIndex, ...later.map((p) => {
    const applied = run(laterPart(p, taskUid));
    assert.ok(applied.result.kind === 'task' && applied.result.task.taskUid === taskUid && applied.result.dispatch);
    return applied.index;
  })];
  assert.equal(state.nextTaskUid, taskUid + 1, 'no other task was created');
  // Every node answers every part but the last, each for 2 documents.
  let expected = 0;
  for (const logIndex of indexes.slice(0, -1)) {
    for (const t of state.dispatch.get(logIndex)!.targets) {
      report([{ nodeId: t.nodeId, logIndex, status: 'succeeded', counts: { indexedDocuments: 2 } }]);
      expected += 2;
    }
  }
  assert.equal(state.tasks.get(taskUid)!.status, 'processing', 'the last part is still owed');
  const last = indexes.at(-1)!;
  for (const t of state.dispatch.get(last)!.targets) {
    report([{ nodeId: t.nodeId, logIndex: last, status: 'succeeded', counts: { indexedDocuments: 1 } }]);
    expected += 1;
  }
  const task = state.tasks.get(taskUid)!;
  assert.equal(task.status, 'succeeded');
  assert.deepEqual(task.details, { receivedDocuments: 30, indexedDocuments: expected });
  assert.equal([...state.dispatch.values()].filter((r) => r.taskUid === taskUid).length, 0);
});

test('a node failure in any part fails the task; an abandoned batch fails at once and dispatches nothing more', () => {
  const { state, run, report } = replica();
  const [first, second, ...rest] = batch();
  const { result, index: i0 } = run(first!);
  assert.ok(result.kind === 'task');
  const taskUid = result.task.taskUid;
  const { index: i1 } = run(laterPart(second!, taskUid));
  assert.deepEqual(restoreState(serializeState(state)), state, 'part records survive a snapshot');
  const error = errorBody('invalid_document_id', 'bad');
  report(state.dispatch.get(i1)!.targets.map((t) => ({ nodeId: t.nodeId, logIndex: i1, status: 'failed' as const, error })));
  report(state.dispatch.get(i0)!.targets.map((t) => ({ nodeId: t.nodeId, logIndex: i0, status: 'succeeded' as const })));
  assert.equal(state.tasks.get(taskUid)!.status, 'processing', 'parts still to come');
  // The proposer gives up: the rest of the batch is abandoned.
  const abandon = { ...laterPart(rest[0]!, taskUid), byShard: {}, receivedDocuments: 0, rejected: errorBody('miroir_no_leader', 'gave up') };
  const { result: abandoned, index: ia } = run(abandon);
  assert.ok(abandoned.kind === 'task' && !abandoned.dispatch);
  assert.equal(isDispatchable(state, ia), false);
  const task = state.tasks.get(taskUid)!;
  assert.equal(task.status, 'failed');
  assert.equal(task.error?.code, 'miroir_no_leader');
  assert.equal([...state.dispatch.values()].filter((r) => r.taskUid === taskUid).length, 0);
  // A part arriving after that changes nothing and is not dispatched.
  const { result: late, index: il } = run(laterPart(rest[1] ?? rest[0]!, taskUid));
  assert.ok(late.kind === 'task' && !late.dispatch);
  assert.equal(isDispatchable(state, il), false);
});
