// Task filters and pages (API.md §1.5) as Meilisearch parses the query
// strings of GET /tasks, GET /batches, DELETE /tasks and POST /tasks/cancel:
// comma-separated lists with `*` for "any", dates as RFC 3339 or
// `YYYY-MM-DD`, and its error codes (`invalid_task_*`, `invalid_index_uid`,
// `bad_request` for unknown parameters, `missing_task_filters` for a
// deletion or cancelation without a filter). Checked against Meilisearch's
// own snapshots: a bad item of a list of several is named by its position
// (`uids[1]`), a single value by the parameter alone (`uids`).
//
// A bare date means a whole day: `afterX=2024-01-02` excludes that whole day
// (the bound becomes the next midnight), `beforeX=2024-01-02` excludes it too
// (the bound is that midnight). Both bounds are strict, as in Meilisearch.
// The engine and the cluster both filter with what this returns.
import { MeiliError, type ErrorBody } from '../errors/registry.ts';
import { checkQueryKeys, queryString, type Query } from './deserr.ts';
import { indexUidMessage, isValidIndexUid } from './index-uid.ts';

export type TaskStatus = 'enqueued' | 'processing' | 'succeeded' | 'failed' | 'canceled';
export const TASK_STATUSES: readonly TaskStatus[] = ['enqueued', 'processing', 'succeeded', 'failed', 'canceled'];

/** Meilisearch task kinds (API.md §2.2), in the order its error messages list them. */
export type TaskType =
  | 'documentAdditionOrUpdate' | 'documentEdition' | 'documentDeletion' | 'settingsUpdate'
  | 'indexCreation' | 'indexDeletion' | 'indexUpdate' | 'indexSwap' | 'taskCancelation'
  | 'taskDeletion' | 'dumpCreation' | 'snapshotCreation' | 'export' | 'upgradeDatabase'
  | 'indexCompaction' | 'networkTopologyChange' | 'dsrUpdate' | 'dsrClear';
export const TASK_TYPES: readonly TaskType[] = [
  'documentAdditionOrUpdate', 'documentEdition', 'documentDeletion', 'settingsUpdate',
  'indexCreation', 'indexDeletion', 'indexUpdate', 'indexSwap', 'taskCancelation',
  'taskDeletion', 'dumpCreation', 'snapshotCreation', 'export', 'upgradeDatabase',
  'indexCompaction', 'networkTopologyChange', 'dsrUpdate', 'dsrClear',
];

/**
 * The fields of a Meilisearch task object (API.md §2.2) that both the engine's
 * and the cluster's task records hold. Times are epoch milliseconds.
 */
export interface TaskFields {
  uid: number;
  batchUid: number | null;
  indexUid: string | null;
  status: TaskStatus;
  type: TaskType;
  canceledBy: number | null;
  /** Key order is Meilisearch's (API.md §2.2); null when the type has no details. */
  details: Record<string, unknown> | null;
  error: ErrorBody | null;
  enqueuedAtMs: number;
  startedAtMs: number | null;
  finishedAtMs: number | null;
  customMetadata: string | null;
}

/** A task filter; an absent field matches everything. Dates are strict bounds in epoch ms. */
export interface TaskFilter {
  uids?: readonly number[];
  batchUids?: readonly number[];
  indexUids?: readonly string[];
  statuses?: readonly TaskStatus[];
  types?: readonly TaskType[];
  canceledBy?: readonly number[];
  beforeEnqueuedAtMs?: number;
  afterEnqueuedAtMs?: number;
  beforeStartedAtMs?: number;
  afterStartedAtMs?: number;
  beforeFinishedAtMs?: number;
  afterFinishedAtMs?: number;
}

export interface TaskQuery extends TaskFilter {
  /** Default 20. */
  limit?: number;
  from?: number;
  reverse?: boolean;
}

// In Meilisearch's declaration order: it is the order of the "expected one of" lists in its errors.
const DATE_PARAMS = [
  'afterEnqueuedAt', 'beforeEnqueuedAt', 'afterStartedAt', 'beforeStartedAt', 'afterFinishedAt', 'beforeFinishedAt',
] as const;
export const FILTER_PARAMS = ['uids', 'batchUids', 'canceledBy', 'types', 'statuses', 'indexUids', ...DATE_PARAMS] as const;
export const LIST_PARAMS = ['limit', 'from', 'reverse', 'batchUids', 'uids', 'canceledBy', 'types', 'statuses', 'indexUids', ...DATE_PARAMS] as const;
const MISSING_FILTERS_LIST =
  '`uids`, `indexUids`, `statuses`, `types`, `canceledBy`, `beforeEnqueuedAt`, `afterEnqueuedAt`, `beforeStartedAt`, `afterStartedAt`, `beforeFinishedAt`, `afterFinishedAt`';

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const codeOf = (param: string): string => `invalid_task_${snake(param)}`;
const CODES: Readonly<Record<string, string>> = { batchUids: 'invalid_batch_uids', indexUids: 'invalid_index_uid' };
const code = (param: string): string => CODES[param] ?? codeOf(param);

/** `at` names the parameter, or one item of a list (`uids[1]`). */
function invalid(param: string, message: string, at: string = param): MeiliError {
  return new MeiliError(code(param), `Invalid value in parameter \`${at}\`: ${message}`);
}

/**
 * Reads a list parameter item by item, in order: a `*` makes the whole list
 * "any" (null), a bad item before it fails the request (`uids=cat,*,dog`
 * fails on `cat`, as in Meilisearch). `at` names the item in errors.
 */
function list<T>(param: string, value: string, read: (item: string, at: string) => T): T[] | null {
  const items = value.split(',').map((s) => s.trim());
  const out: T[] = [];
  for (const [i, item] of items.entries()) {
    if (item === '*') return null;
    out.push(read(item, items.length > 1 ? `${param}[${i}]` : param));
  }
  return out;
}

function uintList(param: string, value: string): number[] | null {
  return list(param, value, (item, at) => {
    if (!/^[0-9]+$/.test(item) || !Number.isSafeInteger(Number(item))) throw invalid(param, `could not parse \`${item}\` as a positive integer`, at);
    return Number(item);
  });
}

function enumList<T extends string>(param: string, value: string, allowed: readonly T[], what: 'status' | 'type'): T[] | null {
  const plural = what === 'status' ? 'statuses' : 'types';
  return list(param, value, (item, at) => {
    if (!(allowed as readonly string[]).includes(item)) {
      throw invalid(param, `\`${item}\` is not a valid task ${what}. Available ${plural} are ${allowed.map((a) => `\`${a}\``).join(', ')}.`, at);
    }
    return item as T;
  });
}

function indexUidList(value: string): string[] | null {
  return list('indexUids', value, (item, at) => {
    if (!isValidIndexUid(item)) throw invalid('indexUids', indexUidMessage(item), at);
    return item;
  });
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch milliseconds of a date bound; a bare `after` date moves to the next midnight. */
export function parseTaskDate(param: string, value: string): number {
  const error = invalid(param, `\`${value}\` is an invalid date-time. It should follow the YYYY-MM-DD or RFC 3339 date-time format.`);
  if (RFC3339.test(value)) {
    const ms = Date.parse(value.replace(' ', 'T'));
    if (Number.isNaN(ms)) throw error;
    return ms;
  }
  const day = DAY.exec(value);
  if (day === null) throw error;
  const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
  const ms = Date.UTC(y, m - 1, d);
  // new Date(ms) converts the given instant; it reads no clock.
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) throw error;
  return param.startsWith('after') ? ms + 86_400_000 : ms;
}

function parseFilter(query: Query, filter: TaskFilter): void {
  for (const param of FILTER_PARAMS) {
    const value = queryString(query, param, code(param));
    if (value === undefined) continue;
    if (param === 'uids' || param === 'batchUids' || param === 'canceledBy') {
      const uids = uintList(param, value);
      if (uids !== null) filter[param] = uids;
    } else if (param === 'statuses') {
      const statuses = enumList(param, value, TASK_STATUSES, 'status');
      if (statuses !== null) filter.statuses = statuses;
    } else if (param === 'types') {
      const types = enumList(param, value, TASK_TYPES, 'type');
      if (types !== null) filter.types = types;
    } else if (param === 'indexUids') {
      const uids = indexUidList(value);
      if (uids !== null) filter.indexUids = uids;
    } else if (value.trim() !== '*') filter[`${param}Ms`] = parseTaskDate(param, value);
  }
}

function parsePage(query: Query, out: TaskQuery): void {
  for (const param of ['limit', 'from'] as const) {
    const value = queryString(query, param, codeOf(param));
    if (value === undefined) continue;
    if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) throw invalid(param, `could not parse \`${value}\` as a positive integer`);
    out[param] = Number(value);
  }
  const reverse = queryString(query, 'reverse', codeOf('reverse'));
  if (reverse === undefined) return;
  if (reverse !== 'true' && reverse !== 'false') {
    throw invalid('reverse', `could not parse \`${reverse}\` as a boolean, expected either \`true\` or \`false\``);
  }
  out.reverse = reverse === 'true';
}

/** GET /tasks and GET /batches. */
export function parseTaskListParams(query: Query): TaskQuery {
  checkQueryKeys(query, LIST_PARAMS);
  const out: TaskQuery = {};
  parseFilter(query, out);
  parsePage(query, out);
  return out;
}

/** DELETE /tasks and POST /tasks/cancel: filters only, and at least one of them. */
export function parseTaskFilterParams(query: Query, action: 'delete' | 'cancel'): TaskFilter {
  checkQueryKeys(query, FILTER_PARAMS);
  const filter: TaskFilter = {};
  parseFilter(query, filter);
  if (!FILTER_PARAMS.some((p) => query[p] !== undefined)) {
    throw new MeiliError(
      'missing_task_filters',
      `Query parameters to filter the tasks to ${action} are missing. Available query parameters are: ${MISSING_FILTERS_LIST}.`,
    );
  }
  return filter;
}
