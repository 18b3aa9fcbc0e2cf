// Turns a client's document write (POST/PUT /indexes/{uid}/documents) into
// the one `documents.write` log command (ARCHITECTURE §3 steps 1–2):
// documents must be objects, no top-level `_miroir_*` field, the primary key
// is resolved (index, `?primaryKey=`, or inferred from the first document),
// every document's id is valid, then each document is stamped with
// `_miroir_shard = shardOf(id)` and grouped by shard.
//
// A deliberate difference from Meilisearch: there, primary-key and id
// problems fail the *task* after a 202. Miroir validates before committing
// the command to the log, so the same problems come back as synchronous 400s
// with the same codes and messages; nothing invalid ever enters the log, and
// dispatchers never send a node a write it would refuse. The task-level
// failures that remain (index created concurrently with another key or S)
// are decided at apply (runtime/cluster/apply-documents.ts).

import { MeiliError } from '../../api/errors/registry.ts';
import { documentId, resolvePrimaryKey } from '../../api/protocol/documents/primary-key.ts';
import { assert } from '../assert.ts';
import type { Document, DocumentWriteMode, DocumentsWriteCommand } from '../cluster/commands.ts';
import { isPlainObject } from '../cluster/decode-fields.ts';
import { SHARD_FIELD, isReservedField, reservedFieldError, reservedFieldOf } from './reserved-fields.ts';

/** The routing module's shard function, bound to its hasher: canonical id and S → shard in [0, S). */
export type ShardOf = (documentId: string, shards: number) => number;

export interface DocumentWriteInput {
  indexUid: string;
  /** The index as this peer's state sees it, or null when it does not exist (the write creates it). */
  index: { primaryKey: string | null; shards: number } | null;
  /** S for an index this write creates (the cluster's `defaultShards`). */
  defaultShards: number;
  documents: readonly unknown[];
  primaryKeyParam: string | null;
  mode: DocumentWriteMode;
  /** The caller's API key may create the index (it holds `indexes.create` for this uid). */
  allowIndexCreation: boolean;
  shardOf: ShardOf;
  nowMs: number;
  customMetadata?: string;
  skipCreation?: boolean;
}

/** The command, or throws the MeiliError of the first problem found. */
export function prepareDocumentWrite(input: DocumentWriteInput): DocumentsWriteCommand {
  const shape = checkShapes(input.documents);
  if (input.primaryKeyParam !== null && isReservedField(input.primaryKeyParam)) {
    throw new MeiliError('miroir_reserved_field', `The primary key \`${input.primaryKeyParam}\` is reserved by Miroir: fields starting with \`_miroir_\` cannot be used.`);
  }
  const primaryKey = resolvePrimaryKey(input.index?.primaryKey ?? null, input.primaryKeyParam, shape[0]);
  const shards = input.index?.shards ?? input.defaultShards;
  const byShard = splitByShard(shape, primaryKey, shards, input.shardOf);
  const command: DocumentsWriteCommand = {
    v: 1,
    kind: 'documents.write',
    indexUid: input.indexUid,
    mode: input.mode,
    primaryKey,
    shards,
    byShard,
    receivedDocuments: shape.length,
    allowIndexCreation: input.allowIndexCreation,
    nowMs: input.nowMs,
  };
  if (input.customMetadata !== undefined) command.customMetadata = input.customMetadata;
  if (input.skipCreation !== undefined) command.skipCreation = input.skipCreation;
  return command;
}

function checkShapes(documents: readonly unknown[]): Document[] {
  for (const [i, document] of documents.entries()) {
    if (!isPlainObject(document)) {
      throw new MeiliError(
        'malformed_payload',
        `The \`json\` payload provided is malformed. \`Couldn't serialize document value: invalid type: expected a map at document ${i}\`.`,
      );
    }
    const reserved = reservedFieldOf(document);
    if (reserved !== null) throw reservedFieldError(reserved, i);
  }
  return documents as Document[];
}

function splitByShard(
  documents: Document[],
  primaryKey: string,
  shards: number,
  shardOf: ShardOf,
): Record<number, Document[]> {
  const byShard: Record<number, Document[]> = {};
  for (const document of documents) {
    const id = documentId(document, primaryKey);
    const shard = shardOf(id, shards);
    assert(Number.isInteger(shard) && shard >= 0 && shard < shards, `shardOf(${id}, ${shards}) = ${shard} is in [0, S)`);
    // Spread defines own properties: the client's object is not mutated and `__proto__` stays a field.
    (byShard[shard] ??= []).push({ ...document, [SHARD_FIELD]: shard });
  }
  return byShard;
}
