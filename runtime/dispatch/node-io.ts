// The dispatcher's I/O towards its node (the imperative shell around
// window.ts): send planned requests strictly one after another — Meilisearch
// enqueues in arrival order, so one request in flight at a time is what keeps
// the node's order the log's order — and poll node tasks.
//
// Failures: a 4xx answer is the node's verdict on the request (recorded, not
// retried); a transport failure or a 5xx stops the sending, leaving the rest
// for the retry after back-off (the same request is sent again: replaying a
// write in order converges). Nothing here retries by itself (STYLE G13).
import type { ErrorBody, ErrorType } from '../../api/errors/registry.ts';
import { MiroirError } from '../errors.ts';
import { NodeResponseError, type NodeErrorBody } from '../../transport/node-client/errors.ts';
import type { NodeClient } from '../../transport/node-client/node-client.ts';
import { copyEntry, hasUnsent, recordSent, type NodeTaskView, type WindowEntry } from './window.ts';

export interface SendReport {
  /** Per window entry (by log index): the answers of the requests sent now, in order. */
  answers: { logIndex: number; answers: ({ taskUid: number } | { error: ErrorBody })[] }[];
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

/** Sends every unsent request of `window`, in order; works on a copy so the caller folds the report in. */
export async function sendUnsent(client: NodeClient, window: readonly WindowEntry[], signal: AbortSignal): Promise<SendReport> {
  const report: SendReport = { answers: [], unavailable: null };
  for (const original of window) {
    const entry = copyEntry(original);
    const answers: SendReport['answers'][number]['answers'] = [];
    report.answers.push({ logIndex: entry.logIndex, answers });
    while (hasUnsent(entry)) {
      const req = entry.requests[entry.next];
      if (req === undefined) break;
      let answer: { taskUid: number } | { error: ErrorBody };
      try {
        const res = await client.request<unknown>({ ...req.request, signal });
        answer = answerOf(res.body) ?? { error: unexpected(res.status) };
      } catch (error) {
        if (signal.aborted) throw error;
        if (isRetriable(error)) {
          report.unavailable = error instanceof Error ? error.message : String(error);
          return report;
        }
        if (!(error instanceof NodeResponseError)) throw error;
        answer = { error: asErrorBody(error.body) };
      }
      answers.push(answer);
      recordSent(req, answer);
      entry.next += 1;
    }
  }
  return report;
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
