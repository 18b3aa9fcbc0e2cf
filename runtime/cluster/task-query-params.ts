// Parses the query string of GET /tasks and DELETE /tasks into a TaskQuery,
// with Meilisearch's parameter rules (API.md §1.5): comma-separated lists,
// `*` for "any", dates as RFC 3339 or `YYYY-MM-DD`, and its error codes
// (`invalid_task_*`, `bad_request` for unknown parameters,
// `missing_task_filters` for a deletion without a filter).
//
// A bare date means a whole day: `afterX=2024-01-02` excludes that whole day
// (the bound becomes the next midnight), `beforeX=2024-01-02` excludes it too
// (the bound is that midnight). Both bounds are strict, as in Meilisearch.

import { MeiliError } from '../../api/errors/registry.ts';
import { isValidIndexUid } from '../../api/protocol/index-uid.ts';
import { TASK_STATUSES, TASK_TYPES, type TaskStatus, type TaskType } from './state.ts';
import type { TaskFilter, TaskQuery } from './task-query.ts';

// In Meilisearch's declaration order: it is the order of the "expected one of" lists in its errors.
const DELETION_PARAMS = [
  'uids', 'canceledBy', 'types', 'statuses', 'indexUids',
  'afterEnqueuedAt', 'beforeEnqueuedAt', 'afterStartedAt', 'beforeStartedAt', 'afterFinishedAt', 'beforeFinishedAt',
] as const;
const LIST_PARAMS = ['limit', 'from', 'reverse', 'batchUids', ...DELETION_PARAMS] as const;
const FILTER_PARAMS = ['batchUids', ...DELETION_PARAMS] as const;
const MISSING_FILTERS_LIST =
  '`uids`, `indexUids`, `statuses`, `types`, `canceledBy`, `beforeEnqueuedAt`, `afterEnqueuedAt`, `beforeStartedAt`, `afterStartedAt`, `beforeFinishedAt`, `afterFinishedAt`';

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const codeOf = (param: string): string => `invalid_task_${snake(param)}`;

function invalid(param: string, message: string): MeiliError {
  return new MeiliError(codeOf(param), `Invalid value in parameter \`${param}\`: ${message}`);
}

function list(value: string): string[] | null {
  const items = value.split(',').map((s) => s.trim());
  return items.includes('*') ? null : items;
}

function uintList(param: string, value: string): number[] | null | MeiliError {
  const items = list(value);
  if (items === null) return null;
  const out: number[] = [];
  for (const [i, item] of items.entries()) {
    if (!/^[0-9]+$/.test(item) || !Number.isSafeInteger(Number(item))) {
      // Meilisearch names the element (`uids[1]`) only when the list has several.
      const at = items.length > 1 ? `${param}[${i}]` : param;
      return new MeiliError(codeOf(param), `Invalid value in parameter \`${at}\`: could not parse \`${item}\` as a positive integer`);
    }
    out.push(Number(item));
  }
  return out;
}

function enumList<T extends string>(param: string, value: string, allowed: readonly T[], what: string): T[] | null | MeiliError {
  const items = list(value);
  if (items === null) return null;
  const bad = items.find((i) => !(allowed as readonly string[]).includes(i));
  if (bad !== undefined) {
    const plural = what === 'status' ? 'statuses' : `${what}s`;
    return invalid(param, `\`${bad}\` is not a valid task ${what}. Available ${plural} are ${allowed.map((a) => `\`${a}\``).join(', ')}.`);
  }
  return items as T[];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch milliseconds of a date bound; a bare `after` date moves to the next midnight. */
export function parseTaskDate(param: string, value: string): number | MeiliError {
  const error = invalid(param, `\`${value}\` is an invalid date-time. It should follow the YYYY-MM-DD or RFC 3339 date-time format.`);
  if (RFC3339.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? error : ms;
  }
  const day = DAY.exec(value);
  if (day === null) return error;
  const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return error;
  return param.startsWith('after') ? ms + 86_400_000 : ms;
}

/** The tasks routes' variant of invalid_index_uid: no byte limit in the text, prefixed with the parameter. */
function indexUidError(uid: string): MeiliError {
  return new MeiliError(
    'invalid_index_uid',
    `Invalid value in parameter \`indexUids\`: \`${uid}\` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_).`,
  );
}

type Params = Readonly<Record<string, string | undefined>>;

function parseFilter(params: Params, filter: TaskFilter): MeiliError | null {
  const set = <K extends keyof TaskFilter>(key: K, value: TaskFilter[K] | null | MeiliError): MeiliError | null => {
    if (value instanceof MeiliError) return value;
    if (value !== null) filter[key] = value;
    return null;
  };
  for (const param of FILTER_PARAMS) {
    const value = params[param];
    if (value === undefined) continue;
    let error: MeiliError | null;
    if (param === 'uids' || param === 'batchUids' || param === 'canceledBy') error = set(param, uintList(param, value));
    else if (param === 'statuses') error = set('statuses', enumList<TaskStatus>(param, value, TASK_STATUSES, 'status'));
    else if (param === 'types') error = set('types', enumList<TaskType>(param, value, TASK_TYPES, 'type'));
    else if (param === 'indexUids') {
      const uids = list(value);
      const bad = uids?.find((u) => !isValidIndexUid(u));
      error = bad !== undefined ? indexUidError(bad) : set('indexUids', uids);
    } else error = value.trim() === '*' ? null : set(`${param}Ms`, parseTaskDate(param, value));
    if (error !== null) return error;
  }
  return null;
}

function parsePage(params: Params, query: TaskQuery): MeiliError | null {
  const { limit, from, reverse } = params;
  for (const [param, value] of [['limit', limit], ['from', from]] as const) {
    if (value === undefined) continue;
    if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) {
      return invalid(param, `could not parse \`${value}\` as a positive integer`);
    }
    query[param] = Number(value);
  }
  if (reverse !== undefined) {
    if (reverse !== 'true' && reverse !== 'false') {
      return invalid('reverse', `could not parse \`${reverse}\` as a boolean, expected either \`true\` or \`false\``);
    }
    query.reverse = reverse === 'true';
  }
  return null;
}

function unknownParam(params: Params, allowed: readonly string[]): MeiliError | null {
  const unknown = Object.keys(params).find((k) => params[k] !== undefined && !allowed.includes(k));
  if (unknown === undefined) return null;
  return new MeiliError('bad_request', `Unknown parameter \`${unknown}\`: expected one of ${allowed.map((a) => `\`${a}\``).join(', ')}`);
}

/** GET /tasks. */
export function parseTaskListParams(params: Params): TaskQuery | MeiliError {
  const query: TaskQuery = {};
  return unknownParam(params, LIST_PARAMS) ?? parseFilter(params, query) ?? parsePage(params, query) ?? query;
}

/** DELETE /tasks (and, later, POST /tasks/cancel): filters only, and at least one of them. */
export function parseTaskDeletionParams(params: Params, action: 'delete' | 'cancel' = 'delete'): TaskFilter | MeiliError {
  const filter: TaskFilter = {};
  const error = unknownParam(params, DELETION_PARAMS) ?? parseFilter(params, filter);
  if (error !== null) return error;
  if (!DELETION_PARAMS.some((p) => params[p] !== undefined)) {
    return new MeiliError(
      'missing_task_filters',
      `Query parameters to filter the tasks to ${action} are missing. Available query parameters are: ${MISSING_FILTERS_LIST}.`,
    );
  }
  return filter;
}
