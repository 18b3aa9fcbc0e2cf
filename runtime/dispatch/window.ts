// The pure half of one node's dispatcher (STYLE G3): which committed entries
// become requests for the node, how node task answers settle an entry, the
// contiguous finished prefix that the cursor may pass, and when a cursor
// batch is due. The actor (actors/node-dispatcher.machine.ts) does the I/O.
//
// Vocabulary: the *window* holds, in log order, the entries read for this
// node that have requests; entries with nothing for the node are passed over
// by `readThrough` alone. An entry is *finished* when its outcome is known
// (every request's node task finished, or the node refused a request
// outright with a 4xx). The cursor may pass every entry up to the first
// unfinished one.
//
// Everything here is plain data: the window lives in the actor's context.
import type { ErrorBody } from '../../api/errors/registry.ts';
import { decodeCommand, type ClusterCommand, type ClusterState, type NodeOutcome } from '../cluster/index.ts';
import type { Entry } from '../raft/types.ts';
import { planBytes, planRequests, serializedPlan, type PlannedRequest } from './plan.ts';
import { migrationRequests, type ReadLog } from './replay.ts';

export interface RequestState {
  request: PlannedRequest;
  /** The node task enqueued for it; null until sent (or when answered without a task). */
  taskUid: number | null;
  /** Set once known: the node's outcome for this request. */
  result: { ok: true; counts: Record<string, number> } | { ok: false; error: ErrorBody } | null;
  /** Entries the node task covers when this request was coalesced with the next ones (coalesce.ts). */
  covered?: number;
  /** Never coalesced again: a shared node task failed, so each entry's own answer is needed. */
  solo?: true;
}

/** What the node answered a sent request: its task (covering `covered` entries when coalesced) or a refusal. */
export type SendAnswer = { taskUid: number; covered?: number } | { error: ErrorBody };

export interface WindowEntry {
  logIndex: number;
  bytes: number;
  requests: RequestState[];
  /** Index into `requests` of the next one to send. */
  next: number;
}

/** A node task as GET /tasks shows it (only the fields used). */
export interface NodeTaskView {
  uid: number;
  status: string;
  error?: ErrorBody | null;
  details?: Record<string, unknown> | null;
}

const FINISHED = new Set(['succeeded', 'failed', 'canceled']);
const COUNT_KEYS = ['indexedDocuments', 'deletedDocuments'] as const;

/**
 * Plans committed entries for `nodeId` in order, stopping before the window
 * would exceed `entriesMax` entries or `bytesMax` bytes (at least one entry
 * always fits) and at the state's applied index (a record is only known once
 * applied). Returns the new window entries and the last log index passed.
 */
export function planEntries(
  entries: readonly Entry[], state: Readonly<ClusterState>, nodeId: string,
  room: { entries: number; bytes: number }, readLog?: ReadLog,
): { planned: WindowEntry[]; readThrough: number | null } {
  const planned: WindowEntry[] = [];
  let readThrough: number | null = null;
  let bytes = 0;
  for (const entry of entries) {
    if (entry.index > state.appliedIndex) break;
    const requests = [...serializedPlan(migrationRequests(entry.index, state, nodeId, readLog)), ...entryRequests(entry, state, nodeId)];
    if (requests.length > 0) {
      const size = planBytes(requests);
      if (planned.length >= room.entries || (planned.length > 0 && bytes + size > room.bytes)) break;
      bytes += size;
      planned.push({ logIndex: entry.index, bytes: size, next: 0, requests: requests.map((request) => ({ request, taskUid: null, result: null })) });
    }
    readThrough = entry.index;
  }
  return { planned, readThrough };
}

function entryRequests(entry: Entry, state: Readonly<ClusterState>, nodeId: string): PlannedRequest[] {
  if (entry.payload.kind !== 'command' || entry.payload.data.length === 0) return [];
  const record = state.dispatch.get(entry.index);
  const target = record?.targets.find((t) => t.nodeId === nodeId);
  if (record === undefined || target === undefined) return [];
  if (record.outcomes.some((o) => o.nodeId === nodeId)) return [];
  return serializedPlan(planRequests(decodedCommand(entry.payload.data), target, record.createsIndex));
}

/**
 * Decoded commands by their log bytes. Every node dispatcher reads the same
 * committed entries (the log hands out the same objects), so a batch of
 * documents is decoded once for all of them rather than once per node; the
 * decoded command is never mutated (planning only reads and slices it). Held
 * weakly: an entry's command goes with its bytes.
 */
const decoded = new WeakMap<Uint8Array, ClusterCommand>();

function decodedCommand(data: Uint8Array): ClusterCommand {
  let command = decoded.get(data);
  if (command === undefined) {
    command = decodeCommand(data);
    decoded.set(data, command);
  }
  return command;
}

/**
 * A copy of `entry` whose request states can change without touching the
 * original (actor context is never mutated). The planned requests, bodies
 * included, are shared: nothing ever changes them, and copying megabytes of
 * documents on every poll would cost more than the dispatch itself.
 */
export function copyEntry(entry: WindowEntry): WindowEntry {
  return { ...entry, requests: entry.requests.map((r) => ({ ...r })) };
}

/** Counters from a finished node task's details. */
function countsOf(details: Record<string, unknown> | null | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of COUNT_KEYS) {
    const v = details?.[key];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) counts[key] = v;
  }
  return counts;
}

/** Records what the node answered when the request was sent (its task uid, or an outright refusal). */
export function recordSent(req: RequestState, answer: SendAnswer): void {
  if ('taskUid' in answer) {
    req.taskUid = answer.taskUid;
    if (answer.covered !== undefined && answer.covered > 1) req.covered = answer.covered;
    return;
  }
  req.result = req.request.tolerate?.includes(answer.error.code) ? { ok: true, counts: {} } : { ok: false, error: answer.error };
}

/**
 * Applies polled node tasks to the requests waiting for them; returns how
 * many settled. A coalesced task settles every request it covered: on
 * success each gets its own document count (checked against the node's
 * total); otherwise the covered requests, and everything sent after them, go
 * back to unsent, the covered ones `solo` (see coalesce.ts).
 */
export function recordTasks(window: readonly WindowEntry[], tasks: readonly NodeTaskView[]): number {
  const byUid = new Map(tasks.map((t) => [t.uid, t]));
  const coalescedDocuments = documentsPerCoalescedTask(window);
  let settled = 0;
  for (const [e, entry] of window.entries()) {
    for (const [r, req] of entry.requests.entries()) {
      if (req.result !== null || req.taskUid === null) continue;
      const task = byUid.get(req.taskUid);
      if (task === undefined || !FINISHED.has(task.status)) continue;
      settled += 1;
      const total = coalescedDocuments.get(req.taskUid);
      if (total !== undefined) {
        const own = coalescedResult(req, task, total);
        if (own === null) {
          splitFrom(window, e, r, req.taskUid);
          return settled;
        }
        req.result = own;
      } else if (task.status === 'succeeded') req.result = { ok: true, counts: req.request.countsFrom ? countsOf(task.details) : {} };
      else if (task.error && req.request.tolerate?.includes(task.error.code)) req.result = { ok: true, counts: {} };
      else req.result = { ok: false, error: task.error ?? canceledError(task.uid) };
    }
  }
  return settled;
}

/** Node task uid → documents it carried, for the tasks of coalesced requests. */
function documentsPerCoalescedTask(window: readonly WindowEntry[]): Map<number, number> {
  const totals = new Map<number, number>();
  for (const entry of window) {
    for (const req of entry.requests) {
      if (req.covered === undefined || req.taskUid === null) continue;
      totals.set(req.taskUid, (totals.get(req.taskUid) ?? 0) + (req.request.coalescible?.documents ?? 0));
    }
  }
  return totals;
}

/** A covered request's share of its finished coalesced task, or null when the task's answer must be split. */
function coalescedResult(req: RequestState, task: NodeTaskView, total: number): RequestState['result'] {
  if (task.status !== 'succeeded') return null;
  if (!req.request.countsFrom) return { ok: true, counts: {} };
  const indexed = countsOf(task.details)['indexedDocuments'];
  if (indexed !== total) return null;
  return { ok: true, counts: { indexedDocuments: req.request.coalescible?.documents ?? 0 } };
}

/**
 * Sends again, in log order, everything from request `r` of `window[e]` on:
 * the requests of the node task `taskUid` one by one, the rest as planned.
 * The failed task did nothing, but the node may have applied requests sent
 * after it, which go again: harmless for replacements, deletions and
 * settings replayed in order, not for a partial update followed by a filter
 * delete of the same document in that suffix (the ghost resume.ts avoids on
 * a restart). Keeping the order exactly would mean sending nothing after a
 * coalesced request until it finished, which idles the node.
 */
function splitFrom(window: readonly WindowEntry[], e: number, r: number, taskUid: number): void {
  for (let k = e; k < window.length; k++) {
    const entry = window[k] as WindowEntry;
    const from = k === e ? r : 0;
    for (let j = from; j < entry.requests.length; j++) {
      const req = entry.requests[j] as RequestState;
      if (req.taskUid === taskUid) req.solo = true;
      req.taskUid = null;
      req.result = null;
      delete req.covered;
    }
    entry.next = Math.min(entry.next, from);
  }
}

function canceledError(uid: number): ErrorBody {
  return {
    message: `The node canceled its task ${uid}.`, code: 'internal', type: 'internal', link: 'https://docs.meilisearch.com/errors#internal',
  };
}

/** Node task uids still owed an answer. */
export function awaitedTaskUids(window: readonly WindowEntry[]): number[] {
  const uids = window.flatMap((e) => e.requests.filter((r) => r.result === null && r.taskUid !== null).map((r) => r.taskUid as number));
  return [...new Set(uids)];
}

/**
 * Whether a poll's answer lacks a task the node acknowledged: a node lists
 * every task it enqueued at once, so one that keeps missing was lost (the
 * node came back without its data) and will never finish.
 */
export function lacksAwaitedTask(window: readonly WindowEntry[], tasks: readonly NodeTaskView[]): boolean {
  const listed = new Set(tasks.map((t) => t.uid));
  return awaitedTaskUids(window).some((uid) => !listed.has(uid));
}

/** The outcome of a finished entry (a refused request ends the entry: later ones are not sent), or null. */
export function entryOutcome(entry: WindowEntry, nodeId: string): NodeOutcome | null {
  const counts: Record<string, number> = {};
  for (const req of entry.requests) {
    if (req.result === null) return null;
    if (!req.result.ok) return { nodeId, logIndex: entry.logIndex, status: 'failed', error: req.result.error };
    Object.assign(counts, req.result.counts);
  }
  return { nodeId, logIndex: entry.logIndex, status: 'succeeded', counts };
}

/** Whether the entry's next request may be sent (none refused before it). */
export function hasUnsent(entry: WindowEntry): boolean {
  return entry.next < entry.requests.length && !entry.requests.slice(0, entry.next).some((r) => r.result?.ok === false);
}

/**
 * Takes the finished prefix off the window: its outcomes, and the cursor it
 * allows (every entry read up to the first unfinished one).
 */
export function takeFinished(window: WindowEntry[], readThrough: number, nodeId: string): { cursor: number; outcomes: NodeOutcome[] } {
  const outcomes: NodeOutcome[] = [];
  while (window.length > 0) {
    const first = window[0] as WindowEntry;
    const outcome = hasUnsent(first) ? null : entryOutcome(first, nodeId);
    if (outcome === null) return { cursor: first.logIndex - 1, outcomes };
    outcomes.push(outcome);
    window.shift();
  }
  return { cursor: readThrough, outcomes };
}

export interface CommitPolicy {
  /** Outcomes that make a batch due at once. */
  batchEntriesMax: number;
  /** Longest a finished entry waits for its cursor batch. */
  intervalMs: number;
}

/**
 * Whether to propose a cursor now. A cursor that only passes entries with
 * nothing for any node (cursor and progress entries) is never proposed: that
 * would append an entry that itself needs passing, forever.
 */
export function commitDue(
  p: { pendingCursor: number; committedCursor: number; outcomes: number; windowEmpty: boolean; sinceFirstPendingMs: number },
  lastDispatchIndex: number, policy: CommitPolicy,
): boolean {
  if (p.pendingCursor <= p.committedCursor) return false;
  if (p.outcomes === 0 && p.committedCursor >= lastDispatchIndex) return false;
  return p.windowEmpty || p.outcomes >= policy.batchEntriesMax || p.sinceFirstPendingMs >= policy.intervalMs;
}
