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
// `writeAckMode: quorum`, the 202 of a document addition or deletion by id
// also waits, up to `write.quorumTimeoutMs`, until each shard of the write
// reached floor(RF/2)+1 node enqueue acks in at least one group; otherwise
// 503 miroir_no_quorum, naming the groups that fell short in
// `X-Miroir-Degraded: groups=…`; the write stays committed. (The 202 comes
// as soon as the quorum is met, when other groups may simply not have
// answered yet, so it names none.)
//
// A write to a missing index creates it when the caller may create that
// index (`indexes.create`, Meilisearch's rule); deletions never create one,
// their task fails with index_not_found at apply.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MeiliError } from '../errors/registry.ts';
import type { SummarizedTask } from '../../runtime/cluster/index.ts';
import { quorumSize } from '../../runtime/writes/quorum.ts';
import { DEGRADED_HEADER } from './read-support.ts';
import type { DocumentWriteMode } from '../../runtime/cluster/index.ts';
import { peerLimits } from '../../runtime/peer/limits.ts';
import type { PeerServices } from '../../runtime/peer/services.ts';
import { prepareDeleteIds, prepareDocumentWrite, type ShardOf } from '../../runtime/writes/index.ts';
import { rawBody } from '../plugins/body.ts';
import type { RouteOptions } from '../plugins/request-context.ts';
import { payloadTooLarge } from '../protocol/body.ts';
import { documentFormat, parseCsvDelimiter, parseDocuments } from '../protocol/documents/payload.ts';
import { parseDeleteBatch, parseDeleteFilter } from '../protocol/documents/deletion.ts';
import { queryBool, queryString } from '../protocol/deserr.ts';
import { accepted, indexUidParam, proposeTask, writeQuery } from './common.ts';

/** The 202 of a sharded write, once its acknowledgement mode is satisfied. */
async function acknowledged(services: PeerServices, reply: FastifyReply, task: SummarizedTask): Promise<FastifyReply> {
  const state = services.state();
  const logIndex = state.tasks.get(task.taskUid)?.logIndex;
  if (state.settings.writeAckMode !== 'quorum' || services.writeQuorum === undefined || logIndex === undefined) return accepted(reply, task);
  const timeoutMs = services.config.write.quorumTimeoutMs;
  const verdict = await services.writeQuorum.wait(logIndex, timeoutMs);
  if (!verdict.met) {
    reply.header(DEGRADED_HEADER, `groups=${verdict.missingGroups.join(',')}`);
    throw new MeiliError('miroir_no_quorum', `Task ${task.taskUid} is committed, but not every shard it writes reached ${quorumSize(state.settings.rf)} node enqueue acknowledgements in one replica group within ${timeoutMs} ms (groups short: ${verdict.missingGroups.join(', ') || 'none known'}). The write stays committed and will still be dispatched to the nodes: check task ${task.taskUid} before retrying.`);
  }
  return accepted(reply, task);
}

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
 * The largest document payload one command may carry: a command is one Raft
 * entry, and an entry must fit a peer-transport frame with room for the
 * `_miroir_shard` stamps and the append around it. Above it the write is
 * refused as too large rather than committed and never replicated.
 */
export function documentPayloadBytesMax(services: PeerServices): number {
  return Math.floor(peerLimits(services.config).frameBytesMax / 2);
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
    if (body.length > bytesMax) throw payloadTooLarge(bytesMax);
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
    return acknowledged(services, reply, await proposeTask(services, command));
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
    return accepted(reply, await proposeTask(services, { v: 1, kind: 'documents.deleteFilter', indexUid, filter, nowMs, ...meta }));
  });

  app.delete('/indexes/:indexUid/documents', del, async (request, reply) => {
    const indexUid = indexUidParam(request);
    const { meta } = writeQuery(request);
    return accepted(reply, await proposeTask(services, { v: 1, kind: 'documents.clear', indexUid, nowMs: services.clock.nowMs(), ...meta }));
  });
}
