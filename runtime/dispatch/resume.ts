// Where a restarted node dispatcher goes on (a new leader, or the same one
// after an unexpected error dropped its window), so that the node receives
// every request exactly once. Pure: the node's newest tasks and the entries
// of the committed log in, the window to go on with out; the actor
// (actors/node-dispatcher.machine.ts) does the I/O.
//
// Why not replay from the committed cursor: the node may already have
// enqueued, and applied, requests after it, and a documents write replayed
// is not harmless. A partial update (PUT, a shallow merge) of d and then a
// filter delete that removed d, sent again, recreate d with only its
// updated fields and no longer match it: a ghost on that replica.
//
// How: every documents request carries its position as a stamp (stamp.ts).
// The newest stamped task on the node ends at position R; everything up to R
// was sent before it, in order, so the window of (cursor, R] is planned
// again and each request takes the node task that already holds it, matched
// backwards from R through the node's tasks, newest first:
// - a documents request takes the task with its stamp (the newest one: after
//   a coalesced task failed, its entries went again one by one, and those
//   are the live ones); a coalesced task is taken by every request it covers;
// - an index or settings request (no stamp, Meilisearch takes none there)
//   takes the newest unstamped task of its type and index; the search never
//   crosses the task of an earlier stamped request, where its own task
//   cannot be (tasks are enqueued in the order they were sent).
// The index and settings requests right after R (up to the next documents
// request) may have reached the node too: they take, in order, the
// unstamped tasks newer than R's of their type and index; the first one
// without such a task ends the adoption (nothing after it was sent).
// Adopted requests count as sent: their node tasks are polled and settle the
// entries exactly as if this dispatcher had sent them, and the node's
// outcome of a finished task is the entry's. Everything else is sent.
//
// What is sent again:
// - a request of (cursor, R] whose task is not found: the node refused it
//   when it was sent (a 4xx leaves no task; nothing of it was applied, and
//   the same request is refused again), or its task is older than the tasks
//   read (a node with a very long, busy task list), or the entry's plan
//   changed since (a migration that failed no longer adds its requests: the
//   stamp's request count differs, so no task is taken for the wrong one);
// - everything after the cursor when no stamped task is newer than it: the
//   node never received any of it, or came back without its data (wiped),
//   or received only index and settings requests since the cursor. Those
//   replayed in order mostly converge (a settings patch sets what it names;
//   creating an existing index is tolerated), but a deletion replayed fails
//   with index_not_found and a swap replayed swaps back: with no stamped
//   task to anchor them, their tasks cannot be told from older ones.
import type { PlannedRequest } from './plan.ts';
import { comparePositions, parseStamp, stampable, type RequestPosition, type Stamp } from './stamp.ts';
import { copyEntry, type WindowEntry } from './window.ts';

/** A node task as GET /tasks lists it (the fields resuming reads). */
export interface ListedTask {
  uid: number;
  type?: string;
  indexUid?: string | null;
  customMetadata?: string;
}

interface Candidate {
  uid: number;
  stamp: Stamp | null;
  type: string | null;
  indexUid: string | null;
}

interface Slot {
  at: RequestPosition;
  request: PlannedRequest;
}

/** The position after which the dispatcher resumes: the end of the node's newest stamped task, when past `cursor`. */
export function resumePoint(tasks: readonly ListedTask[], cursor: number): RequestPosition | null {
  let newest: { uid: number; stamp: Stamp } | null = null;
  for (const task of tasks) {
    const stamp = parseStamp(task.customMetadata);
    if (stamp !== null && (newest === null || task.uid > newest.uid)) newest = { uid: task.uid, stamp };
  }
  return newest !== null && newest.stamp.to.logIndex > cursor ? newest.stamp.to : null;
}

/**
 * The window `planned` (the node's entries after the cursor, in log order,
 * through `through.logIndex` at least) with every request the node holds
 * marked sent with its node task: those up to `through` found in `tasks`,
 * and the unstamped ones right after it found among the tasks newer than
 * `through`'s. Each entry's sent requests are a prefix (a request is only
 * sent after the ones before it): past the first request without a task,
 * the entry's requests go again.
 */
export function adoptEnqueued(planned: readonly WindowEntry[], tasks: readonly ListedTask[], through: RequestPosition): WindowEntry[] {
  const all = candidates(tasks);
  const slots = slotsOf(planned);
  const found = matchTasks(slots.filter((slot) => comparePositions(slot.at, through) <= 0), all);
  matchAfter(slots.filter((slot) => comparePositions(slot.at, through) > 0), all, found);
  return planned.map((original) => {
    const entry = copyEntry(original);
    for (const [k, state] of entry.requests.entries()) {
      const hit = found.get(key({ logIndex: entry.logIndex, request: k, of: entry.requests.length }));
      if (hit === undefined) break;
      state.taskUid = hit.taskUid;
      if (hit.covered > 1) state.covered = hit.covered;
      entry.next = k + 1;
    }
    return entry;
  });
}

/** Every request of `planned`, in log order, with its position. */
function slotsOf(planned: readonly WindowEntry[]): Slot[] {
  return planned.flatMap((entry) => entry.requests.map((state, k) => ({
    at: { logIndex: entry.logIndex, request: k, of: entry.requests.length }, request: state.request,
  })));
}

function candidates(tasks: readonly ListedTask[]): Candidate[] {
  return [...tasks].sort((a, b) => b.uid - a.uid).map((t) => ({
    uid: t.uid, stamp: parseStamp(t.customMetadata), type: t.type ?? null, indexUid: t.indexUid ?? null,
  }));
}

const key = (at: RequestPosition) => `${at.logIndex}.${at.request}`;

/** Position key → the node task holding that request, walking both lists backwards. */
function matchTasks(slots: readonly Slot[], tasks: readonly Candidate[]): Map<string, { taskUid: number; covered: number }> {
  const found = new Map<string, { taskUid: number; covered: number }>();
  let from = 0;
  for (let i = slots.length - 1; i >= 0; i--) {
    const slot = slots[i] as Slot;
    const t = findTask(tasks, from, slot);
    if (t === null) continue;
    const task = tasks[t] as Candidate;
    from = t + 1;
    // A coalesced task holds every request from its stamp's first position to this one.
    let first = i;
    while (task.stamp !== null && first > 0 && comparePositions((slots[first - 1] as Slot).at, task.stamp.from) >= 0) first -= 1;
    for (let j = first; j <= i; j++) found.set(key((slots[j] as Slot).at), { taskUid: task.uid, covered: i - first + 1 });
    i = first;
  }
  return found;
}

/**
 * Adds to `found` the unstamped requests after `through` that the node holds:
 * in order, each takes the oldest task newer than the newest stamped one
 * (`through`'s) with its type and index; the first without one, or the first
 * documents request, ends it.
 */
function matchAfter(slots: readonly Slot[], tasks: readonly Candidate[], found: Map<string, { taskUid: number; covered: number }>): void {
  const newestStamped = tasks.findIndex((t) => t.stamp !== null);
  const newer = tasks.slice(0, Math.max(0, newestStamped)).reverse();
  let from = 0;
  for (const slot of slots) {
    const signature = stampable(slot.request) ? null : taskSignature(slot.request);
    if (signature === null) return;
    const t = newer.findIndex((task, i) => i >= from && task.type === signature.type && task.indexUid === signature.indexUid);
    if (t < 0) return;
    found.set(key(slot.at), { taskUid: (newer[t] as Candidate).uid, covered: 1 });
    from = t + 1;
  }
}

/** Index in `tasks` (newest first) of the task holding `slot`'s request, searched from `from`, or null. */
function findTask(tasks: readonly Candidate[], from: number, slot: Slot): number | null {
  const marked = stampable(slot.request);
  const signature = marked ? null : taskSignature(slot.request);
  for (let t = from; t < tasks.length; t++) {
    const task = tasks[t] as Candidate;
    if (task.stamp !== null) {
      const order = comparePositions(task.stamp.to, slot.at);
      // Same position of a plan of another length: another request, sent before the plan changed.
      if (order === 0 && marked && task.stamp.to.of === slot.at.of) return t;
      // The task of an earlier request: this one's would be newer.
      if (order < 0) return null;
      continue;
    }
    if (signature !== null && task.type === signature.type && task.indexUid === signature.indexUid) return t;
  }
  return null;
}

/** The type and index of the node task an unstamped (index or settings) request enqueues; null for any other. */
export function taskSignature(request: PlannedRequest): { type: string; indexUid: string | null } | null {
  const { method, path } = request;
  if (method === 'POST' && path === '/swap-indexes') return { type: 'indexSwap', indexUid: null };
  if (method === 'POST' && path === '/indexes') return { type: 'indexCreation', indexUid: createdUid(request.body) };
  const m = /^\/indexes\/([^/]+)(\/settings)?$/.exec(path);
  if (m === null) return null;
  const uid = decodeURIComponent(m[1] as string);
  if (m[2] !== undefined) return method === 'PATCH' ? { type: 'settingsUpdate', indexUid: uid } : null;
  if (method === 'PATCH') return { type: 'indexUpdate', indexUid: uid };
  return method === 'DELETE' ? { type: 'indexDeletion', indexUid: uid } : null;
}

function createdUid(body: unknown): string | null {
  const parsed: unknown = typeof body === 'string' ? JSON.parse(body) : body;
  const uid = (parsed as { uid?: unknown } | null)?.uid;
  return typeof uid === 'string' ? uid : null;
}
