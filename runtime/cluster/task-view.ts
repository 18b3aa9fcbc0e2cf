// Renders task records as the exact objects Meilisearch answers (API.md §2):
// the summarized task of every 202 and the full task of GET /tasks. Key order
// is Meilisearch's declaration order, because clients and snapshot tests see it.

import type { ErrorBody } from '../../api/errors/registry.ts';
import type { TaskRecord, TaskStatus, TaskType } from './state.ts';
import { formatIsoDuration, formatRfc3339 } from '../../api/protocol/time-format.ts';

export interface SummarizedTask {
  taskUid: number;
  indexUid: string | null;
  status: 'enqueued';
  type: TaskType;
  enqueuedAt: string;
  customMetadata?: string;
}

export interface TaskView {
  uid: number;
  batchUid: number | null;
  indexUid: string | null;
  status: TaskStatus;
  type: TaskType;
  canceledBy: number | null;
  details?: Record<string, unknown>;
  error: ErrorBody | null;
  duration: string | null;
  enqueuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  customMetadata?: string;
}

/** The 202 body. Always `enqueued`: it describes the task as it was when the command committed. */
export function summarize(task: TaskRecord): SummarizedTask {
  const view: SummarizedTask = {
    taskUid: task.uid,
    indexUid: task.indexUid,
    status: 'enqueued',
    type: task.type,
    enqueuedAt: formatRfc3339(task.enqueuedAtMs),
  };
  if (task.customMetadata !== null) view.customMetadata = task.customMetadata;
  return view;
}

export function renderTask(task: TaskRecord): TaskView {
  const duration =
    task.startedAtMs !== null && task.finishedAtMs !== null
      ? formatIsoDuration(task.finishedAtMs - task.startedAtMs)
      : null;
  // `details` is omitted, not null, for kinds that have none; it sits before `error`.
  return {
    uid: task.uid,
    batchUid: task.batchUid,
    indexUid: task.indexUid,
    status: task.status,
    type: task.type,
    canceledBy: task.canceledBy,
    ...(task.details === null ? {} : { details: structuredClone(task.details) }),
    error: task.error === null ? null : { ...task.error },
    duration,
    enqueuedAt: formatRfc3339(task.enqueuedAtMs),
    startedAt: task.startedAtMs === null ? null : formatRfc3339(task.startedAtMs),
    finishedAt: task.finishedAtMs === null ? null : formatRfc3339(task.finishedAtMs),
    ...(task.customMetadata === null ? {} : { customMetadata: task.customMetadata }),
  };
}
