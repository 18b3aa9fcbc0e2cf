// Creating and advancing Miroir tasks, which render exactly as Meilisearch
// tasks (API.md §2). A task is created when its command is applied, with the
// next dense uid; it then moves enqueued → processing → succeeded | failed,
// driven by `task.progress` commands from the leader's status tracker, or
// fails at once when apply itself finds the command impossible (the client
// already holds its 202, so failure is recorded, never refused).
//
// Invariants: a finished task never changes again; `startedAtMs <=
// finishedAtMs`; count fields still null at failure become 0, as in Meilisearch.

import type { ErrorBody } from '../../api/errors/registry.ts';
import { assert, unreachable } from '../assert.ts';
import type { TaskCommand } from './commands.ts';
import type { ClusterState, TaskRecord, TaskStatus, TaskType } from './state.ts';

/** The details fields Meilisearch fills with a count when a task finishes. */
const COUNT_FIELDS = ['indexedDocuments', 'deletedDocuments', 'deletedTasks'] as const;

export function isFinished(status: TaskStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'canceled';
}

/** Appends a new enqueued task for `command` and returns it. */
export function enqueueTask(state: ClusterState, command: TaskCommand, logIndex: number): TaskRecord {
  const uid = state.nextTaskUid;
  state.nextTaskUid = uid + 1;
  const { type, indexUid, details } = describe(command);
  const task: TaskRecord = {
    uid,
    batchUid: null,
    indexUid,
    status: 'enqueued',
    type,
    canceledBy: null,
    details,
    error: null,
    enqueuedAtMs: command.nowMs,
    startedAtMs: null,
    finishedAtMs: null,
    customMetadata: command.customMetadata ?? null,
    logIndex,
  };
  state.tasks.set(uid, task);
  return task;
}

/** Marks a task processing; a finished or already processing task is left alone. */
export function startTask(task: TaskRecord, nowMs: number): boolean {
  if (task.status !== 'enqueued') return false;
  task.status = 'processing';
  task.batchUid = task.uid;
  // A lagging clock on a new leader must not start a task before it was enqueued.
  task.startedAtMs = Math.max(nowMs, task.enqueuedAtMs);
  return true;
}

/** Finishes a task; returns false (and changes nothing) when it was already finished. */
export function finishTask(
  task: TaskRecord,
  outcome: { status: 'succeeded' | 'failed'; error: ErrorBody | null; details: Record<string, unknown> | null },
  nowMs: number,
): boolean {
  if (isFinished(task.status)) return false;
  assert(outcome.status === 'failed' || outcome.error === null, 'only a failed task carries an error');
  if (task.startedAtMs === null) {
    task.startedAtMs = Math.max(nowMs, task.enqueuedAtMs);
    task.batchUid = task.uid;
  }
  task.status = outcome.status;
  task.error = outcome.error;
  // A late clock on a new leader must not produce a negative duration.
  task.finishedAtMs = Math.max(nowMs, task.startedAtMs);
  if (task.details !== null) mergeDetails(task.details, outcome.details, outcome.status === 'failed');
  return true;
}

/** Only keys the task already has are merged: node counters never add fields Meilisearch lacks. */
function mergeDetails(details: Record<string, unknown>, patch: Record<string, unknown> | null, failed: boolean): void {
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (Object.hasOwn(details, key)) details[key] = value;
  }
  for (const key of COUNT_FIELDS) {
    if (Object.hasOwn(details, key) && details[key] === null && failed) details[key] = 0;
  }
}

/** Records a task that apply found impossible: failed at once, with Meilisearch's error. */
export function failTaskAtApply(task: TaskRecord, error: ErrorBody, nowMs: number): void {
  const changed = finishTask(task, { status: 'failed', error, details: null }, nowMs);
  assert(changed, 'a task failed at apply was just enqueued');
}

function describe(command: TaskCommand): {
  type: TaskType;
  indexUid: string | null;
  details: Record<string, unknown> | null;
} {
  switch (command.kind) {
    case 'index.create':
      return { type: 'indexCreation', indexUid: command.uid, details: { primaryKey: command.primaryKey } };
    case 'index.update': {
      const details: Record<string, unknown> = { primaryKey: command.primaryKey ?? null };
      if (command.newUid !== undefined) {
        details['oldIndexUid'] = command.uid;
        details['newIndexUid'] = command.newUid;
      }
      return { type: 'indexUpdate', indexUid: command.uid, details };
    }
    case 'index.delete':
      return { type: 'indexDeletion', indexUid: command.uid, details: { deletedDocuments: null } };
    case 'index.swap':
      return {
        type: 'indexSwap',
        indexUid: null,
        details: { swaps: command.swaps.map((s) => ({ indexes: [...s.indexes], rename: s.rename })) },
      };
    case 'documents.write':
      return {
        type: 'documentAdditionOrUpdate',
        indexUid: command.indexUid,
        details: { receivedDocuments: command.receivedDocuments, indexedDocuments: null },
      };
    case 'documents.deleteIds':
      return {
        type: 'documentDeletion',
        indexUid: command.indexUid,
        details: { providedIds: command.providedIds, deletedDocuments: null, originalFilter: null },
      };
    case 'documents.deleteFilter':
      return {
        type: 'documentDeletion',
        indexUid: command.indexUid,
        details: { providedIds: 0, deletedDocuments: null, originalFilter: JSON.stringify(command.filter) },
      };
    case 'documents.clear':
      return { type: 'documentDeletion', indexUid: command.indexUid, details: { deletedDocuments: null } };
    case 'settings.update':
      return { type: 'settingsUpdate', indexUid: command.indexUid, details: maskSettings(command.settings) };
    case 'tasks.delete':
      // matchedTasks is counted by apply, which knows the table at this log position.
      return { type: 'taskDeletion', indexUid: null, details: { matchedTasks: 0, deletedTasks: null, originalFilter: command.originalFilter } };
    default:
      return unreachable(command);
  }
}

/** Task details show the settings sent, with embedder API keys masked (API.md §2.2). */
function maskSettings(settings: Record<string, unknown>): Record<string, unknown> {
  const details = structuredClone(settings);
  const embedders = details['embedders'];
  if (typeof embedders === 'object' && embedders !== null && !Array.isArray(embedders)) {
    for (const embedder of Object.values(embedders as Record<string, unknown>)) {
      if (typeof embedder === 'object' && embedder !== null && typeof (embedder as Record<string, unknown>)['apiKey'] === 'string') {
        (embedder as Record<string, unknown>)['apiKey'] = 'XXX...';
      }
    }
  }
  return details;
}
