// The mark a node dispatcher puts on every documents request it sends, as
// Meilisearch's `customMetadata` query parameter, which the node echoes in
// the task it enqueues. On a restart the dispatcher reads its node's newest
// tasks and resumes exactly after the newest marked one (resume.ts), so no
// write the node already enqueued is sent twice. Pure.
//
// Format (one string, at most a few dozen bytes):
//
//   miroir:<position>            one request
//   miroir:<position>-<position> one coalesced request covering the last
//                                requests of consecutive entries, first and
//                                last position (coalesce.ts)
//   <position> = <logIndex> | <logIndex>.<k>/<n>
//
// where `logIndex` is the committed log entry, `n` the number of requests
// the entry gives this node (plan.ts) and `k` this one's place among them,
// both written only when n > 1: `miroir:12` is entry 12's only request,
// `miroir:12.2/3` the third of three (a write that creates its index: POST
// /indexes, PATCH settings, then the documents), `miroir:12.2/3-15` a
// request that covered the last requests of entries 12 to 15. `n` guards
// against a plan that changed in between (a migration that failed drops the
// requests it had added to an entry): a position only matches a request of
// a plan of the same length.
//
// Which requests carry it: Meilisearch accepts `customMetadata` on the
// documents routes only (add or replace, add or update, delete one, delete
// a batch, delete by filter, clear, edit: Meilisearch 1.26). The index,
// swap and settings routes do not take it (our engine does, Meilisearch does
// not, and Miroir relies on nothing the engine adds), so index creation,
// update, deletion, swap and settings go unmarked (resume.ts says how those
// still resume right).
import type { PlannedRequest } from './plan.ts';

/** Where a request stands in a dispatcher's stream: entry `logIndex`, its `request`-th request for the node of `of`. */
export interface RequestPosition {
  logIndex: number;
  request: number;
  of: number;
}

/** The requests one node task covers, first to last (equal unless coalesced). */
export interface Stamp {
  from: RequestPosition;
  to: RequestPosition;
}

const PREFIX = 'miroir:';
const POSITION = String.raw`(\d{1,15})(?:\.(\d{1,6})\/(\d{1,6}))?`;
const STAMP = new RegExp(`^${PREFIX}${POSITION}(?:-${POSITION})?$`);
const DOCUMENTS_ROUTE = /^\/indexes\/[^/]+\/documents(?:\/delete|\/delete-batch|\/edit)?$/;

function formatPosition(p: RequestPosition): string {
  return p.of === 1 ? String(p.logIndex) : `${p.logIndex}.${p.request}/${p.of}`;
}

export function formatStamp(stamp: Stamp): string {
  const from = formatPosition(stamp.from);
  return comparePositions(stamp.from, stamp.to) === 0 ? `${PREFIX}${from}` : `${PREFIX}${from}-${formatPosition(stamp.to)}`;
}

/** The stamp in a task's customMetadata, or null when it holds none (another sender's task, a client's metadata). */
export function parseStamp(value: unknown): Stamp | null {
  if (typeof value !== 'string') return null;
  const m = STAMP.exec(value);
  if (m === null) return null;
  const from = position(m[1], m[2], m[3]);
  const to = m[4] === undefined ? from : position(m[4], m[5], m[6]);
  if (from === null || to === null || comparePositions(from, to) > 0) return null;
  return { from, to };
}

function position(logIndex: string | undefined, request: string | undefined, of: string | undefined): RequestPosition | null {
  const p = { logIndex: Number(logIndex), request: Number(request ?? 0), of: Number(of ?? 1) };
  if (p.logIndex < 1 || p.request >= p.of || (of !== undefined && p.of < 2)) return null;
  return p;
}

/** Log order of two positions: negative when `a` comes first (`of` is not an order). */
export function comparePositions(a: RequestPosition, b: RequestPosition): number {
  return a.logIndex !== b.logIndex ? a.logIndex - b.logIndex : a.request - b.request;
}

/** Whether a real Meilisearch accepts `customMetadata` on this request (the documents routes). */
export function stampable(request: Pick<PlannedRequest, 'method' | 'path'>): boolean {
  return request.method !== 'GET' && DOCUMENTS_ROUTE.test(request.path);
}

/** The request's query with the stamp added. */
export function stampedQuery(query: Readonly<Record<string, string>> | undefined, stamp: Stamp): Record<string, string> {
  return { ...query, customMetadata: formatStamp(stamp) };
}
