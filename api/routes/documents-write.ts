// Document writes (API.md §1.2) as Raft commands (ARCHITECTURE §3): the whole
// request is validated first — index uid, content type, payload syntax,
// reserved `_miroir_*` fields (synchronous errors, as in Meilisearch), primary
// key and every document id — then the write is split by shard
// (runtime/writes/) and proposed as ONE command; the client gets the 202
// summarized task once it is committed and applied on this peer. A
// primary-key or id problem is a task failure in Meilisearch: the command
// then carries the error and no documents, and its task fails at apply.
//
// Ack modes (ARCHITECTURE §3 step 7): under the cluster setting
// `writeAckMode: quorum` every write here, like every other write, answers
// after its node enqueue acks or 503 miroir_no_quorum (common.ts acknowledged).
//
// A write to a missing index creates it when the caller may create that
// index (`indexes.create`, Meilisearch's rule); deletions never create one,
// their task fails with index_not_found at apply.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MeiliError } from '../errors/registry.ts';
import type { SummarizedTask } from '../../runtime/cluster/index.ts';
import type { DocumentWriteMode, DocumentsWriteCommand } from '../../runtime/cluster/index.ts';
import { peerLimits } from '../../runtime/peer/limits.ts';
import type { PeerServices } from '../../runtime/peer/services.ts';
import { abandoningPart, laterPart, prepareDeleteIds, prepareDocumentWrite, splitWrite, type ShardOf } from '../../runtime/writes/index.ts';
import { rawBody } from '../plugins/body.ts';
import type { RouteOptions } from '../plugins/request-context.ts';
import { documentFormat, parseCsvDelimiter, parseDocuments } from '../protocol/documents/payload.ts';
import { parseDeleteBatch, parseDeleteFilter } from '../protocol/documents/deletion.ts';
import { queryBool, queryString } from '../protocol/deserr.ts';
import { acknowledged, indexUidParam, proposeTask, writeQuery } from './common.ts';

export function shardOfFor(services: PeerServices): ShardOf {
  return (documentId, shards) => services.router.shardOf(documentId, shards);
}

/** S of the index, or the cluster's default for one a write would create (apply decides). */
export function shardsOf(services: PeerServices, indexUid: string): number {
  const state = services.state();
  return state.indexes.get(indexUid)?.shards ?? state.settings.defaultShards;
}

async function deleteIds(services: PeerServices, request: FastifyRequest, indexUid: string, ids: readonly unknown[]) {
  const { meta } = writeQuery(request);
  const command = prepareDeleteIds({
    indexUid,
    shards: shardsOf(services, indexUid),
    ids,
    shardOf: shardOfFor(services),
    nowMs: services.clock.nowMs(),
    ...meta,
  });
  return proposeTask(services, command);
}

const WRITE_PARAMS = ['primaryKey', 'csvDelimiter', 'customMetadata', 'skipCreation'];

/**
 * The largest document payload one log entry carries: an entry must fit a
 * peer-transport frame with room for the `_miroir_shard` stamps and the
 * append around it. A larger batch (up to the client payload limit,
 * Meilisearch's 100 MB) is split into parts of at most this size, one entry
 * each, under one task (runtime/writes/split-write.ts).
 */
export function documentPayloadBytesMax(services: PeerServices): number {
  return Math.floor(peerLimits(services.config).frameBytesMax / 2);
}

/**
 * Proposes a document write, as one entry or as its parts in order, and
 * returns the task part 0 created. When a later part cannot be proposed the
 * batch is abandoned (its task fails rather than waiting) and the error is
 * the client's.
 */
async function proposeWrite(services: PeerServices, command: DocumentsWriteCommand, bytesMax: number): Promise<SummarizedTask> {
  const [first, ...later] = splitWrite(command, bytesMax);
  const task = await proposeTask(services, first!);
  // Part 0 failed at apply (e.g. index_not_found): the later parts would change nothing.
  if (services.state().tasks.get(task.taskUid)?.status === 'failed') return task;
  for (const part of later) {
    try {
      await proposeTask(services, laterPart(part, task.taskUid));
    } catch (error) {
      await proposeTask(services, abandoningPart(part, task.taskUid, error)).catch(() => undefined);
      throw error;
    }
  }
  return task;
}

/** POST (replace) and PUT (update) /documents: parse, validate, split by shard, commit one command. */
function addition(services: PeerServices, mode: DocumentWriteMode) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const indexUid = indexUidParam(request);
    const { query, meta } = writeQuery(request, WRITE_PARAMS);
    const primaryKeyParam = queryString(query, 'primaryKey', 'invalid_index_primary_key') ?? null;
    const skipCreation = queryBool(query, 'skipCreation', 'invalid_skip_creation');
    const csvDelimiter = parseCsvDelimiter(queryString(query, 'csvDelimiter', 'invalid_document_csv_delimiter'));
    const format = documentFormat(request.headers['content-type'], csvDelimiter);
    const body = rawBody(request);
    const bytesMax = documentPayloadBytesMax(services);
    const documents = parseDocuments(body, format, csvDelimiter);
    // An index created through another peer must be seen, or its primary key would be inferred anew.
    if (!services.state().indexes.has(indexUid)) await services.syncRead();
    const state = services.state();
    const index = state.indexes.get(indexUid);
    const command = prepareDocumentWrite({
      indexUid,
      index: index === undefined ? null : { primaryKey: index.primaryKey, shards: index.shards },
      defaultShards: state.settings.defaultShards,
      documents,
      primaryKeyParam,
      mode,
      allowIndexCreation: request.caller.mayCreateIndex(indexUid),
      shardOf: shardOfFor(services),
      nowMs: services.clock.nowMs(),
      ...meta,
      ...(skipCreation === undefined ? {} : { skipCreation }),
    });
    return acknowledged(services, reply, await proposeWrite(services, command, bytesMax));
  };
}

export async function documentWriteRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  const add = { config: { action: 'documents.add', index: 'param', body: 'raw' } } as const;
  app.post('/indexes/:indexUid/documents', add, addition(services, 'replace'));
  app.put('/indexes/:indexUid/documents', add, addition(services, 'update'));

  const del = { config: { action: 'documents.delete', index: 'param' } } as const;

  app.delete('/indexes/:indexUid/documents/:documentId', del, async (request, reply) => {
    const indexUid = indexUidParam(request);
    const { documentId } = request.params as { documentId: string };
    return acknowledged(services, reply, await deleteIds(services, request, indexUid, [documentId]));
  });

  app.post('/indexes/:indexUid/documents/delete-batch', del, async (request, reply) => {
    const indexUid = indexUidParam(request);
    return acknowledged(services, reply, await deleteIds(services, request, indexUid, parseDeleteBatch(request.body)));
  });

  app.post('/indexes/:indexUid/documents/delete', del, async (request, reply) => {
    const indexUid = indexUidParam(request);
    const { meta } = writeQuery(request);
    const filter = parseDeleteFilter(request.body);
    const nowMs = services.clock.nowMs();
    return acknowledged(services, reply, await proposeTask(services, { v: 1, kind: 'documents.deleteFilter', indexUid, filter, nowMs, ...meta }));
  });

  app.delete('/indexes/:indexUid/documents', del, async (request, reply) => {
    const indexUid = indexUidParam(request);
    const { meta } = writeQuery(request);
    return acknowledged(services, reply, await proposeTask(services, { v: 1, kind: 'documents.clear', indexUid, nowMs: services.clock.nowMs(), ...meta }));
  });
}
