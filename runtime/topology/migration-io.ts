// The I/O of one migration (ARCHITECTURE §6), one function per committed
// phase; each does its work and commits the next phase. The migration actor
// (actors/migration.machine.ts) calls the one of the committed phase, so a
// new leader resumes where the log says (a copy restarts from scratch:
// writing the same documents again converges).
//
// - hold: the source has finished every write up to P (its cursor), and the
//   target has created the index at P (its cursor too) → `copy`.
// - copy: the target's stale copy of the shard is deleted, then the source's
//   documents of the shard are read page by page (POST documents/fetch with
//   `_miroir_shard = s`) and written to the target as ordinary adds. R is the
//   source's cursor when the pass starts: the copy holds every write up to R
//   and maybe some after. A delete of the shard in (R, pass end] is run again
//   (bounded): pages are by offset, so it could shift a document past the
//   reader, and replaying a partial update the source had already followed
//   by a delete would re-create the document. Otherwise → `replay` with R
//   (the release: from here the target's dispatcher replays (R, H) and
//   follows the shard).
// - replay: the target's cursor passed H → `verify`.
// - verify: once both nodes applied the log up to the same point, the shard's
//   documents (primary key and content) are compared; writes keep flowing,
//   so a difference is retried a bounded number of times → `cutover`, or
//   `failed` with the difference: never cut over on a mismatch.
// - cleanup (after the job's cut-over): the old owners that no longer own the
//   shard delete it with a filter delete, once they applied everything before
//   the cut-over → `done`.
import { delay } from '../env/delay.ts';
import { decodeCommand, servingByGroup, type ClusterCommand, type ClusterState, type MigrationRecord } from '../cluster/index.ts';
import type { CommittedLog, DispatchServices } from '../dispatch/services.ts';
import { SHARD_FIELD } from '../routing/index.ts';
import type { NodeClient } from '../../transport/node-client/node-client.ts';
import type { TopologyLimits } from './limits.ts';
import type { PlaceShard } from './plan.ts';

/** What a migration needs of the leader: the dispatchers' view of the log, state and nodes, plus placement and its limits. */
export interface MigrationServices extends Pick<DispatchServices, 'log' | 'state' | 'client' | 'propose' | 'onApplied' | 'clock'> {
  readonly place: PlaceShard;
  readonly limits: TopologyLimits;
}

export class MigrationError extends Error {}

type Phase = MigrationRecord['phase'];

/** How often a copy commits its progress counters. */
const PROGRESS_EVERY_MS = 1_000;

function current(s: MigrationServices, id: string): Readonly<MigrationRecord> {
  const m = s.state().migrations.get(id);
  if (m === undefined) throw new MigrationError(`migration ${id} is no longer in the cluster state`);
  return m;
}

async function commit(s: MigrationServices, id: string, phase: Phase, extra: { copied?: number; total?: number; copiedThrough?: number; error?: string } = {}): Promise<void> {
  await s.propose({ v: 1, kind: 'migration.phase', id, phase, nowMs: s.clock.nowMs(), ...extra });
}

/** Resolves once `ready()` holds, looking again on every apply and every pollMs. */
export async function waitUntil(s: MigrationServices, ready: () => boolean, signal: AbortSignal): Promise<void> {
  while (!ready()) {
    let wake: () => void = () => undefined;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const off = s.onApplied(() => wake());
    try {
      await Promise.race([woken, delay(s.clock, s.limits.pollMs, signal)]);
    } finally {
      off();
    }
    signal.throwIfAborted();
  }
}

/** Whether the node finished every write up to `index` (its committed cursor; a cursor stops at the last entry for any node). */
function caughtUp(state: Readonly<ClusterState>, nodeId: string, index: number): boolean {
  const cursor = state.cursors.get(nodeId);
  return cursor !== undefined && cursor >= Math.min(index, Math.max(state.lastDispatchIndex, cursor));
}

/**
 * The node the copy and the verification read: among the serving owners at P
 * that are still there (not the target), an active one first — with RF > 1 a
 * draining node's replica is as good and the draining node may be on its way out.
 */
export function sourceOf(state: Readonly<ClusterState>, m: Readonly<MigrationRecord>): string {
  const live = m.from.filter((id) => id !== m.to && state.nodes.get(id) !== undefined && state.nodes.get(id)?.state !== 'removed');
  const source = live.find((id) => state.nodes.get(id)?.state === 'active') ?? live[0];
  if (source === undefined) throw new MigrationError(`migration ${m.id}: no source node left among ${m.from.join(', ')}`);
  return source;
}

export async function runHold(s: MigrationServices, id: string, signal: AbortSignal): Promise<void> {
  const m = current(s, id);
  await waitUntil(s, () => {
    const state = s.state();
    return caughtUp(state, sourceOf(state, m), m.fromLogIndex) && (state.cursors.get(m.to) ?? 0) >= m.fromLogIndex;
  }, signal);
  await commit(s, id, 'copy');
}

const shardFilter = (shard: number): string => `${SHARD_FIELD} = ${shard}`;
const docsPath = (uid: string, rest = ''): string => `/indexes/${encodeURIComponent(uid)}/documents${rest}`;

async function waitTask(s: MigrationServices, client: NodeClient, taskUid: number, signal: AbortSignal): Promise<void> {
  const deadline = s.clock.nowMs() + s.limits.taskTimeoutMs;
  for (;;) {
    const res = await client.request<{ status?: string; error?: { message?: string } | null }>({ method: 'GET', path: `/tasks/${taskUid}`, signal });
    if (res.body.status === 'succeeded') return;
    if (res.body.status === 'failed' || res.body.status === 'canceled') {
      throw new MigrationError(`node ${client.nodeId} task ${taskUid} ${res.body.status}: ${res.body.error?.message ?? 'no error'}`);
    }
    if (s.clock.nowMs() > deadline) throw new MigrationError(`node ${client.nodeId} task ${taskUid} still ${res.body.status} after ${s.limits.taskTimeoutMs} ms`);
    await delay(s.clock, 20, signal);
  }
}

async function enqueue(client: NodeClient, req: Parameters<NodeClient['request']>[0]): Promise<number> {
  const res = await client.request<{ taskUid?: unknown }>(req);
  const uid = res.body.taskUid;
  if (typeof uid !== 'number') throw new MigrationError(`node ${client.nodeId} answered ${req.method} ${req.path} without a task`);
  return uid;
}

type Doc = Record<string, unknown>;

/** Every document of shard `shard` of `uid` on the node, page by page. */
async function* shardPages(client: NodeClient, uid: string, shard: number, pageSize: number, signal: AbortSignal): AsyncGenerator<{ docs: Doc[]; total: number }> {
  for (let offset = 0; ; offset += pageSize) {
    const res = await client.request<{ results?: Doc[]; total?: number }>({
      method: 'POST', path: docsPath(uid, '/fetch'), body: { filter: shardFilter(shard), limit: pageSize, offset }, signal,
    });
    const docs = res.body.results ?? [];
    yield { docs, total: res.body.total ?? docs.length };
    if (docs.length < pageSize) return;
  }
}

/** Whether an entry of (from, to] removes documents of the shard (the reason a paged read could skip one). */
function deletesInShard(log: CommittedLog, m: Readonly<MigrationRecord>, from: number, to: number): boolean {
  let next = from + 1;
  while (next <= to) {
    const batch = log.readCommitted(next, 1 << 20);
    if (batch.length === 0) return false;
    for (const entry of batch) {
      if (entry.index > to) return false;
      if (entry.payload.kind !== 'command' || entry.payload.data.length === 0) continue;
      const c = decodeCommand(entry.payload.data);
      if (!('indexUid' in c) || c.indexUid !== m.indexUid) continue;
      if (c.kind === 'documents.deleteFilter' || c.kind === 'documents.clear') return true;
      if (c.kind === 'documents.deleteIds' && c.byShard[m.shard] !== undefined) return true;
    }
    next = (batch[batch.length - 1]?.index ?? to) + 1;
  }
  return false;
}

export async function runCopy(s: MigrationServices, id: string, signal: AbortSignal): Promise<void> {
  const m = current(s, id);
  const index = s.state().indexes.get(m.indexUid);
  if (index === undefined) return; // deleted meanwhile: apply ends the migration
  const source = s.client(sourceOf(s.state(), m));
  const target = s.client(m.to);
  const pk = index.primaryKey;
  for (let pass = 1; ; pass++) {
    await waitTask(s, target, await enqueue(target, { method: 'POST', path: docsPath(m.indexUid, '/delete'), body: { filter: shardFilter(m.shard) }, signal }), signal);
    // R: the source's committed cursor at the pass start (≥ P once held) — it had
    // applied everything up to R before this pass read a page, so the pass holds (P, R].
    const copiedThrough = Math.max(m.fromLogIndex, s.state().cursors.get(source.nodeId) ?? 0);
    let copied = 0;
    let total = 0;
    let last: number | null = null;
    const startedMs = s.clock.nowMs();
    let progressAtMs = startedMs;
    for await (const page of shardPages(source, m.indexUid, m.shard, s.limits.copyPageSize, signal)) {
      total = page.total;
      if (page.docs.length === 0) continue;
      for (const doc of page.docs) {
        if (doc[SHARD_FIELD] !== m.shard) throw new MigrationError(`node ${source.nodeId} returned a document of shard ${String(doc[SHARD_FIELD])} for shard ${m.shard}`);
      }
      const query: Record<string, string> = pk === null ? {} : { primaryKey: pk };
      last = await enqueue(target, { method: 'POST', path: docsPath(m.indexUid), query, body: page.docs, signal });
      copied += page.docs.length;
      await throttle(s, copied, startedMs, signal);
      if (s.clock.nowMs() - progressAtMs >= PROGRESS_EVERY_MS) {
        // Progress for GET /_miroir/migrations (and ctl's bars): the same phase with its counters.
        progressAtMs = s.clock.nowMs();
        await commit(s, id, 'copy', { copied, total });
      }
    }
    if (last !== null) await waitTask(s, target, last, signal);
    const after = s.log.appliedIndex();
    // A delete of (R, after] may have been applied by the source before or during
    // the pass: the replay from R would then re-create, from a partial update, a
    // document the copy rightly lacks (and a filter delete would no longer match
    // it). Without one, replaying adds and partial updates over the copy converges.
    if (!deletesInShard(s.log, m, copiedThrough, after)) {
      await commit(s, id, 'replay', { copied, total, copiedThrough });
      return;
    }
    if (pass >= s.limits.copyPassesMax) {
      throw new MigrationError(`the source kept deleting documents of shard ${m.shard} during ${pass} copy passes`);
    }
  }
}

async function throttle(s: MigrationServices, copied: number, startedMs: number, signal: AbortSignal): Promise<void> {
  if (s.limits.copyDocsPerSecond <= 0) return;
  const dueMs = startedMs + (copied / s.limits.copyDocsPerSecond) * 1000;
  const waitMs = dueMs - s.clock.nowMs();
  if (waitMs > 0) await delay(s.clock, waitMs, signal);
}

export async function runReplay(s: MigrationServices, id: string, signal: AbortSignal): Promise<void> {
  const m = current(s, id);
  const released = m.releasedAt ?? m.fromLogIndex;
  await waitUntil(s, () => (s.state().cursors.get(m.to) ?? 0) >= released, signal);
  await commit(s, id, 'verify');
}

/** pk → canonical JSON of every document of the shard on the node. */
async function shardDigest(client: NodeClient, m: Readonly<MigrationRecord>, pk: string, pageSize: number, signal: AbortSignal): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const page of shardPages(client, m.indexUid, m.shard, pageSize, signal)) {
    for (const doc of page.docs) out.set(String(doc[pk]), canonical(doc));
  }
  return out;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** How two digests differ, or null when equal. */
export function digestDifference(source: ReadonlyMap<string, string>, target: ReadonlyMap<string, string>): string | null {
  let missing = 0;
  let extra = 0;
  let changed = 0;
  for (const [k, v] of source) {
    const t = target.get(k);
    if (t === undefined) missing += 1;
    else if (t !== v) changed += 1;
  }
  for (const k of target.keys()) if (!source.has(k)) extra += 1;
  if (missing + extra + changed === 0) return null;
  return `source ${source.size} documents, target ${target.size}: ${missing} missing, ${extra} extra, ${changed} different`;
}

export async function runVerify(s: MigrationServices, id: string, signal: AbortSignal): Promise<void> {
  const m = current(s, id);
  const pk = s.state().indexes.get(m.indexUid)?.primaryKey;
  if (pk === undefined) return; // deleted meanwhile: apply ends the migration
  let difference = 'not compared';
  for (let attempt = 1; attempt <= s.limits.verifyAttemptsMax; attempt++) {
    const upTo = s.log.appliedIndex();
    await waitUntil(s, () => {
      const state = s.state();
      return caughtUp(state, sourceOf(state, m), upTo) && caughtUp(state, m.to, upTo);
    }, signal);
    if (pk === null) {
      difference = 'the index has no primary key';
      break;
    }
    const target = await shardDigest(s.client(m.to), m, pk, s.limits.copyPageSize, signal);
    const source = await shardDigest(s.client(sourceOf(s.state(), m)), m, pk, s.limits.copyPageSize, signal);
    const diff = digestDifference(source, target);
    if (diff === null) {
      await commit(s, id, 'cutover', { copied: target.size, total: source.size });
      return;
    }
    difference = diff;
    await delay(s.clock, s.limits.verifyRetryMs, signal);
  }
  await commit(s, id, 'failed', { error: `verification failed after ${s.limits.verifyAttemptsMax} comparisons: ${difference}` });
}

export async function runCleanup(s: MigrationServices, id: string, signal: AbortSignal): Promise<void> {
  const m = current(s, id);
  const state = s.state();
  const cutoverAt = state.jobs.get(m.jobId)?.cutoverAt ?? state.appliedIndex;
  const serving = servingByGroup(state).get(m.group) ?? [];
  const owners = serving.length === 0 ? [] : s.place(m.shard, serving, state.settings.rf);
  // Only this group's old owners: a group being added is synced from another group, whose copy stays.
  const stale = m.from.filter((n) => !owners.includes(n) && state.nodes.get(n)?.group === m.group && state.nodes.get(n)?.state !== 'removed');
  for (const nodeId of stale) {
    await waitUntil(s, () => caughtUp(s.state(), nodeId, cutoverAt - 1), signal);
    if (!s.state().indexes.has(m.indexUid)) break;
    const client = s.client(nodeId);
    await waitTask(s, client, await enqueue(client, { method: 'POST', path: docsPath(m.indexUid, '/delete'), body: { filter: shardFilter(m.shard) }, signal }), signal);
  }
  await commit(s, id, 'done');
}
