// The public shapes of tasks and batches (API.md §2, §1.5), built from stored
// records with Meilisearch's field order, dates and durations.
import { formatRfc3339, formatIsoDuration } from '../../api/protocol/time-format.ts';
import type { BatchRecord, SummarizedTask, TaskOp, TaskRecord, TaskType } from './types.ts';

export function taskTypeOf(op: TaskOp): TaskType {
  switch (op.op) {
    case 'documentAddition': return 'documentAdditionOrUpdate';
    case 'documentDeletionByIds':
    case 'documentDeletionByFilter':
    case 'documentClear': return 'documentDeletion';
    case 'settingsUpdate': return 'settingsUpdate';
    case 'indexCreation': return 'indexCreation';
    case 'indexUpdate': return 'indexUpdate';
    case 'indexDeletion': return 'indexDeletion';
    case 'indexSwap': return 'indexSwap';
    case 'taskCancelation': return 'taskCancelation';
    case 'taskDeletion': return 'taskDeletion';
  }
}

/** The details of a task while enqueued: counts still null. */
export function initialDetails(op: TaskOp, indexUid: string | null): Record<string, unknown> {
  switch (op.op) {
    case 'documentAddition': return { receivedDocuments: op.received, indexedDocuments: null };
    case 'documentDeletionByIds': return { providedIds: op.ids.length, deletedDocuments: null, originalFilter: null };
    case 'documentDeletionByFilter': return { providedIds: 0, deletedDocuments: null, originalFilter: JSON.stringify(op.filter) };
    case 'documentClear': return { deletedDocuments: null };
    case 'settingsUpdate': return { ...op.patch };
    case 'indexCreation': return { primaryKey: op.primaryKey };
    case 'indexUpdate':
      return op.newUid === null
        ? { primaryKey: op.primaryKey }
        : { primaryKey: op.primaryKey, oldIndexUid: indexUid, newIndexUid: op.newUid };
    case 'indexDeletion': return { deletedDocuments: null };
    case 'indexSwap': return { swaps: op.swaps };
    case 'taskCancelation': return { matchedTasks: op.matchedUids.length, canceledTasks: null, originalFilter: op.originalFilter };
    case 'taskDeletion': return { matchedTasks: op.matchedUids.length, deletedTasks: null, originalFilter: op.originalFilter };
  }
}

/** The details of a task that failed or was canceled: counts become 0. */
export function zeroedDetails(details: Record<string, unknown> | null): Record<string, unknown> | null {
  if (details === null) return null;
  const out = { ...details };
  for (const key of ['indexedDocuments', 'deletedDocuments', 'canceledTasks', 'deletedTasks']) {
    if (key in out && out[key] === null) out[key] = 0;
  }
  return out;
}

export function summarize(task: TaskRecord): SummarizedTask {
  const view: SummarizedTask = {
    taskUid: task.uid,
    indexUid: task.indexUid,
    status: task.status,
    type: task.type,
    enqueuedAt: formatRfc3339(task.enqueuedAtMs),
  };
  if (task.customMetadata !== null) view.customMetadata = task.customMetadata;
  return view;
}

export function taskView(task: TaskRecord): Record<string, unknown> {
  const view: Record<string, unknown> = {
    uid: task.uid,
    batchUid: task.batchUid,
    indexUid: task.indexUid,
    status: task.status,
    type: task.type,
    canceledBy: task.canceledBy,
  };
  if (task.details !== null) view.details = task.details;
  view.error = task.error;
  view.duration = task.startedAtMs !== null && task.finishedAtMs !== null
    ? formatIsoDuration(task.finishedAtMs - task.startedAtMs) : null;
  view.enqueuedAt = formatRfc3339(task.enqueuedAtMs);
  view.startedAt = task.startedAtMs === null ? null : formatRfc3339(task.startedAtMs);
  view.finishedAt = task.finishedAtMs === null ? null : formatRfc3339(task.finishedAtMs);
  if (task.customMetadata !== null) view.customMetadata = task.customMetadata;
  return view;
}

function countBy(tasks: TaskRecord[], key: (t: TaskRecord) => string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tasks) {
    const k = key(t);
    if (k !== null) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Sums the numeric details of the batch's tasks, as Meilisearch's batch `details` does. */
function batchDetails(tasks: TaskRecord[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const t of tasks) {
    for (const [k, v] of Object.entries(t.details ?? {})) {
      if (typeof v === 'number') out[k] = (typeof out[k] === 'number' ? (out[k] as number) : 0) + v;
      else if (!(k in out)) out[k] = v;
    }
  }
  return out;
}

export function batchView(batch: BatchRecord, tasks: TaskRecord[]): Record<string, unknown> {
  return {
    uid: batch.uid,
    progress: null,
    details: batchDetails(tasks),
    stats: {
      totalNbTasks: batch.taskUids.length,
      status: countBy(tasks, (t) => t.status),
      types: countBy(tasks, (t) => t.type),
      indexUids: countBy(tasks, (t) => t.indexUid),
    },
    duration: batch.finishedAtMs === null ? null : formatIsoDuration(batch.finishedAtMs - batch.startedAtMs),
    startedAt: formatRfc3339(batch.startedAtMs),
    finishedAt: batch.finishedAtMs === null ? null : formatRfc3339(batch.finishedAtMs),
    batchStrategy: batch.batchStrategy,
  };
}
