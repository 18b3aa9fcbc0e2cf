// What the nodes owe the cluster after a command commits (ARCHITECTURE §3
// steps 4–6), decided at apply so every replica agrees:
// - `recordDispatch`: the target nodes of a task command, from the placement
//   at this point of the log (injected through ApplyContext: the state
//   machine does not load the hasher itself), each with the shards it
//   receives;
// - `applyDispatcherCursor`: cursors move forward and carry the outcomes of
//   the entries they passed; when every target of an entry reported, its task
//   is folded: `succeeded` when all succeeded, else `failed` with the first
//   reported error; the task is `processing` from the first outcome on;
// - `applyDispatcherBehind`: nodes the log was compacted past are marked for
//   a rebuild, and the entries they missed count as failed for them.
//
// Counters (indexedDocuments, deletedDocuments) are summed over ONE complete
// copy: the first group (id order) among the targets, summed over its target
// serving nodes and divided by the copies of each shard in that group (min(RF,
// serving nodes), recorded at apply), because with RF > 1 every shard's
// documents are counted by each of its RF owners. Migration targets that are
// not serving yet (`shadow` targets) receive writes but are not counted.
//
// Invariants: a record exists only while its task waits for an outcome; an
// outcome is recorded at most once per (entry, node); records only shrink
// after creation (node removals drop their targets).

import { errorBody } from '../../api/errors/registry.ts';
import { compareKeys } from './decode-fields.ts';
import type { ClusterCommand, DispatcherBehindCommand, DispatcherCursorCommand, NodeOutcome } from './commands.ts';
import { APPLIED, ignored, type ApplyResult } from './apply-result.ts';
import type { ClusterState, DispatchRecord, DispatchTarget, MigrationRecord, NodeRecord } from './state.ts';
import { futureByGroup, servingByGroup } from './topology-sets.ts';
import { foldBatch } from './apply-batch.ts';
import { finishTask, startTask } from './task-record.ts';

/** Placement injected by the peer (runtime/routing/ Router satisfies it). */
export interface ApplyContext {
  placeShard(shard: number, nodeIds: readonly string[], rf: number): string[];
}

/** Counters a node task reports that make sense summed over one copy of the data. */
export const SUMMED_COUNTS = ['indexedDocuments', 'deletedDocuments'] as const;

function liveNodes(state: ClusterState): NodeRecord[] {
  return [...state.nodes.values()].filter((n) => n.state !== 'removed').sort((a, b) => compareKeys(a.id, b.id));
}

/**
 * Node → the shards of `shards` it receives, over every group: the serving
 * owners, and the future owners that are not serving yet unless a migration
 * into them holds that shard (it is copied, then replayed from the log at
 * its release). Future-only owners are `shadow` (their counters are not counted).
 */
function shardOwners(state: ClusterState, indexUid: string, shards: number[], ctx: ApplyContext): Map<string, { shards: number[]; shadow: boolean }> {
  const owned = new Map<string, { shards: number[]; shadow: boolean }>();
  const add = (nodeId: string, shard: number, shadow: boolean): void => {
    const entry = owned.get(nodeId) ?? { shards: [], shadow };
    entry.shards.push(shard);
    entry.shadow &&= shadow;
    owned.set(nodeId, entry);
  };
  const serving = servingByGroup(state);
  const future = futureByGroup(state);
  const held = heldShards(state, indexUid);
  for (const [group, futureIds] of future) {
    const servingIds = serving.get(group) ?? [];
    for (const shard of shards) {
      const servingOwners = servingIds.length === 0 ? [] : ctx.placeShard(shard, servingIds, state.settings.rf);
      for (const nodeId of servingOwners) add(nodeId, shard, false);
      for (const nodeId of ctx.placeShard(shard, futureIds, state.settings.rf)) {
        if (!servingOwners.includes(nodeId) && !held.has(`${shard}\u0000${nodeId}`)) add(nodeId, shard, true);
      }
    }
  }
  for (const [group, servingIds] of serving) {
    if (future.has(group)) continue;
    // A group whose every node drains still serves its shards until the cut-over.
    for (const shard of shards) for (const nodeId of ctx.placeShard(shard, servingIds, state.settings.rf)) add(nodeId, shard, false);
  }
  return owned;
}

/** `shard NUL node` of every migration of `indexUid` whose target still has the shard held (not released, not finished). */
function heldShards(state: ClusterState, indexUid: string): Set<string> {
  const held = new Set<string>();
  for (const m of state.migrations.values()) {
    if (m.indexUid === indexUid && isHolding(m)) held.add(`${m.shard}\u0000${m.to}`);
  }
  return held;
}

/** Whether the migration's target has the shard's writes held (they reach it only by the replay at the release). */
export function isHolding(m: Readonly<MigrationRecord>): boolean {
  return m.releasedAt === null && m.phase !== 'done' && m.phase !== 'failed';
}

function shardedTargets(
  state: ClusterState, indexUid: string, byShard: Record<number, unknown[]>, ctx: ApplyContext, everyNode: boolean,
): DispatchTarget[] {
  const shards = Object.keys(byShard).map(Number).sort((a, b) => a - b);
  const owned = shardOwners(state, indexUid, shards, ctx);
  const targets: DispatchTarget[] = [];
  for (const node of liveNodes(state)) {
    const mine = owned.get(node.id);
    if (mine !== undefined) {
      const target: DispatchTarget = { nodeId: node.id, group: node.group, shards: mine.shards.sort((a, b) => a - b) };
      targets.push(mine.shadow ? { ...target, shadow: true } : target);
    }
    // A write that creates its index creates it on every node, so searches and settings find it everywhere.
    else if (everyNode) targets.push({ nodeId: node.id, group: node.group, shards: [] });
  }
  return targets;
}

function broadcastTargets(state: ClusterState): DispatchTarget[] {
  return liveNodes(state).map((n) => ({ nodeId: n.id, group: n.group, shards: null }));
}

function targetsOf(state: ClusterState, c: ClusterCommand, ctx: ApplyContext, createsIndex: boolean): DispatchTarget[] | null {
  switch (c.kind) {
    case 'documents.write':
      return c.receivedDocuments === 0 ? broadcastTargets(state) : shardedTargets(state, c.indexUid, c.byShard, ctx, createsIndex);
    case 'documents.deleteIds':
      return shardedTargets(state, c.indexUid, c.byShard, ctx, false);
    case 'index.create': case 'index.update': case 'index.delete': case 'index.swap':
    case 'documents.deleteFilter': case 'documents.clear': case 'settings.update':
      return broadcastTargets(state);
    default:
      return null;
  }
}

/** Whether applying `c` will create its index (called before apply). */
export function createsIndex(state: ClusterState, c: ClusterCommand): boolean {
  switch (c.kind) {
    case 'index.create': return true;
    case 'documents.write': case 'settings.update': return !state.indexes.has(c.indexUid);
    default: return false;
  }
}

/**
 * Records the targets of a task command that apply accepted. With no target
 * at all (no live node) the task succeeds at once: there is nothing to wait for.
 */
export function recordDispatch(
  state: ClusterState, c: ClusterCommand, logIndex: number, taskUid: number, ctx: ApplyContext, creates: boolean,
): void {
  const targets = targetsOf(state, c, ctx, creates);
  if (targets === null) return;
  const task = state.tasks.get(taskUid);
  const part = c.kind === 'documents.write' && c.part !== undefined ? { index: c.part.index, count: c.part.count } : null;
  if (targets.length === 0 && part === null) {
    if (task !== undefined && 'nowMs' in c) finishTask(task, { status: 'succeeded', error: null, details: null }, c.nowMs);
    return;
  }
  const copies: Record<string, number> = {};
  for (const [group, ids] of servingByGroup(state)) copies[group] = Math.min(state.settings.rf, ids.length);
  const record: DispatchRecord = { logIndex, taskUid, targets, createsIndex: creates, copies, outcomes: [] };
  if (part !== null) record.part = part;
  state.dispatch.set(logIndex, record);
  state.lastDispatchIndex = logIndex;
  // A part with no target (no live node) has all its outcomes already.
  if (targets.length === 0 && 'nowMs' in c) fold(state, record, c.nowMs);
}

/** Sums each counter over the first group's targets, divided by that group's copies per shard. */
export function foldCounts(record: DispatchRecord): Record<string, number> {
  const groups = [...new Set(record.targets.map((t) => t.group))].sort(compareKeys);
  const group = groups[0];
  const out: Record<string, number> = {};
  if (group === undefined) return out;
  const inGroup = new Set(record.targets.filter((t) => t.group === group && t.shadow !== true).map((t) => t.nodeId));
  const copies = Math.max(1, record.copies[group] ?? 1);
  for (const key of SUMMED_COUNTS) {
    let sum = 0;
    let seen = false;
    for (const o of record.outcomes) {
      const v = o.counts[key];
      if (!inGroup.has(o.nodeId) || v === undefined) continue;
      sum += v;
      seen = true;
    }
    if (seen) out[key] = Math.round(sum / copies);
  }
  return out;
}

/** Moves the task of `record` forward: processing while outcomes are missing, finished once all are in. */
function fold(state: ClusterState, record: DispatchRecord, nowMs: number): void {
  const task = state.tasks.get(record.taskUid);
  if (task === undefined) {
    state.dispatch.delete(record.logIndex);
    return;
  }
  const reported = new Set(record.outcomes.map((o) => o.nodeId));
  if (record.targets.some((t) => !reported.has(t.nodeId))) {
    if (record.outcomes.length > 0) startTask(task, nowMs);
    return;
  }
  if (record.part !== undefined) {
    foldBatch(state, task, record.part.count, nowMs, foldCounts);
    return;
  }
  const failed = record.outcomes.find((o) => o.status === 'failed');
  const details = foldCounts(record);
  if (failed !== undefined) finishTask(task, { status: 'failed', error: failed.error, details }, nowMs);
  else finishTask(task, { status: 'succeeded', error: null, details }, nowMs);
  state.dispatch.delete(record.logIndex);
}

function recordOutcome(state: ClusterState, o: NodeOutcome, nowMs: number): boolean {
  const record = state.dispatch.get(o.logIndex);
  if (record === undefined) return false;
  if (!record.targets.some((t) => t.nodeId === o.nodeId)) return false;
  if (record.outcomes.some((r) => r.nodeId === o.nodeId)) return false;
  record.outcomes.push({ nodeId: o.nodeId, status: o.status, error: o.error ?? null, counts: { ...o.counts } });
  fold(state, record, nowMs);
  return true;
}

/** Forgets undispatchable entries every live node's dispatcher has moved past. */
export function pruneUndispatchable(state: ClusterState): void {
  let low = Number.POSITIVE_INFINITY;
  for (const node of state.nodes.values()) {
    if (node.state !== 'removed') low = Math.min(low, state.cursors.get(node.id) ?? 0);
  }
  // A migration's replay (runtime/dispatch/replay.ts) skips the same entries, from its P on.
  for (const m of state.migrations.values()) if (needsLogFrom(state, m)) low = Math.min(low, m.fromLogIndex);
  for (const index of state.undispatchable) if (index <= low) state.undispatchable.delete(index);
}

/**
 * Cursors only move forward (a new leader may re-propose an older one) and
 * never past the entry that carries them; cursors of unknown or removed
 * nodes are dropped. Outcomes for entries no longer waiting, or already
 * reported, are ignored. All are replay-safe no-ops, not errors.
 */
export function applyDispatcherCursor(state: ClusterState, c: DispatcherCursorCommand, logIndex: number): ApplyResult {
  let moved = 0;
  for (const o of c.outcomes ?? []) {
    if (o.logIndex < logIndex && recordOutcome(state, o, c.nowMs ?? 0)) moved += 1;
  }
  for (const { nodeId, index } of c.cursors) {
    const node = state.nodes.get(nodeId);
    if (node === undefined || node.state === 'removed' || index >= logIndex) continue;
    if (index <= (state.cursors.get(nodeId) ?? 0)) continue;
    state.cursors.set(nodeId, index);
    moved += 1;
  }
  pruneUndispatchable(state);
  return moved > 0 ? APPLIED : ignored('no cursor moved forward');
}

/** Nodes whose cursor the log was compacted past: marked for rebuild, their missed entries failed for them. */
export function applyDispatcherBehind(state: ClusterState, c: DispatcherBehindCommand, logIndex: number): ApplyResult {
  const through = Math.min(c.compactedThrough, logIndex - 1);
  let marked = 0;
  for (const nodeId of c.nodeIds) {
    const node = state.nodes.get(nodeId);
    if (node === undefined || node.state === 'removed' || (state.cursors.get(nodeId) ?? 0) >= through) continue;
    state.rebuildNeeded.set(nodeId, Math.max(state.rebuildNeeded.get(nodeId) ?? 0, through));
    state.cursors.set(nodeId, through);
    const error = errorBody(
      'miroir_node_unavailable',
      `Node \`${nodeId}\` fell behind the log retention before receiving this write; it needs a rebuild by shard copy.`,
    );
    for (const record of [...state.dispatch.values()]) {
      if (record.logIndex > through) continue;
      recordOutcome(state, { nodeId, logIndex: record.logIndex, status: 'failed', error }, c.nowMs);
    }
    marked += 1;
  }
  pruneUndispatchable(state);
  return marked > 0 ? APPLIED : ignored('no node was behind');
}

/** A removed node owes nothing any more: it leaves every record's targets, which may finish tasks. */
export function forgetTargets(state: ClusterState, nodeIds: ReadonlySet<string>, nowMs: number): void {
  state.rebuildNeeded.forEach((_, id) => nodeIds.has(id) && state.rebuildNeeded.delete(id));
  for (const record of [...state.dispatch.values()]) {
    if (!record.targets.some((t) => nodeIds.has(t.nodeId))) continue;
    record.targets = record.targets.filter((t) => !nodeIds.has(t.nodeId));
    record.outcomes = record.outcomes.filter((o) => !nodeIds.has(o.nodeId));
    fold(state, record, nowMs);
  }
}

/**
 * The highest log index every live node's dispatcher can do without: the
 * smallest cursor among nodes that still have entries to read, or the applied
 * index when every node passed the last entry that had anything for a node.
 * The Raft driver never compacts the log past it (within the retention bounds).
 */
export function compactionFloor(state: Readonly<ClusterState>): number {
  let floor = state.appliedIndex;
  for (const node of state.nodes.values()) {
    if (node.state === 'removed') continue;
    const cursor = state.cursors.get(node.id) ?? 0;
    if (cursor < state.lastDispatchIndex) floor = Math.min(floor, cursor);
  }
  // A migration's target reads P (the index set-up) and replays the log after it at the release.
  for (const m of state.migrations.values()) if (needsLogFrom(state, m)) floor = Math.min(floor, m.fromLogIndex - 1);
  return floor;
}

/** Whether the target's dispatcher may still read the log from the migration's P (its set-up, then its replay at H). */
export function needsLogFrom(state: Readonly<ClusterState>, m: Readonly<MigrationRecord>): boolean {
  if (m.phase === 'done' || m.phase === 'failed') return false;
  return m.releasedAt === null || (state.cursors.get(m.to) ?? 0) < m.releasedAt;
}
