// Task filters (API.md §1.5): parsing the query string of GET /tasks,
// POST /tasks/cancel and DELETE /tasks (lists comma-separated, `*` = any,
// dates RFC 3339 or YYYY-MM-DD) and matching a task against them.
import { MeiliError } from '../../api/errors/registry.ts';
import { checkQueryKeys, queryString, type Query } from '../../api/protocol/deserr.ts';
import { indexUidMessage, isValidIndexUid } from '../../api/protocol/index-uid.ts';
import { parseFilterDate } from '../../api/protocol/time-format.ts';
import { TASK_STATUSES, TASK_TYPES, type TaskFilter, type TaskRecord, type TaskStatus, type TaskType } from './types.ts';

export const FILTER_PARAMS = [
  'batchUids', 'uids', 'canceledBy', 'types', 'statuses', 'indexUids', 'afterEnqueuedAt',
  'beforeEnqueuedAt', 'afterStartedAt', 'beforeStartedAt', 'afterFinishedAt', 'beforeFinishedAt',
] as const;

export const LIST_PARAMS = ['limit', 'from', 'reverse', ...FILTER_PARAMS] as const;

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function list(query: Query, key: string, code: string): string[] | null {
  const raw = queryString(query, key, code);
  if (raw === undefined) return null;
  const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return items.includes('*') ? null : items;
}

function uints(query: Query, key: string, code: string): number[] | null {
  const items = list(query, key, code);
  return items === null ? null : items.map((item) => {
    if (!/^\d+$/.test(item) || !Number.isSafeInteger(Number(item))) {
      throw new MeiliError(code, `Invalid value in parameter \`${key}\`: could not parse \`${item}\` as a positive integer`);
    }
    return Number(item);
  });
}

function oneOf<T extends string>(query: Query, key: string, code: string, accepted: readonly T[], what: string): T[] | null {
  const items = list(query, key, code);
  return items === null ? null : items.map((item) => {
    if (!(accepted as readonly string[]).includes(item)) {
      const options = accepted.map((a) => `\`${a}\``).join(', ');
      throw new MeiliError(code, `Invalid value in parameter \`${key}\`: \`${item}\` is not a valid task ${what}. Available ${what === 'type' ? 'types' : 'statuses'} are ${options}.`);
    }
    return item as T;
  });
}

function date(query: Query, key: string, after: boolean): number | null {
  const code = `invalid_task_${snake(key)}`;
  const raw = queryString(query, key, code);
  if (raw === undefined || raw === '*') return null;
  const parsed = parseFilterDate(raw);
  if (parsed === null) {
    throw new MeiliError(code, `Invalid value in parameter \`${key}\`: \`${raw}\` is an invalid date-time. It should follow the YYYY-MM-DD or RFC 3339 date-time format.`);
  }
  // A bare date as an `after` bound means "from the next day on".
  return after && parsed.dateOnly ? parsed.ms + 86_400_000 - 1 : parsed.ms;
}

/** Parses the filter parameters; `accepted` lists every parameter the route knows. */
export function parseTaskFilter(query: Query, accepted: readonly string[]): TaskFilter {
  checkQueryKeys(query, accepted);
  const indexUids = list(query, 'indexUids', 'invalid_index_uid');
  for (const uid of indexUids ?? []) {
    if (!isValidIndexUid(uid)) throw new MeiliError('invalid_index_uid', `Invalid value in parameter \`indexUids\`: ${indexUidMessage(uid)}`);
  }
  return {
    uids: uints(query, 'uids', 'invalid_task_uids'),
    batchUids: uints(query, 'batchUids', 'invalid_batch_uids'),
    indexUids,
    statuses: oneOf<TaskStatus>(query, 'statuses', 'invalid_task_statuses', TASK_STATUSES, 'status'),
    types: oneOf<TaskType>(query, 'types', 'invalid_task_types', TASK_TYPES, 'type'),
    canceledBy: uints(query, 'canceledBy', 'invalid_task_canceled_by'),
    beforeEnqueuedAtMs: date(query, 'beforeEnqueuedAt', false),
    afterEnqueuedAtMs: date(query, 'afterEnqueuedAt', true),
    beforeStartedAtMs: date(query, 'beforeStartedAt', false),
    afterStartedAtMs: date(query, 'afterStartedAt', true),
    beforeFinishedAtMs: date(query, 'beforeFinishedAt', false),
    afterFinishedAtMs: date(query, 'afterFinishedAt', true),
  };
}

/** Whether the query carried at least one filter parameter (cancel and delete require one). */
export function hasFilterParam(query: Query): boolean {
  return FILTER_PARAMS.some((p) => query[p] !== undefined);
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
