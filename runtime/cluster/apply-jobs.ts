// Applies topology jobs and their migrations (ARCHITECTURE §6). The leader's
// rebalancer and migration actors (actors/rebalancer.machine.ts,
// actors/migration.machine.ts) drive the I/O; every durable step is one of
// these commands, so a new leader resumes each migration at its committed phase.
//
// - `topology.job` changes the node (join: a new `joining` node; drain:
//   `draining`), then plans at this log index P the moves the change needs
//   (runtime/topology/plan.ts) as migrations in phase `hold`. Nothing to move:
//   the job cuts over and succeeds at once.
// - `migration.phase` moves one migration forward:
//     hold → copy → replay → verify → cutover, (job.cutover) → cleanup → done;
//   `failed` from any phase before the cut-over fails the job and its other
//   unfinished migrations (the nodes keep their states; a later rebalance
//   plans again). Entering `replay` releases the target: it records H, the
//   log index from which the target receives the shard as an ordinary target.
// - `job.cutover` (every migration verified) commits the node states:
//   joining → active, draining → removed; its migrations go to `cleanup`.
// - An index deleted while migrating: its migrations are done (nothing left
//   to move). Renamed or swapped: the job fails (the copy cannot follow).
//
// Invariants: at most one job runs; a migration belongs to exactly one job;
// finished jobs beyond JOBS_KEPT are dropped with their migrations (STYLE G14).
import { assert } from '../assert.ts';
import { planMoves } from '../topology/plan.ts';
import type { JobCutoverCommand, MigrationPhaseCommand, NodeState, TopologyJobCommand } from './commands.ts';
import { APPLIED, ignored, rejected, type ApplyResult } from './apply-result.ts';
import { forgetTargets, pruneUndispatchable, type ApplyContext } from './apply-dispatch.ts';
import { compareKeys } from './decode-fields.ts';
import type { ClusterState, JobRecord, MigrationPhase, MigrationRecord } from './state.ts';
import { futureByGroup } from './topology-sets.ts';

/** Finished jobs kept for GET /_miroir/rebalance and /_miroir/migrations. */
export const JOBS_KEPT = 16;

const NEXT_PHASE: Readonly<Record<MigrationPhase, MigrationPhase | null>> = {
  hold: 'copy', copy: 'replay', replay: 'verify', verify: 'cutover', cutover: null, cleanup: 'done', done: null, failed: null,
};
const FAILABLE: ReadonlySet<MigrationPhase> = new Set(['hold', 'copy', 'replay', 'verify']);

export function runningJob(state: Readonly<ClusterState>): JobRecord | null {
  for (const job of state.jobs.values()) if (job.status === 'running') return job;
  return null;
}

export function migrationsOf(state: Readonly<ClusterState>, jobId: string): MigrationRecord[] {
  return [...state.migrations.values()].filter((m) => m.jobId === jobId);
}

function inProgress(job: JobRecord): ApplyResult {
  return rejected('miroir_topology_change_in_progress', `Topology job \`${job.id}\` (${job.kind}) is still running; wait for it to finish.`);
}

export function applyTopologyJob(state: ClusterState, c: TopologyJobCommand, logIndex: number, ctx: ApplyContext | undefined): ApplyResult {
  if (ctx === undefined) return rejected('miroir_invalid_topology', 'This replica cannot place shards (no placement at apply).');
  const running = runningJob(state);
  if (running !== null) return inProgress(running);
  const refused = changeNode(state, c, logIndex);
  if (refused !== null) return refused;
  const job: JobRecord = {
    id: `job-${logIndex}`, kind: c.job, nodeId: c.job === 'group' ? (c.group ?? null) : (c.nodeId ?? null), status: 'running', reason: c.reason ?? null,
    startedAt: logIndex, cutoverAt: null, startedAtMs: c.nowMs, finishedAtMs: null,
  };
  state.jobs.set(job.id, job);
  planMoves(state, ctx.placeShard).forEach((move, n) => {
    const id = `${job.id}.${n}`;
    state.migrations.set(id, {
      id, jobId: job.id, ...move, phase: 'hold', fromLogIndex: logIndex, releasedAt: null,
      copied: 0, total: 0, error: null, startedAtMs: c.nowMs, updatedAtMs: c.nowMs,
    });
  });
  if (migrationsOf(state, job.id).length === 0) {
    cutOver(state, job, logIndex, c.nowMs);
    finishJob(state, job, 'succeeded', null, c.nowMs);
  } else {
    // The targets' dispatchers set the indexes up at P (runtime/dispatch/replay.ts): their cursors must pass it.
    state.lastDispatchIndex = logIndex;
  }
  return APPLIED;
}

/** The node change a job starts with, or the refusal (nothing changed). */
function changeNode(state: ClusterState, c: TopologyJobCommand, logIndex: number): ApplyResult | null {
  if (c.job === 'rebalance') return null;
  if (c.job === 'group') return addGroup(state, c, logIndex);
  const id = c.nodeId as string;
  if (c.job === 'join') {
    const group = c.group as string;
    if (!state.groups.has(group)) return rejected('miroir_unknown_group', `Group \`${group}\` not found.`);
    if (state.nodes.has(id)) return rejected('miroir_invalid_topology', `Node id \`${id}\` is already in use.`);
    state.nodes.set(id, { id, url: c.url as string, group, state: 'joining', addedAtMs: c.nowMs, stateChangedAtMs: c.nowMs });
    // From P itself: the node's dispatcher creates the migrating indexes there (runtime/dispatch/replay.ts).
    state.cursors.set(id, logIndex - 1);
    return null;
  }
  const node = state.nodes.get(id);
  if (node === undefined || node.state === 'removed') return rejected('miroir_unknown_node', `Node \`${id}\` not found.`);
  if (node.state !== 'active') return rejected('miroir_invalid_topology', `Node \`${id}\` is ${node.state}: only an active node can be drained.`);
  const others = (futureByGroup(state).get(node.group) ?? []).filter((n) => n !== id);
  if (others.length === 0 && state.indexes.size > 0) {
    return rejected('miroir_invalid_topology', `Node \`${id}\` is the last node of group \`${node.group}\`: its shards would have nowhere to go (remove the group instead).`);
  }
  setNodeState(state, id, 'draining', c.nowMs);
  return null;
}

/** A new group whose nodes all join: placement syncs every shard into it from a serving group (plan.ts). */
function addGroup(state: ClusterState, c: TopologyJobCommand, logIndex: number): ApplyResult | null {
  const group = c.group as string;
  const nodes = c.nodes ?? [];
  if (state.groups.has(group)) return rejected('miroir_invalid_topology', `Group \`${group}\` already exists.`);
  const taken = nodes.find((n, i) => state.nodes.has(n.id) || nodes.findIndex((o) => o.id === n.id) !== i);
  if (taken !== undefined) return rejected('miroir_invalid_topology', `Node id \`${taken.id}\` is already in use.`);
  state.groups.set(group, { id: group, createdAtMs: c.nowMs });
  for (const n of nodes) {
    state.nodes.set(n.id, { id: n.id, url: n.url, group, state: 'joining', addedAtMs: c.nowMs, stateChangedAtMs: c.nowMs });
    state.cursors.set(n.id, logIndex - 1);
  }
  return null;
}

function setNodeState(state: ClusterState, id: string, to: NodeState, nowMs: number): void {
  const node = state.nodes.get(id);
  assert(node !== undefined, `node ${id} exists`);
  node.state = to;
  node.stateChangedAtMs = nowMs;
  if (to === 'removed') {
    state.cursors.delete(id);
    forgetTargets(state, new Set([id]), nowMs);
  }
}

/** Joining nodes become active, draining ones removed: the future placement becomes the serving one. */
function cutOver(state: ClusterState, job: JobRecord, logIndex: number, nowMs: number): void {
  for (const node of [...state.nodes.values()].sort((a, b) => compareKeys(a.id, b.id))) {
    if (node.state === 'joining') setNodeState(state, node.id, 'active', nowMs);
    else if (node.state === 'draining') setNodeState(state, node.id, 'removed', nowMs);
  }
  pruneUndispatchable(state);
  job.cutoverAt = logIndex;
}

function finishJob(state: ClusterState, job: JobRecord, status: JobRecord['status'], reason: string | null, nowMs: number): void {
  job.status = status;
  // A failure's reason replaces why the job started; a success keeps it.
  job.reason = reason ?? job.reason;
  job.finishedAtMs = nowMs;
  const finished = [...state.jobs.values()].filter((j) => j.status !== 'running').sort((a, b) => a.startedAt - b.startedAt);
  for (const old of finished.slice(0, Math.max(0, finished.length - JOBS_KEPT))) {
    state.jobs.delete(old.id);
    for (const m of migrationsOf(state, old.id)) state.migrations.delete(m.id);
  }
}

export function applyMigrationPhase(state: ClusterState, c: MigrationPhaseCommand, logIndex: number): ApplyResult {
  const m = state.migrations.get(c.id);
  if (m === undefined) return rejected('miroir_unknown_migration', `Migration \`${c.id}\` not found.`);
  if (m.phase === 'done' || m.phase === 'failed') return ignored(`migration ${c.id} is ${m.phase}`);
  if (c.phase === 'failed') {
    if (!FAILABLE.has(m.phase)) return ignored(`migration ${c.id} is past its cut-over`);
    failMigrations(state, m.jobId, `migration ${m.id} (${m.indexUid} shard ${m.shard} → ${m.to}): ${c.error ?? 'failed'}`, c.nowMs, m.id);
    return APPLIED;
  }
  if (c.phase !== m.phase && NEXT_PHASE[m.phase] !== c.phase) return ignored(`migration ${c.id} is ${m.phase}, not before ${c.phase}`);
  if (c.phase === 'replay' && m.phase === 'copy') {
    if (c.copiedThrough !== undefined && (c.copiedThrough < m.fromLogIndex || c.copiedThrough >= logIndex)) {
      return rejected('miroir_invalid_topology', `Migration \`${c.id}\`: copiedThrough ${c.copiedThrough} is outside [${m.fromLogIndex}, ${logIndex}).`);
    }
    m.releasedAt = logIndex;
    if (c.copiedThrough !== undefined) m.copiedThrough = c.copiedThrough;
    // The target's dispatcher replays the shard at H, even when (P, H) held nothing: its cursor must pass H.
    state.lastDispatchIndex = logIndex;
  }
  m.phase = c.phase;
  if (c.error !== undefined) m.error = c.error;
  if (c.copied !== undefined) m.copied = c.copied;
  if (c.total !== undefined) m.total = c.total;
  m.updatedAtMs = c.nowMs;
  const job = state.jobs.get(m.jobId);
  if (c.phase === 'done' && job !== undefined) finishIfDone(state, job, c.nowMs);
  return APPLIED;
}

/** A cut-over job whose every migration is done has succeeded. */
function finishIfDone(state: ClusterState, job: JobRecord, nowMs: number): void {
  if (job.status === 'running' && job.cutoverAt !== null && migrationsOf(state, job.id).every((x) => x.phase === 'done')) {
    finishJob(state, job, 'succeeded', null, nowMs);
  }
}

/** Fails the job and its unfinished migrations (`first` gets the error itself, the others say why they stopped). */
function failMigrations(state: ClusterState, jobId: string, reason: string, nowMs: number, first: string | null): void {
  for (const m of migrationsOf(state, jobId)) {
    if (!FAILABLE.has(m.phase)) continue;
    m.phase = 'failed';
    m.error = m.id === first ? reason : `stopped: ${reason}`;
    m.updatedAtMs = nowMs;
  }
  const job = state.jobs.get(jobId);
  if (job?.status === 'running') finishJob(state, job, 'failed', reason, nowMs);
  pruneUndispatchable(state);
}

export function applyJobCutover(state: ClusterState, c: JobCutoverCommand, logIndex: number): ApplyResult {
  const job = state.jobs.get(c.jobId);
  if (job === undefined) return rejected('miroir_unknown_migration', `Job \`${c.jobId}\` not found.`);
  if (job.status !== 'running' || job.cutoverAt !== null) return ignored(`job ${job.id} is ${job.status}${job.cutoverAt === null ? '' : ', cut over'}`);
  const migrations = migrationsOf(state, job.id);
  const waiting = migrations.filter((m) => m.phase !== 'cutover' && m.phase !== 'done');
  if (waiting.length > 0) return rejected('miroir_invalid_topology', `Job \`${job.id}\`: ${waiting.length} migration(s) are not verified yet.`);
  cutOver(state, job, logIndex, c.nowMs);
  for (const m of migrations) {
    if (m.phase !== 'cutover') continue;
    m.phase = 'cleanup';
    m.updatedAtMs = c.nowMs;
  }
  finishIfDone(state, job, c.nowMs);
  return APPLIED;
}

/** An index renamed or swapped under a migration: the running job fails (its copies cannot follow the uid). */
export function failMigrationsOfIndexes(state: ClusterState, uids: readonly string[], nowMs: number): void {
  const job = runningJob(state);
  if (job === null) return;
  const hit = migrationsOf(state, job.id).find((m) => uids.includes(m.indexUid) && FAILABLE.has(m.phase));
  if (hit !== undefined) failMigrations(state, job.id, `index \`${hit.indexUid}\` was renamed or swapped during the migration`, nowMs, hit.id);
}

/** An index deleted under a migration: nothing is left to move, its migrations are done. */
export function endMigrationsOfIndex(state: ClusterState, uid: string, nowMs: number): void {
  for (const m of state.migrations.values()) {
    if (m.indexUid !== uid || m.phase === 'done' || m.phase === 'failed') continue;
    m.phase = 'done';
    m.error = 'the index was deleted during the migration';
    m.updatedAtMs = nowMs;
    const job = state.jobs.get(m.jobId);
    if (job !== undefined) finishIfDone(state, job, nowMs);
  }
  pruneUndispatchable(state);
}
