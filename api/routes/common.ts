// What the edge's route plugins share: the validated `:indexUid` parameter,
// the `customMetadata` parameter of write routes, and the one way a write
// becomes an answer — propose the command, wait until it is applied on this
// peer, and answer with the summarized task of the ApplyResult (202), or with
// the error apply rejected it with, after the wait of the `quorum` ack mode. Proposal failures (no leader, timeout,
// overload) are runtime errors the error handler answers as retriable 5xx.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MeiliError } from '../errors/registry.ts';
import type { ApplyResult, ClusterCommand, IndexRecord, SummarizedTask, TaskRecord } from '../../runtime/cluster/index.ts';
import type { PeerServices } from '../../runtime/peer/services.ts';
import { quorumSize, writeEntries } from '../../runtime/writes/quorum.ts';
import { DEGRADED_HEADER } from './read-support.ts';
import { checkIndexUid } from '../protocol/index-uid.ts';
import { checkQueryKeys, queryString, type Query } from '../protocol/deserr.ts';

export function queryOf(request: FastifyRequest): Query {
  return (request.query ?? {}) as Query;
}

/** The `:indexUid` path parameter, or Meilisearch's invalid_index_uid. */
export function indexUidParam(request: FastifyRequest): string {
  const { indexUid } = request.params as { indexUid: string };
  return checkIndexUid(indexUid);
}

export interface WriteMeta {
  customMetadata?: string;
}

/** Checks a write route's query string (`accepted` parameters only) and reads `customMetadata`. */
export function writeQuery(request: FastifyRequest, accepted: readonly string[] = ['customMetadata']): { query: Query; meta: WriteMeta } {
  const query = queryOf(request);
  checkQueryKeys(query, accepted);
  const customMetadata = queryString(query, 'customMetadata', 'invalid_index_custom_metadata');
  return { query, meta: customMetadata === undefined ? {} : { customMetadata } };
}

/** The result of applying a command: the rejection becomes its Meilisearch error. */
export function unwrap(result: ApplyResult): Exclude<ApplyResult, { kind: 'rejected' }> {
  if (result.kind === 'rejected') throw new MeiliError(result.error.code, result.error.message);
  return result;
}

/** Commits a task command and resolves with its summarized task (the 202 body). */
export async function proposeTask(services: PeerServices, command: ClusterCommand): Promise<SummarizedTask> {
  const result = unwrap(await services.propose(command));
  if (result.kind !== 'task') throw new Error(`command ${command.kind} applied without a task (${result.kind})`);
  return result.task;
}

/**
 * The 202 of a committed write, once its acknowledgement mode is satisfied
 * (ARCHITECTURE §3 step 7). Under the cluster setting `writeAckMode: quorum`
 * every write that goes to nodes also waits, up to `write.quorumTimeoutMs`,
 * for its node enqueue acks (runtime/writes/quorum.ts: each shard on
 * floor(RF/2)+1 of its owners in some group; a broadcast such as settings or
 * an index deletion, on enough of one group's nodes for that to hold whatever
 * the placement); otherwise 503 miroir_no_quorum, naming the groups that fell
 * short in `X-Miroir-Degraded: groups=…`; the write stays committed. (The 202
 * comes as soon as the quorum is met, when other groups may simply not have
 * answered yet, so it names none.)
 */
export async function acknowledged(services: PeerServices, reply: FastifyReply, task: SummarizedTask): Promise<FastifyReply> {
  const state = services.state();
  const logIndex = state.tasks.get(task.taskUid)?.logIndex;
  if (state.settings.writeAckMode !== 'quorum' || services.writeQuorum === undefined || logIndex === undefined) return reply.code(202).send(task);
  const timeoutMs = services.config.write.quorumTimeoutMs;
  const verdict = await services.writeQuorum.waitAll(writeEntries(state, task.taskUid, logIndex), timeoutMs);
  if (!verdict.met) {
    reply.header(DEGRADED_HEADER, `groups=${verdict.missingGroups.join(',')}`);
    throw new MeiliError('miroir_no_quorum', `Task ${task.taskUid} is committed, but not every shard it writes reached ${quorumSize(state.settings.rf)} node enqueue acknowledgements in one replica group within ${timeoutMs} ms (groups short: ${verdict.missingGroups.join(', ') || 'none known'}). The write stays committed and will still be dispatched to the nodes: check task ${task.taskUid} before retrying.`);
  }
  return reply.code(202).send(task);
}

/** The index from this peer's replica, syncing it once before answering 404 (another peer may just have created it). */
export async function requireIndex(services: PeerServices, uid: string): Promise<Readonly<IndexRecord>> {
  let index = services.state().indexes.get(uid);
  if (index === undefined) {
    await services.syncRead();
    index = services.state().indexes.get(uid);
  }
  if (index === undefined) throw new MeiliError('index_not_found', `Index \`${uid}\` not found.`);
  return index;
}

/** Whether the caller may see a task: tasks without an index are visible to every caller of the route. */
export function taskVisible(request: FastifyRequest, task: Readonly<TaskRecord>): boolean {
  return task.indexUid === null || request.caller.mayAccess(task.indexUid);
}
