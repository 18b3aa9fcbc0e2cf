// Turns a delete-by-ids request (DELETE /documents/{id}, POST
// /documents/delete-batch) into the `documents.deleteIds` log command: each
// id is canonicalized (1 and "1" are one id) and grouped by its shard, so a
// dispatcher sends a node only the ids of the shards it owns. Ids that can
// never name a document are refused synchronously with invalid_document_id.

import { MeiliError } from '../../api/errors/registry.ts';
import { assert } from '../assert.ts';
import type { DocumentsDeleteIdsCommand } from '../cluster/commands.ts';
import { canonicalDocumentId } from './document-id.ts';
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

export function prepareDeleteIds(input: DeleteIdsInput): DocumentsDeleteIdsCommand | MeiliError {
  const byShard: Record<number, string[]> = {};
  for (const value of input.ids) {
    const id = canonicalDocumentId(value);
    if (!id.ok) return id.error;
    const shard = input.shardOf(id.id, input.shards);
    assert(Number.isInteger(shard) && shard >= 0 && shard < input.shards, `shardOf(${id.id}) is in [0, S)`);
    (byShard[shard] ??= []).push(id.id);
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
