// Turns a client's document write (POST/PUT /indexes/{uid}/documents) into
// the one `documents.write` log command (ARCHITECTURE §3 steps 1–2):
// documents must be objects, no top-level `_miroir_*` field, the primary key
// is resolved (index, `?primaryKey=`, or inferred from the first document),
// every document's id is valid, then each document is stamped with
// `_miroir_shard = shardOf(id)` and grouped by shard.
//
// Primary-key and document-id problems are not refused: Meilisearch answers
// 202 and fails the task (API.md §1.2, §8), so the command is committed with
// no documents and the error in `rejected`; apply fails its task and nothing
// reaches a node. Malformed payloads and reserved `_miroir_*` fields stay
// synchronous 400s. The other task-level failures (index created
// concurrently with another key or S) are decided at apply
// (runtime/cluster/apply-documents.ts).

import { errorBody, MeiliError } from '../../api/errors/registry.ts';
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

/** The errors Meilisearch reports in the task rather than in the HTTP answer. */
const TASK_ERRORS: ReadonlySet<string> = new Set([
  'index_primary_key_no_candidate_found',
  'index_primary_key_multiple_candidates_found',
  'index_primary_key_already_exists',
  'missing_document_id',
  'invalid_document_id',
]);

/** The command (possibly a rejected one), or throws the MeiliError of a synchronous problem. */
export function prepareDocumentWrite(input: DocumentWriteInput): DocumentsWriteCommand {
  const shape = checkShapes(input.documents);
  if (input.primaryKeyParam !== null && isReservedField(input.primaryKeyParam)) {
    throw new MeiliError('miroir_reserved_field', `The primary key \`${input.primaryKeyParam}\` is reserved by Miroir: fields starting with \`_miroir_\` cannot be used.`);
  }
  const shards = input.index?.shards ?? input.defaultShards;
  let primaryKey: string;
  let byShard: Record<number, Document[]>;
  let rejected: DocumentsWriteCommand['rejected'];
  try {
    primaryKey = resolvePrimaryKey(input.index?.primaryKey ?? null, input.primaryKeyParam, shape[0]);
    byShard = splitByShard(shape, primaryKey, shards, input.shardOf);
  } catch (error) {
    if (!(error instanceof MeiliError) || !TASK_ERRORS.has(error.code)) throw error;
    primaryKey = input.index?.primaryKey ?? input.primaryKeyParam ?? '';
    byShard = {};
    rejected = errorBody(error.code, error.message);
  }
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
  if (rejected !== undefined) command.rejected = rejected;
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
