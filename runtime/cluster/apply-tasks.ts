// Applies task progress from the leader's status tracker, cluster-wide
// settings, and the bound on retained tasks (STYLE G14).
//
// Progress is idempotent: a new leader may re-propose what the old one
// already committed, so progress for an unknown (evicted) task, or for a
// task already past that status, is ignored rather than an error.

import { assert } from '../assert.ts';
import type { ConfigSetCommand, TaskProgressCommand, TasksDeleteCommand } from './commands.ts';
import { APPLIED, ignored, taskResult, type ApplyResult } from './apply-result.ts';
import type { ClusterState } from './state.ts';
import { matchesTaskFilter } from './task-query.ts';
import { enqueueTask, finishTask, isFinished, startTask } from './task-record.ts';

export function applyTaskProgress(state: ClusterState, c: TaskProgressCommand): ApplyResult {
  const task = state.tasks.get(c.taskUid);
  if (task === undefined) return ignored(`task ${c.taskUid} is not retained`);
  if (c.status === 'processing') {
    return startTask(task, c.nowMs) ? APPLIED : ignored(`task ${c.taskUid} is already ${task.status}`);
  }
  const finished = finishTask(task, { status: c.status, error: c.error ?? null, details: c.details ?? null }, c.nowMs);
  if (!finished) return ignored(`task ${c.taskUid} is already ${task.status}`);
  enforceTaskRetention(state);
  return APPLIED;
}

/**
 * DELETE /tasks. Matching counts every task the filter selects at this log
 * position; only finished ones are deleted (Meilisearch never deletes a task
 * whose status is still owed). The deletion task itself is finished at once.
 */
export function applyTasksDelete(state: ClusterState, c: TasksDeleteCommand, logIndex: number): ApplyResult {
  const matched = [...state.tasks.values()].filter((t) => matchesTaskFilter(t, c.filter));
  const task = enqueueTask(state, c, logIndex);
  assert(task.details !== null, 'a taskDeletion task has details');
  task.details['matchedTasks'] = matched.length;
  let deleted = 0;
  for (const t of matched) {
    if (!isFinished(t.status)) continue;
    state.tasks.delete(t.uid);
    deleted += 1;
  }
  finishTask(task, { status: 'succeeded', error: null, details: { deletedTasks: deleted } }, c.nowMs);
  return taskResult(task);
}

export function applyConfigSet(state: ClusterState, c: ConfigSetCommand): ApplyResult {
  const s = state.settings;
  if (c.defaultShards !== undefined) s.defaultShards = c.defaultShards;
  if (c.rf !== undefined) s.rf = c.rf;
  if (c.writeAckMode !== undefined) s.writeAckMode = c.writeAckMode;
  if (c.taskRetentionMax !== undefined) s.taskRetentionMax = c.taskRetentionMax;
  enforceTaskRetention(state);
  return APPLIED;
}

/**
 * Drops the oldest finished tasks while more than `taskRetentionMax` tasks are
 * kept. Unfinished tasks are never dropped (their status is still owed to a
 * client), so the bound can be exceeded only by tasks still in flight.
 */
export function enforceTaskRetention(state: ClusterState): void {
  let excess = state.tasks.size - state.settings.taskRetentionMax;
  if (excess <= 0) return;
  for (const [uid, task] of state.tasks) {
    if (excess <= 0) break;
    if (!isFinished(task.status)) continue;
    state.tasks.delete(uid);
    excess -= 1;
  }
}
