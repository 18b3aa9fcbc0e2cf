// Turns a delete-by-ids request (DELETE /documents/{id}, POST
// /documents/delete-batch) into the `documents.deleteIds` log command: each
// id is canonicalized (1 and "1" are one id) and grouped by its shard, so a
// dispatcher sends a node only the ids of the shards it owns. Ids that can
// never name a document are refused synchronously with invalid_document_id.

import { normalizeId } from '../../api/protocol/documents/primary-key.ts';
import { assert } from '../assert.ts';
import type { DocumentsDeleteIdsCommand } from '../cluster/commands.ts';
import type { ShardOf } from './prepare-document-write.ts';

export interface DeleteIdsInput {
  indexUid: string;
  /** S of the index, or the cluster default when it does not exist (the task then fails at apply). */
  shards: number;
  ids: readonly unknown[];
  shardOf: ShardOf;
  nowMs: number;
  customMetadata?: string;
}

/** The command, or throws invalid_document_id for the first id that can never name a document. */
export function prepareDeleteIds(input: DeleteIdsInput): DocumentsDeleteIdsCommand {
  const byShard: Record<number, string[]> = {};
  for (const value of input.ids) {
    const id = normalizeId(value);
    const shard = input.shardOf(id, input.shards);
    assert(Number.isInteger(shard) && shard >= 0 && shard < input.shards, `shardOf(${id}) is in [0, S)`);
    (byShard[shard] ??= []).push(id);
  }
  const command: DocumentsDeleteIdsCommand = {
    v: 1,
    kind: 'documents.deleteIds',
    indexUid: input.indexUid,
    shards: input.shards,
    byShard,
    providedIds: input.ids.length,
    nowMs: input.nowMs,
  };
  if (input.customMetadata !== undefined) command.customMetadata = input.customMetadata;
  return command;
}
