// Task filters (API.md §1.5): the query strings are parsed by
// api/protocol/task-query.ts (shared with the cluster); here a parsed filter
// becomes the engine's TaskFilter and is matched against tasks.
import type { TaskFilter as ParsedFilter } from '../../api/protocol/task-query.ts';
import type { TaskFilter, TaskRecord } from './types.ts';

/** The engine's form of a parsed filter: an absent field is null (matches everything). */
export function engineFilter(f: ParsedFilter): TaskFilter {
  return {
    uids: f.uids === undefined ? null : [...f.uids],
    batchUids: f.batchUids === undefined ? null : [...f.batchUids],
    indexUids: f.indexUids === undefined ? null : [...f.indexUids],
    statuses: f.statuses === undefined ? null : [...f.statuses],
    types: f.types === undefined ? null : [...f.types],
    canceledBy: f.canceledBy === undefined ? null : [...f.canceledBy],
    beforeEnqueuedAtMs: f.beforeEnqueuedAtMs ?? null,
    afterEnqueuedAtMs: f.afterEnqueuedAtMs ?? null,
    beforeStartedAtMs: f.beforeStartedAtMs ?? null,
    afterStartedAtMs: f.afterStartedAtMs ?? null,
    beforeFinishedAtMs: f.beforeFinishedAtMs ?? null,
    afterFinishedAtMs: f.afterFinishedAtMs ?? null,
  };
}

function inRange(value: number | null, after: number | null, before: number | null): boolean {
  if (after === null && before === null) return true;
  if (value === null) return false;
  return (after === null || value > after) && (before === null || value < before);
}

export function matchesFilter(task: TaskRecord, f: TaskFilter): boolean {
  return (f.uids === null || f.uids.includes(task.uid))
    && (f.batchUids === null || (task.batchUid !== null && f.batchUids.includes(task.batchUid)))
    && (f.indexUids === null || (task.indexUid !== null && f.indexUids.includes(task.indexUid)))
    && (f.statuses === null || f.statuses.includes(task.status))
    && (f.types === null || f.types.includes(task.type))
    && (f.canceledBy === null || (task.canceledBy !== null && f.canceledBy.includes(task.canceledBy)))
    && inRange(task.enqueuedAtMs, f.afterEnqueuedAtMs, f.beforeEnqueuedAtMs)
    && inRange(task.startedAtMs, f.afterStartedAtMs, f.beforeStartedAtMs)
    && inRange(task.finishedAtMs, f.afterFinishedAtMs, f.beforeFinishedAtMs);
}
