// The cluster state machine's transition function: every peer applies every
// committed command, in log order, with this function (ARCHITECTURE §3, §5).
//
// apply(state, command, logIndex) mutates `state` in place and returns what
// the proposer answers. It is deterministic: its only inputs are the state,
// the command (which carries its own `nowMs`) and the log index, so replicas
// that applied the same log hold identical states and assign the same task
// uids. It never throws on user-caused conditions: a write that cannot take
// effect becomes a failed Meilisearch task (the client already got its 202),
// an admin command that lost a race is `rejected`.

import { AssertionError, assert, unreachable } from '../assert.ts';
import { decodeCommand } from './command-codec.ts';
import type { ClusterCommand } from './commands.ts';
import type { ApplyResult } from './apply-result.ts';
import {
  applyDocumentsClear,
  applyDocumentsDeleteFilter,
  applyDocumentsDeleteIds,
  applyDocumentsWrite,
  applySettingsUpdate,
} from './apply-documents.ts';
import { applyIndexCreate, applyIndexDelete, applyIndexSwap, applyIndexUpdate } from './apply-indexes.ts';
import { applyKeyCreate, applyKeyDelete, applyKeyUpdate } from './apply-keys.ts';
import { applyConfigSet, applyTaskProgress, applyTasksDelete, enforceTaskRetention } from './apply-tasks.ts';
import { applyDispatcherBehind, applyDispatcherCursor, createsIndex, recordDispatch, type ApplyContext } from './apply-dispatch.ts';
import {
  applyGroupAdd,
  applyGroupRemove,
  applyNodeAdd,
  applyNodeState,
  applyPeerAdd,
  applyPeerRemove,
} from './apply-topology.ts';
import { applyJobCutover, applyMigrationPhase, applyTopologyJob, endMigrationsOfIndex, failMigrationsOfIndexes } from './apply-jobs.ts';
import type { ClusterState } from './state.ts';

export type { ApplyResult } from './apply-result.ts';
export type { ApplyContext } from './apply-dispatch.ts';

/**
 * `ctx` carries the placement: with it, an accepted task command records its
 * target nodes and its task follows their outcomes (apply-dispatch.ts);
 * without it (metadata-only replicas in tests), tasks move only by `task.progress`.
 */
export function apply(state: ClusterState, command: ClusterCommand, logIndex: number, ctx?: ApplyContext): ApplyResult {
  assert(Number.isSafeInteger(logIndex), 'log indexes are integers');
  assert(logIndex > state.appliedIndex, `entries apply in log order (${logIndex} after ${state.appliedIndex})`);
  state.appliedIndex = logIndex;
  const creates = ctx !== undefined && createsIndex(state, command);
  const result = dispatch(state, command, logIndex, ctx);
  if (result.kind === 'task') {
    if (result.dispatch) stopMigrationsOfIndexes(state, command);
    if (!result.dispatch) state.undispatchable.add(logIndex);
    else if (ctx !== undefined) recordDispatch(state, command, logIndex, result.task.taskUid, ctx, creates);
    enforceTaskRetention(state);
  }
  return result;
}

/**
 * Decodes and applies one committed entry's payload (an empty payload only
 * advances the applied index). A payload that does not
 * decode was never valid (encodeCommand validates before proposing) or comes
 * from a newer peer version; either way this peer must stop rather than
 * diverge, so the error propagates with the log index.
 */
export function applyEntry(state: ClusterState, data: Uint8Array, logIndex: number, ctx?: ApplyContext): ApplyResult {
  // A new leader's first entry carries no command (runtime/raft/core.ts appends it empty).
  if (data.length === 0) {
    skipEntry(state, logIndex);
    return { kind: 'ignored', reason: 'empty entry' };
  }
  let command: ClusterCommand;
  try {
    command = decodeCommand(data);
  } catch (error) {
    throw new AssertionError(`log entry ${logIndex} does not decode as a cluster command`, { cause: error });
  }
  return apply(state, command, logIndex, ctx);
}

/** Whether dispatchers send this committed entry to the nodes (false when its task failed at apply). */
export function isDispatchable(state: ClusterState, logIndex: number): boolean {
  return !state.undispatchable.has(logIndex);
}

/** Marks a log index applied that carries no command (the leader's empty entry, a conf change). */
export function skipEntry(state: ClusterState, logIndex: number): void {
  assert(logIndex > state.appliedIndex, `entries apply in log order (${logIndex} after ${state.appliedIndex})`);
  state.appliedIndex = logIndex;
}

/** A deleted index has nothing left to migrate; a migration cannot follow its index through a rename or a swap. */
function stopMigrationsOfIndexes(state: ClusterState, c: ClusterCommand): void {
  if (state.migrations.size === 0) return;
  if (c.kind === 'index.delete') endMigrationsOfIndex(state, c.uid, c.nowMs);
  else if (c.kind === 'index.update' && c.newUid !== undefined) failMigrationsOfIndexes(state, [c.uid], c.nowMs);
  else if (c.kind === 'index.swap') failMigrationsOfIndexes(state, c.swaps.flatMap((s) => s.indexes), c.nowMs);
}

function dispatch(state: ClusterState, c: ClusterCommand, logIndex: number, ctx: ApplyContext | undefined): ApplyResult {
  switch (c.kind) {
    case 'index.create': return applyIndexCreate(state, c, logIndex);
    case 'index.update': return applyIndexUpdate(state, c, logIndex);
    case 'index.delete': return applyIndexDelete(state, c, logIndex);
    case 'index.swap': return applyIndexSwap(state, c, logIndex);
    case 'documents.write': return applyDocumentsWrite(state, c, logIndex);
    case 'documents.deleteIds': return applyDocumentsDeleteIds(state, c, logIndex);
    case 'documents.deleteFilter': return applyDocumentsDeleteFilter(state, c, logIndex);
    case 'documents.clear': return applyDocumentsClear(state, c, logIndex);
    case 'settings.update': return applySettingsUpdate(state, c, logIndex);
    case 'task.progress': return applyTaskProgress(state, c);
    case 'tasks.delete': return applyTasksDelete(state, c, logIndex);
    case 'dispatcher.cursor': return applyDispatcherCursor(state, c, logIndex);
    case 'dispatcher.behind': return applyDispatcherBehind(state, c, logIndex);
    case 'node.add': return applyNodeAdd(state, c, logIndex);
    case 'node.state': return applyNodeState(state, c);
    case 'group.add': return applyGroupAdd(state, c);
    case 'group.remove': return applyGroupRemove(state, c);
    case 'peer.add': return applyPeerAdd(state, c);
    case 'peer.remove': return applyPeerRemove(state, c);
    case 'key.create': return applyKeyCreate(state, c);
    case 'key.update': return applyKeyUpdate(state, c);
    case 'key.delete': return applyKeyDelete(state, c);
    case 'config.set': return applyConfigSet(state, c);
    case 'topology.job': return applyTopologyJob(state, c, logIndex, ctx);
    case 'migration.phase': return applyMigrationPhase(state, c, logIndex);
    case 'job.cutover': return applyJobCutover(state, c, logIndex);
    default: return unreachable(c);
  }
}
