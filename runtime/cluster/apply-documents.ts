// Applies document and settings writes to the index metadata. The documents
// themselves are not stored here: the command stays in the log and the
// per-node dispatchers carry it to the nodes. What apply decides is whether
// the write can still take effect at its place in the log — Meilisearch
// semantics: a write to a missing index creates it (except deletions and
// settings resets, which fail with index_not_found), a primary key that
// differs from the index's fails the task, and so does a write the edge
// found a primary-key or id problem in (`rejected`: it carries no documents).

import { errorBody, MeiliError, type ErrorBody } from '../../api/errors/registry.ts';
import { applySettingsPatch } from '../../api/protocol/settings/apply.ts';
import { defaultSettings, type SettingsPatch } from '../../api/protocol/settings/settings.ts';
import { assert } from '../assert.ts';
import type {
  DocumentsClearCommand,
  DocumentsDeleteFilterCommand,
  DocumentsDeleteIdsCommand,
  DocumentsWriteCommand,
  SettingsUpdateCommand,
} from './commands.ts';
import { markUpdated, newIndex, taskWith } from './apply-indexes.ts';
import { addDocumentFields } from './index-fields.ts';
import { ignored, indexNotFound, primaryKeyAlreadyExists, type ApplyResult } from './apply-result.ts';
import { abandonBatch } from './apply-batch.ts';
import { isFinished } from './task-record.ts';
import { summarize } from './task-view.ts';
import { mergeSettings } from './settings-merge.ts';
import type { ClusterState, IndexRecord } from './state.ts';

/**
 * The split by shard was computed at the edge with S = `shards`. If the index
 * was deleted and recreated with another S while the write was in flight, the
 * split no longer matches the placement, so the task fails instead.
 */
function shardsChanged(index: IndexRecord, shards: number): ErrorBody | null {
  if (index.shards === shards) return null;
  return errorBody(
    'miroir_index_changed',
    `Index \`${index.uid}\` now has ${index.shards} shards but this write was prepared for ${shards}; it was recreated while the write was in flight. Send the write again.`,
  );
}

function writeError(state: ClusterState, c: DocumentsWriteCommand): ErrorBody | null {
  const index = state.indexes.get(c.indexUid);
  if (index === undefined && !c.allowIndexCreation) return indexNotFound(c.indexUid);
  // Found at the edge (runtime/writes); Meilisearch finds it when the task runs, after the index lookup.
  if (c.rejected !== undefined) return c.rejected;
  if (index === undefined) return null;
  if (index.primaryKey !== null && index.primaryKey !== c.primaryKey) return primaryKeyAlreadyExists(index.primaryKey);
  return shardsChanged(index, c.shards);
}

export function applyDocumentsWrite(state: ClusterState, c: DocumentsWriteCommand, logIndex: number): ApplyResult {
  if (c.part?.taskUid !== undefined) return applyLaterPart(state, c, c.part.taskUid, logIndex);
  return taskWith(state, c, logIndex, () => writeError(state, c), () => recordWrite(state, c));
}

function recordWrite(state: ClusterState, c: DocumentsWriteCommand): void {
  let index = state.indexes.get(c.indexUid);
  if (index === undefined) {
    index = newIndex(c.indexUid, c.primaryKey, c.shards, c.nowMs);
    state.indexes.set(c.indexUid, index);
  }
  index.primaryKey = c.primaryKey;
  index.mayHaveDocuments = true;
  addDocumentFields(index.fields, Object.values(c.byShard).flat());
  markUpdated(index, c.nowMs);
}

/**
 * A part after the first of a split batch joins the task part 0 created.
 * Nothing is dispatched when that task is already finished (part 0 failed at
 * apply, or the batch was abandoned), and the batch fails when the index
 * changed in between or the part carries `rejected` (the proposer gave up).
 */
function applyLaterPart(state: ClusterState, c: DocumentsWriteCommand, taskUid: number, logIndex: number): ApplyResult {
  const task = state.tasks.get(taskUid);
  if (task === undefined) {
    // Unfinished tasks are never deleted, so the batch was finished and its task since removed.
    state.undispatchable.add(logIndex);
    return ignored(`task ${taskUid} of this batch part is not retained`);
  }
  if (isFinished(task.status)) return { kind: 'task', task: summarize(task), dispatch: false };
  const error = task.indexUid === c.indexUid ? writeError(state, c) : indexNotFound(c.indexUid);
  if (error !== null) {
    abandonBatch(state, task, error, c.nowMs);
    return { kind: 'task', task: summarize(task), dispatch: false };
  }
  recordWrite(state, c);
  return { kind: 'task', task: summarize(task), dispatch: true };
}

export function applyDocumentsDeleteIds(state: ClusterState, c: DocumentsDeleteIdsCommand, logIndex: number): ApplyResult {
  const check = (): ErrorBody | null => {
    const index = state.indexes.get(c.indexUid);
    return index === undefined ? indexNotFound(c.indexUid) : shardsChanged(index, c.shards);
  };
  return taskWith(state, c, logIndex, check, () => touch(state, c.indexUid, c.nowMs));
}

export function applyDocumentsDeleteFilter(
  state: ClusterState,
  c: DocumentsDeleteFilterCommand,
  logIndex: number,
): ApplyResult {
  const check = (): ErrorBody | null => (state.indexes.has(c.indexUid) ? null : indexNotFound(c.indexUid));
  return taskWith(state, c, logIndex, check, () => touch(state, c.indexUid, c.nowMs));
}

export function applyDocumentsClear(state: ClusterState, c: DocumentsClearCommand, logIndex: number): ApplyResult {
  const check = (): ErrorBody | null => (state.indexes.has(c.indexUid) ? null : indexNotFound(c.indexUid));
  return taskWith(state, c, logIndex, check, () => {
    const index = touch(state, c.indexUid, c.nowMs);
    index.mayHaveDocuments = false;
  });
}

/**
 * The checks Meilisearch runs when the settings task is processed (typo word
 * sizes against the index's other settings): a patch that fails them fails
 * its task and leaves the settings as they were, on the nodes and here.
 */
function settingsError(current: Record<string, unknown>, patch: Record<string, unknown>): ErrorBody | null {
  try {
    applySettingsPatch(applySettingsPatch(defaultSettings(), current as SettingsPatch), patch as SettingsPatch);
    return null;
  } catch (error) {
    if (error instanceof MeiliError) return errorBody(error.code, error.message);
    throw error;
  }
}

export function applySettingsUpdate(state: ClusterState, c: SettingsUpdateCommand, logIndex: number): ApplyResult {
  const check = (): ErrorBody | null => {
    const index = state.indexes.get(c.indexUid);
    if (index === undefined && !c.allowIndexCreation) return indexNotFound(c.indexUid);
    return settingsError(index?.settings ?? {}, c.settings);
  };
  return taskWith(state, c, logIndex, check, () => {
    let index = state.indexes.get(c.indexUid);
    if (index === undefined) {
      index = newIndex(c.indexUid, null, state.settings.defaultShards, c.nowMs);
      state.indexes.set(c.indexUid, index);
    }
    index.settings = mergeSettings(index.settings, c.settings);
    index.settingsVersion += 1;
    markUpdated(index, c.nowMs);
  });
}

function touch(state: ClusterState, uid: string, nowMs: number): IndexRecord {
  const index = state.indexes.get(uid);
  assert(index !== undefined, `index ${uid} exists: the check before the effect found it`);
  markUpdated(index, nowMs);
  return index;
}
