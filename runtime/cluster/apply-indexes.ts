// Applies the index lifecycle commands: create, update (primary key, rename),
// delete and swap, with Meilisearch's semantics — a command that cannot take
// effect is recorded as a failed task with Meilisearch's error, because the
// client already received its 202 when the command committed.

import { errorBody, type ErrorBody } from '../../api/errors/registry.ts';
import type {
  IndexCreateCommand,
  IndexDeleteCommand,
  IndexSwapCommand,
  IndexUpdateCommand,
} from './commands.ts';
import {
  indexAlreadyExists,
  indexNotFound,
  primaryKeyAlreadyExists,
  taskResult,
  type ApplyResult,
} from './apply-result.ts';
import type { ClusterState, IndexRecord } from './state.ts';
import { enqueueTask, failTaskAtApply } from './task-record.ts';

export function newIndex(uid: string, primaryKey: string | null, shards: number, nowMs: number): IndexRecord {
  return {
    uid,
    primaryKey,
    shards,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
    settings: {},
    settingsVersion: 0,
    mayHaveDocuments: false,
    fields: [],
  };
}

/**
 * Proposers' clocks differ (a new leader's may lag), so timestamps derived
 * from `nowMs` are kept monotonic: an index is never updated before it was
 * created or last updated.
 */
export function markUpdated(index: IndexRecord, nowMs: number): void {
  index.updatedAtMs = Math.max(index.updatedAtMs, nowMs);
}

/** Enqueues the task, then either fails it with `error` or runs `effect`. */
export function taskWith(
  state: ClusterState,
  command: Parameters<typeof enqueueTask>[1],
  logIndex: number,
  check: () => ErrorBody | null,
  effect: () => void,
): ApplyResult {
  const task = enqueueTask(state, command, logIndex);
  const error = check();
  if (error !== null) failTaskAtApply(task, error, command.nowMs);
  else effect();
  return taskResult(task);
}

export function applyIndexCreate(state: ClusterState, c: IndexCreateCommand, logIndex: number): ApplyResult {
  return taskWith(
    state, c, logIndex,
    () => (state.indexes.has(c.uid) ? indexAlreadyExists(c.uid) : null),
    () => state.indexes.set(c.uid, newIndex(c.uid, c.primaryKey, c.shards, c.nowMs)),
  );
}

function updateError(state: ClusterState, c: IndexUpdateCommand): ErrorBody | null {
  const index = state.indexes.get(c.uid);
  if (index === undefined) return indexNotFound(c.uid);
  if (c.newUid !== undefined && c.newUid !== c.uid && state.indexes.has(c.newUid)) return indexAlreadyExists(c.newUid);
  const changesKey = c.primaryKey !== undefined && index.primaryKey !== null && c.primaryKey !== index.primaryKey;
  if (changesKey && index.mayHaveDocuments) return primaryKeyAlreadyExists(index.primaryKey ?? '');
  return null;
}

export function applyIndexUpdate(state: ClusterState, c: IndexUpdateCommand, logIndex: number): ApplyResult {
  return taskWith(state, c, logIndex, () => updateError(state, c), () => {
    const index = state.indexes.get(c.uid);
    if (index === undefined) return;
    if (c.primaryKey !== undefined) index.primaryKey = c.primaryKey;
    markUpdated(index, c.nowMs);
    if (c.newUid !== undefined && c.newUid !== c.uid) {
      state.indexes.delete(c.uid);
      index.uid = c.newUid;
      state.indexes.set(c.newUid, index);
    }
  });
}

export function applyIndexDelete(state: ClusterState, c: IndexDeleteCommand, logIndex: number): ApplyResult {
  return taskWith(
    state, c, logIndex,
    () => (state.indexes.has(c.uid) ? null : indexNotFound(c.uid)),
    () => state.indexes.delete(c.uid),
  );
}

function swapError(state: ClusterState, c: IndexSwapCommand): ErrorBody | null {
  // The edge refuses these with a 400; checking again here keeps a bad swap from corrupting the index table.
  const named = c.swaps.flatMap((s) => s.indexes);
  const repeated = [...new Set(named.filter((uid, i) => named.indexOf(uid) !== i))].sort();
  if (repeated.length > 0) {
    const list = repeated.map((u) => `\`${u}\``).join(', ');
    const verb = repeated.length === 1 ? 'was' : 'were';
    return errorBody('invalid_swap_duplicate_index_found', `Indexes must be declared only once during a swap. ${list} ${verb} specified several times.`);
  }
  const missing: string[] = [];
  for (const { indexes, rename } of c.swaps) {
    const wanted = rename ? [indexes[0]] : indexes;
    for (const uid of wanted) if (!state.indexes.has(uid) && !missing.includes(uid)) missing.push(uid);
  }
  if (missing.length === 1) return indexNotFound(missing[0] ?? '');
  if (missing.length > 1) {
    return errorBody('index_not_found', `Indexes ${missing.map((u) => `\`${u}\``).join(', ')} not found.`);
  }
  const taken = c.swaps.find((s) => s.rename && state.indexes.has(s.indexes[1]));
  return taken === undefined ? null : indexAlreadyExists(taken.indexes[1]);
}

/**
 * Swaps (or renames) index records and, as Meilisearch does, rewrites the
 * indexUid of their past tasks so a task keeps pointing at its documents.
 */
function performSwaps(state: ClusterState, c: IndexSwapCommand): void {
  const renamed = new Map<string, string>();
  for (const { indexes: [a, b], rename } of c.swaps) {
    const ra = state.indexes.get(a);
    const rb = state.indexes.get(b);
    if (ra === undefined) continue;
    state.indexes.delete(a);
    if (rb !== undefined && !rename) {
      rb.uid = a;
      state.indexes.set(a, rb);
      renamed.set(b, a);
    }
    ra.uid = b;
    state.indexes.set(b, ra);
    renamed.set(a, b);
  }
  for (const task of state.tasks.values()) {
    const to = task.indexUid === null ? undefined : renamed.get(task.indexUid);
    if (to !== undefined) task.indexUid = to;
  }
}

export function applyIndexSwap(state: ClusterState, c: IndexSwapCommand, logIndex: number): ApplyResult {
  return taskWith(state, c, logIndex, () => swapError(state, c), () => performSwaps(state, c));
}
