// The dispatcher's I/O towards its node (the imperative shell around
// window.ts): send planned requests strictly one after another — Meilisearch
// enqueues in arrival order, so one request in flight at a time is what keeps
// the node's order the log's order — and poll node tasks.
//
// Consecutive documents writes go as one request when they may
// (coalesce.ts); a request the node refuses outright when coalesced is sent
// again one entry at a time at once, so the refusal is the right entry's.
//
// Every documents request carries its position in the log as Meilisearch's
// `customMetadata` (stamp.ts), which a restarted dispatcher reads back from
// the node's tasks to resume exactly after what the node holds (resume.ts).
//
// Failures: a 4xx answer is the node's verdict on the request (recorded, not
// retried); a transport failure or a 5xx stops the sending, and the
// dispatcher resumes after back-off from what the node's tasks show (the
// request may have been enqueued before its answer was lost). Nothing here
// retries by itself (STYLE G13).
import type { ErrorBody, ErrorType } from '../../api/errors/registry.ts';
import { MiroirError } from '../errors.ts';
import { NodeResponseError, type NodeErrorBody } from '../../transport/node-client/errors.ts';
import type { NodeClient } from '../../transport/node-client/node-client.ts';
import { coalescedRun, mergedArrays } from './coalesce.ts';
import type { PlannedRequest } from './plan.ts';
import type { ListedTask } from './resume.ts';
import { parseStamp, stampable, stampedQuery } from './stamp.ts';
import { copyEntry, hasUnsent, recordSent, type NodeTaskView, type RequestState, type SendAnswer, type WindowEntry } from './window.ts';

export interface SendReport {
  /** Per window entry (by log index): the answers of the requests sent now, in order. */
  answers: { logIndex: number; answers: SendAnswer[] }[];
  /** Why sending stopped early (the node is unavailable), or null when everything unsent went. */
  unavailable: string | null;
}

function isRetriable(error: unknown): boolean {
  if (error instanceof NodeResponseError) return error.status >= 500;
  return error instanceof MiroirError;
}

function answerOf(body: unknown): { taskUid: number } | null {
  const uid = (body as { taskUid?: unknown } | null)?.taskUid;
  return typeof uid === 'number' && Number.isSafeInteger(uid) ? { taskUid: uid } : null;
}

/**
 * Sends every unsent request of `window`, in order; works on a copy so the
 * caller folds the report in. `onEnqueued` hears, as soon as the node
 * answers, the entries whose last request the node enqueued (the `quorum`
 * acknowledgement mode counts them: runtime/writes/write-quorum.ts).
 */
export async function sendUnsent(
  client: NodeClient, window: readonly WindowEntry[], signal: AbortSignal, onEnqueued?: (logIndexes: number[]) => void,
): Promise<SendReport> {
  const report: SendReport = { answers: [], unavailable: null };
  const entries = window.map(copyEntry);
  const answers = entries.map((entry) => {
    const list: SendAnswer[] = [];
    report.answers.push({ logIndex: entry.logIndex, answers: list });
    return list;
  });
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as WindowEntry;
    while (hasUnsent(entry)) {
      const run = coalescedRun(entries, i);
      const covered = entries.slice(i, i + run);
      const next = covered.map((e) => e.requests[e.next]).filter((r) => r !== undefined);
      const first = next[0];
      if (first === undefined) break;
      const merged = run === 1 ? first.request : { ...first.request, body: mergedArrays(next.map((r) => r.request.body as string)) };
      const answer = await send(client, stamped(merged, covered), signal);
      if ('unavailable' in answer) {
        report.unavailable = answer.unavailable;
        return report;
      }
      if (run > 1 && 'error' in answer) {
        // Refused as a whole: the entries go one by one now, nothing after them was sent.
        for (const r of next) r.solo = true;
        continue;
      }
      covered.forEach((e, k) => {
        const shared: SendAnswer = run > 1 && 'taskUid' in answer ? { ...answer, covered: run } : answer;
        answers[i + k]?.push(shared);
        recordSent(e.requests[e.next] as RequestState, shared);
        e.next += 1;
      });
      if ('taskUid' in answer) {
        const enqueued = covered.filter((e) => e.next === e.requests.length).map((e) => e.logIndex);
        if (enqueued.length > 0) onEnqueued?.(enqueued);
      }
      i += run - 1;
      if (run > 1) break;
    }
  }
  return report;
}

/** The request with its stamp (stamp.ts) when it goes to a documents route: the positions of the requests it covers. */
function stamped(request: PlannedRequest, covered: readonly WindowEntry[]): PlannedRequest {
  if (!stampable(request)) return request;
  const first = covered[0] as WindowEntry;
  const last = covered[covered.length - 1] as WindowEntry;
  const at = (e: WindowEntry) => ({ logIndex: e.logIndex, request: e.next, of: e.requests.length });
  const stamp = { from: at(first), to: at(last) };
  return { ...request, query: stampedQuery(request.query, stamp) };
}

/** One request: the node's task, its outright refusal, or why the node is unavailable. */
async function send(
  client: NodeClient, request: PlannedRequest, signal: AbortSignal,
): Promise<SendAnswer | { unavailable: string }> {
  try {
    const res = await client.request<unknown>({ ...request, signal });
    return answerOf(res.body) ?? { error: unexpected(res.status) };
  } catch (error) {
    if (signal.aborted) throw error;
    if (isRetriable(error)) return { unavailable: error instanceof Error ? error.message : String(error) };
    if (!(error instanceof NodeResponseError)) throw error;
    return { error: asErrorBody(error.body) };
  }
}

const ERROR_TYPES: readonly ErrorType[] = ['invalid_request', 'auth', 'internal', 'system'];

/** A node's error body as the task error Miroir records (Meilisearch's types are a closed set). */
export function asErrorBody(body: NodeErrorBody): ErrorBody {
  const type = (ERROR_TYPES as readonly string[]).includes(body.type) ? (body.type as ErrorType) : 'internal';
  return { message: body.message, code: body.code, type, link: body.link };
}

function unexpected(status: number): ErrorBody {
  return {
    message: `The node answered ${status} without a task.`, code: 'internal', type: 'internal',
    link: 'https://docs.meilisearch.com/errors#internal',
  };
}

/** GET /tasks?uids=…: the node's view of the given tasks. */
export async function pollTasks(client: NodeClient, uids: readonly number[], signal: AbortSignal): Promise<NodeTaskView[]> {
  if (uids.length === 0) return [];
  const res = await client.request<{ results?: NodeTaskView[] }>({
    method: 'GET', path: '/tasks', query: { uids: uids.join(','), limit: uids.length }, signal,
  });
  return Array.isArray(res.body?.results) ? res.body.results : [];
}

/** Tasks per page when resuming (GET /tasks, newest first). */
const LIST_PAGE_MAX = 1_000;

/**
 * The node's newest tasks, newest first, down to the first one stamped at or
 * below `cursor` (what came before it is committed) or the start of the
 * node's list, at most `tasksMax` of them (resume.ts).
 */
export async function listNewestTasks(client: NodeClient, cursor: number, tasksMax: number, signal: AbortSignal): Promise<ListedTask[]> {
  const tasks: ListedTask[] = [];
  let from: number | null = null;
  while (tasks.length < tasksMax) {
    const query: Record<string, string | number> = { limit: Math.min(LIST_PAGE_MAX, tasksMax - tasks.length) };
    if (from !== null) query['from'] = from;
    const res = await client.request<{ results?: ListedTask[]; next?: unknown }>({ method: 'GET', path: '/tasks', query, signal });
    const page = Array.isArray(res.body?.results) ? res.body.results : [];
    for (const task of page) {
      tasks.push(task);
      const stamp = parseStamp(task.customMetadata);
      if (stamp !== null && stamp.to.logIndex <= cursor) return tasks;
    }
    const next = res.body?.next;
    if (page.length === 0 || typeof next !== 'number') return tasks;
    from = next;
  }
  return tasks;
}
