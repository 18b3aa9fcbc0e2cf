// The invariants a cluster state must satisfy after every apply. The
// simulation's checkers and the unit properties call this after each step;
// a violation names the first broken rule. It returns the problems instead
// of asserting, so a checker can report them together with the seed.

import type { ClusterState } from './state.ts';
import { isFinished } from './task-record.ts';

export function stateInvariantViolations(state: ClusterState): string[] {
  const problems: string[] = [];
  const fail = (message: string): void => {
    problems.push(message);
  };
  for (const [uid, index] of state.indexes) {
    if (index.uid !== uid) fail(`index keyed ${uid} says its uid is ${index.uid}`);
    if (index.shards < 1) fail(`index ${uid} has ${index.shards} shards`);
    if (index.updatedAtMs < index.createdAtMs) fail(`index ${uid} was updated before it was created`);
  }
  for (const [id, node] of state.nodes) {
    if (node.id !== id) fail(`node keyed ${id} says its id is ${node.id}`);
    if (!state.groups.has(node.group)) fail(`node ${id} is in unknown group ${node.group}`);
  }
  for (const [id, cursor] of state.cursors) {
    const node = state.nodes.get(id);
    if (node === undefined || node.state === 'removed') fail(`cursor kept for absent or removed node ${id}`);
    if (cursor > state.appliedIndex) fail(`cursor of ${id} (${cursor}) is past the applied index ${state.appliedIndex}`);
  }
  let previous = -1;
  for (const [uid, task] of state.tasks) {
    if (task.uid !== uid) fail(`task keyed ${uid} says its uid is ${task.uid}`);
    if (uid <= previous) fail(`task ${uid} is out of uid order`);
    if (uid >= state.nextTaskUid) fail(`task ${uid} is not below nextTaskUid ${state.nextTaskUid}`);
    if (task.logIndex > state.appliedIndex) fail(`task ${uid} comes from a log index not applied yet`);
    const finished = isFinished(task.status);
    if (finished !== (task.finishedAtMs !== null)) fail(`task ${uid} is ${task.status} with finishedAt ${task.finishedAtMs}`);
    if ((task.status === 'failed') !== (task.error !== null)) fail(`task ${uid} is ${task.status} with error ${JSON.stringify(task.error)}`);
    if (task.startedAtMs !== null && task.finishedAtMs !== null && task.finishedAtMs < task.startedAtMs) fail(`task ${uid} finished before it started`);
    if (task.startedAtMs !== null && task.startedAtMs < task.enqueuedAtMs) fail(`task ${uid} started before it was enqueued`);
    previous = uid;
  }
  for (const index of state.undispatchable) {
    if (index > state.appliedIndex) fail(`undispatchable entry ${index} is past the applied index`);
  }
  for (const [index, record] of state.dispatch) {
    if (record.logIndex !== index || index > state.appliedIndex) fail(`dispatch record ${index} is misplaced or not applied yet`);
    if (index > state.lastDispatchIndex) fail(`dispatch record ${index} is past lastDispatchIndex ${state.lastDispatchIndex}`);
    const task = state.tasks.get(record.taskUid);
    if (task !== undefined && isFinished(task.status)) fail(`dispatch record ${index} kept for finished task ${record.taskUid}`);
  }
  const unfinished = [...state.tasks.values()].filter((t) => !isFinished(t.status)).length;
  if (state.tasks.size > Math.max(state.settings.taskRetentionMax, unfinished)) {
    fail(`${state.tasks.size} tasks kept for a retention of ${state.settings.taskRetentionMax}`);
  }
  return problems;
}
