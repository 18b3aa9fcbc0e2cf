// Small pieces every engine route plugin shares: the validated `:indexUid`
// path parameter, the `customMetadata` query parameter of write routes, the
// query object, and the index views.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { checkIndexUid } from '../../api/protocol/index-uid.ts';
import { formatRfc3339 } from '../../api/protocol/time-format.ts';
import type { SummarizedTask } from '../tasks/types.ts';
import { checkQueryKeys, queryString, type Query } from '../../api/protocol/deserr.ts';
import type { IndexEntry } from './context.ts';

export function queryOf(request: FastifyRequest): Query {
  return (request.query ?? {}) as Query;
}

export function indexUidParam(request: FastifyRequest): string {
  const { indexUid } = request.params as { indexUid: string };
  return checkIndexUid(indexUid);
}

/** The `customMetadata` query parameter of a write route, checking no other parameter is present. */
export function writeQuery(request: FastifyRequest, accepted: readonly string[] = ['customMetadata']): { query: Query; meta: { customMetadata?: string } } {
  const query = queryOf(request);
  checkQueryKeys(query, accepted);
  const customMetadata = queryString(query, 'customMetadata', 'invalid_index_custom_metadata');
  return { query, meta: customMetadata === undefined ? {} : { customMetadata } };
}

export function accepted(reply: FastifyReply, task: SummarizedTask): FastifyReply {
  return reply.code(202).send(task);
}

export function indexView(entry: IndexEntry): Record<string, unknown> {
  return {
    uid: entry.uid,
    createdAt: formatRfc3339(entry.createdAt.getTime()),
    updatedAt: formatRfc3339(entry.updatedAt.getTime()),
    primaryKey: entry.primaryKey,
  };
}

/** Whether the caller may see an index (the auth hook narrows it). */
export function visible(request: FastifyRequest, uid: string): boolean {
  return request.indexFilter === null || request.indexFilter === undefined || request.indexFilter(uid);
}
