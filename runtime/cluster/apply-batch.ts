// The task of a document batch split over several log entries
// (DocumentsWriteCommand.part, runtime/writes/split-write.ts): every part
// has its own dispatch record, all naming the task part 0 created. A part's
// record that has every node's outcome is kept until the records of all
// `count` parts have theirs; then the task finishes once, with the counters
// summed over the parts and the first failure in part order, and the
// records go. Abandoning the batch (a later part that carries `rejected`, or
// whose index changed) fails the task and drops its records at once.
//
// Invariant (invariants.ts): no record outlives its task's finish.
import type { ErrorBody } from '../../api/errors/registry.ts';
import type { ClusterState, DispatchRecord, TaskRecord } from './state.ts';
import { finishTask, startTask } from './task-record.ts';

function recordsOf(state: ClusterState, taskUid: number): DispatchRecord[] {
  return [...state.dispatch.values()].filter((r) => r.taskUid === taskUid);
}

function hasEveryOutcome(record: DispatchRecord): boolean {
  const reported = new Set(record.outcomes.map((o) => o.nodeId));
  return record.targets.every((t) => reported.has(t.nodeId));
}

/** After a part's record got its last outcome: finishes the task when every part's record has them all. */
export function foldBatch(
  state: ClusterState,
  task: TaskRecord,
  count: number,
  nowMs: number,
  countsOf: (record: DispatchRecord) => Record<string, number>,
): void {
  const records = recordsOf(state, task.uid).sort((a, b) => (a.part?.index ?? 0) - (b.part?.index ?? 0));
  if (records.length < count || !records.every(hasEveryOutcome)) {
    startTask(task, nowMs);
    return;
  }
  const details: Record<string, number> = {};
  for (const record of records) {
    for (const [key, value] of Object.entries(countsOf(record))) details[key] = (details[key] ?? 0) + value;
  }
  const failed = records.flatMap((r) => r.outcomes).find((o) => o.status === 'failed');
  if (failed !== undefined) finishTask(task, { status: 'failed', error: failed.error, details }, nowMs);
  else finishTask(task, { status: 'succeeded', error: null, details }, nowMs);
  for (const record of records) state.dispatch.delete(record.logIndex);
}

/** Fails the batch's task now and forgets its parts' records (later outcomes for them are ignored). */
export function abandonBatch(state: ClusterState, task: TaskRecord, error: ErrorBody, nowMs: number): void {
  for (const record of recordsOf(state, task.uid)) state.dispatch.delete(record.logIndex);
  finishTask(task, { status: 'failed', error, details: null }, nowMs);
}
