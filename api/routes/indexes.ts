// Index routes (API.md §1.1) over the replicated state: list and get are
// answered from this peer's replica (get syncs once before a 404); create,
// update (primary key, rename) and delete become Raft commands and answer 202
// with the summarized task once applied here. A duplicate creation or a
// missing index fails inside the task, as in Meilisearch.
import type { FastifyInstance } from 'fastify';
import { MeiliError } from '../errors/registry.ts';
import { indexView, listIndexes } from '../../runtime/cluster/index.ts';
import { checkIndexUid } from '../protocol/index-uid.ts';
import type { RouteOptions } from '../plugins/request-context.ts';
import { checkQueryKeys, expectObject, invalidType, missingField, queryUint } from '../protocol/deserr.ts';
import { acknowledged, indexUidParam, proposeTask, queryOf, requireIndex, writeQuery } from './common.ts';

function bodyIndexUid(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalidType('invalid_index_uid', path, ['string'], value);
  return checkIndexUid(value, path);
}

function optionalPrimaryKey(body: Record<string, unknown>): string | null {
  const pk = body['primaryKey'];
  if (pk === undefined || pk === null) return null;
  if (typeof pk !== 'string') throw invalidType('invalid_index_primary_key', '.primaryKey', ['null', 'string'], pk);
  return pk;
}

function parseCreateBody(raw: unknown): { uid: string; primaryKey: string | null } {
  const body = expectObject(raw, ['uid', 'primaryKey']);
  if (body['uid'] === undefined) throw missingField('missing_index_uid', 'uid');
  return { uid: bodyIndexUid(body['uid'], '.uid'), primaryKey: optionalPrimaryKey(body) };
}

const UPDATE_FIELDS = ['primaryKey', 'uid'];
const IMMUTABLE = [['createdAt', 'immutable_index_created_at'], ['updatedAt', 'immutable_index_updated_at']] as const;

function parseUpdateBody(raw: unknown): { primaryKey: string | null; newUid: string | null } {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    for (const [key, code] of IMMUTABLE) {
      if (Object.hasOwn(raw, key)) {
        throw new MeiliError(code, `Immutable field \`${key}\`: expected one of ${UPDATE_FIELDS.map((f) => `\`${f}\``).join(', ')}`);
      }
    }
  }
  const body = expectObject(raw, UPDATE_FIELDS);
  const uid = body['uid'];
  return { primaryKey: optionalPrimaryKey(body), newUid: uid === undefined || uid === null ? null : bodyIndexUid(uid, '.uid') };
}

export async function indexRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  app.get('/indexes', { config: { action: 'indexes.get', index: 'none' } }, async (request) => {
    const query = queryOf(request);
    checkQueryKeys(query, ['offset', 'limit']);
    const offset = queryUint(query, 'offset', 'invalid_index_offset') ?? 0;
    const limit = queryUint(query, 'limit', 'invalid_index_limit') ?? 20;
    return listIndexes(services.state(), { offset, limit }, (uid) => request.caller.mayAccess(uid));
  });

  app.post('/indexes', { config: { action: 'indexes.create', index: 'none' } }, async (request, reply) => {
    const { meta } = writeQuery(request);
    const { uid, primaryKey } = parseCreateBody(request.body);
    request.caller.checkIndex(uid);
    const shards = services.state().settings.defaultShards;
    const nowMs = services.clock.nowMs();
    return acknowledged(services, reply, await proposeTask(services, { v: 1, kind: 'index.create', uid, primaryKey, shards, nowMs, ...meta }));
  });

  app.get('/indexes/:indexUid', { config: { action: 'indexes.get', index: 'param' } }, async (request) => {
    return indexView(await requireIndex(services, indexUidParam(request)));
  });

  app.patch('/indexes/:indexUid', { config: { action: 'indexes.update', index: 'param' } }, async (request, reply) => {
    const uid = indexUidParam(request);
    const { meta } = writeQuery(request);
    const { primaryKey, newUid } = parseUpdateBody(request.body);
    if (newUid !== null) request.caller.checkIndex(newUid);
    const command = {
      v: 1 as const,
      kind: 'index.update' as const,
      uid,
      nowMs: services.clock.nowMs(),
      ...(primaryKey === null ? {} : { primaryKey }),
      ...(newUid === null ? {} : { newUid }),
      ...meta,
    };
    return acknowledged(services, reply, await proposeTask(services, command));
  });

  app.delete('/indexes/:indexUid', { config: { action: 'indexes.delete', index: 'param' } }, async (request, reply) => {
    const uid = indexUidParam(request);
    const { meta } = writeQuery(request);
    return acknowledged(services, reply, await proposeTask(services, { v: 1, kind: 'index.delete', uid, nowMs: services.clock.nowMs(), ...meta }));
  });
}
