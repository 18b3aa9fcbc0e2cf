// GET /tasks over the replicated task table, with Meilisearch's filters and
// pagination (API.md §1.5, §11 example 16): newest first unless `reverse`;
// `from` is the uid of the first result, inclusive; `next` is the uid the next
// page starts at, or null; `total` counts every match, ignoring from/limit.
// Dates are compared strictly (`after` and `before` exclude the instant);
// turning `YYYY-MM-DD` into instants is the edge's parsing job.

import type { ClusterState, TaskRecord, TaskStatus, TaskType } from './state.ts';
import { renderTask, type TaskView } from './task-view.ts';

// The filter and page parameters are parsed by api/protocol/task-query.ts.
export type { TaskFilter, TaskQuery } from '../../api/protocol/task-query.ts';
import type { TaskFilter, TaskQuery } from '../../api/protocol/task-query.ts';

export interface TaskPage {
  results: TaskView[];
  total: number;
  limit: number;
  from: number | null;
  next: number | null;
}

export const DEFAULT_TASK_LIMIT = 20;

function inList<T>(list: readonly T[] | undefined, value: T): boolean {
  return list === undefined || list.includes(value);
}

/** A task without the date (not started, not finished) never matches a filter on that date. */
function inRange(ms: number | null, after: number | undefined, before: number | undefined): boolean {
  if (after === undefined && before === undefined) return true;
  if (ms === null) return false;
  return (after === undefined || ms > after) && (before === undefined || ms < before);
}

export function matchesTaskFilter(task: TaskRecord, f: TaskFilter): boolean {
  return (
    inList(f.uids, task.uid) &&
    (f.batchUids === undefined || (task.batchUid !== null && f.batchUids.includes(task.batchUid))) &&
    (f.indexUids === undefined || (task.indexUid !== null && f.indexUids.includes(task.indexUid))) &&
    inList(f.statuses, task.status) &&
    inList(f.types, task.type) &&
    (f.canceledBy === undefined || (task.canceledBy !== null && f.canceledBy.includes(task.canceledBy))) &&
    inRange(task.enqueuedAtMs, f.afterEnqueuedAtMs, f.beforeEnqueuedAtMs) &&
    inRange(task.startedAtMs, f.afterStartedAtMs, f.beforeStartedAtMs) &&
    inRange(task.finishedAtMs, f.afterFinishedAtMs, f.beforeFinishedAtMs)
  );
}

/**
 * `visible` lets the edge hide tasks of indexes the caller's API key may not
 * see (Meilisearch filters list routes silently); by default all are visible.
 */
export function listTasks(
  state: ClusterState,
  query: TaskQuery,
  visible: (task: TaskRecord) => boolean = () => true,
): TaskPage {
  const limit = query.limit ?? DEFAULT_TASK_LIMIT;
  const reverse = query.reverse ?? false;
  const matching: TaskRecord[] = [];
  for (const task of state.tasks.values()) if (matchesTaskFilter(task, query) && visible(task)) matching.push(task);
  // The table is in uid order already (uids are assigned in log order).
  const ordered = reverse ? matching : matching.reverse();
  const from = query.from;
  const start = from === undefined ? 0 : ordered.findIndex((t) => (reverse ? t.uid >= from : t.uid <= from));
  const window = start < 0 ? [] : ordered.slice(start, start + limit + 1);
  const page = window.slice(0, limit);
  return {
    results: page.map(renderTask),
    total: matching.length,
    limit,
    from: page[0]?.uid ?? null,
    next: window.length > limit ? (window[limit]?.uid ?? null) : null,
  };
}

export function getTask(state: ClusterState, uid: number): TaskView | null {
  const task = state.tasks.get(uid);
  return task === undefined ? null : renderTask(task);
}
