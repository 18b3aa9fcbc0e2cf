// Index routes (API.md §1.1): list, create, get, update (primary key,
// rename), delete. Writes answer 202 with a summarized task; a duplicate
// creation or a missing index on update/delete fails inside the task.
import { MeiliError } from '../../../api/errors/registry.ts';
import { checkIndexUid } from '../../../api/protocol/index-uid.ts';
import type { RouteOptions } from '../context.ts';
import { checkQueryKeys, expectObject, invalidType, missingField, queryUint } from '../../../api/protocol/deserr.ts';
import { accepted, indexUidParam, indexView, queryOf, visible, writeQuery } from '../route-helpers.ts';
import type { FastifyInstance } from 'fastify';

function optionalPrimaryKey(body: Record<string, unknown>): string | null {
  const pk = body.primaryKey;
  if (pk === undefined || pk === null) return null;
  if (typeof pk !== 'string') throw invalidType('invalid_index_primary_key', '.primaryKey', ['null', 'string'], pk);
  return pk;
}

function parseCreateBody(raw: unknown): { uid: string; primaryKey: string | null } {
  const body = expectObject(raw, ['uid', 'primaryKey']);
  if (body.uid === undefined) throw missingField('missing_index_uid', 'uid');
  if (typeof body.uid !== 'string') throw invalidType('invalid_index_uid', '.uid', ['string'], body.uid);
  return { uid: checkIndexUid(body.uid, '.uid'), primaryKey: optionalPrimaryKey(body) };
}

function parseUpdateBody(raw: unknown): { primaryKey: string | null; newUid: string | null } {
  const fields = ['primaryKey', 'uid'];
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    for (const [key, code] of [['createdAt', 'immutable_index_created_at'], ['updatedAt', 'immutable_index_updated_at']] as const) {
      if (key in raw) throw new MeiliError(code, `Immutable field \`${key}\`: expected one of ${fields.map((f) => `\`${f}\``).join(', ')}`);
    }
  }
  const body = expectObject(raw, fields);
  let newUid: string | null = null;
  if (body.uid !== undefined && body.uid !== null) {
    if (typeof body.uid !== 'string') throw invalidType('invalid_index_uid', '.uid', ['string'], body.uid);
    newUid = checkIndexUid(body.uid, '.uid');
  }
  return { primaryKey: optionalPrimaryKey(body), newUid };
}

export async function indexRoutes(app: FastifyInstance, { ctx }: RouteOptions): Promise<void> {
  app.get('/indexes', { config: { action: 'indexes.get', index: 'none' } }, async (request) => {
    const query = queryOf(request);
    checkQueryKeys(query, ['offset', 'limit']);
    const offset = queryUint(query, 'offset', 'invalid_index_offset') ?? 0;
    const limit = queryUint(query, 'limit', 'invalid_index_limit') ?? 20;
    const all = ctx.indexes.list().filter((entry) => visible(request, entry.uid));
    return { results: all.slice(offset, offset + limit).map(indexView), offset, limit, total: all.length };
  });

  app.post('/indexes', { config: { action: 'indexes.create', index: 'none' } }, async (request, reply) => {
    const { meta } = writeQuery(request);
    const { uid, primaryKey } = parseCreateBody(request.body);
    return accepted(reply, await ctx.tasks.enqueue({
      indexUid: uid, op: { op: 'indexCreation', primaryKey }, ...meta,
    }));
  });

  app.get('/indexes/:indexUid', { config: { action: 'indexes.get', index: 'param' } }, async (request) => {
    return indexView(ctx.indexes.require(indexUidParam(request)));
  });

  app.patch('/indexes/:indexUid', { config: { action: 'indexes.update', index: 'param' } }, async (request, reply) => {
    const uid = indexUidParam(request);
    const { meta } = writeQuery(request);
    const { primaryKey, newUid } = parseUpdateBody(request.body);
    return accepted(reply, await ctx.tasks.enqueue({
      indexUid: uid, op: { op: 'indexUpdate', primaryKey, newUid }, ...meta,
    }));
  });

  app.delete('/indexes/:indexUid', { config: { action: 'indexes.delete', index: 'param' } }, async (request, reply) => {
    const uid = indexUidParam(request);
    const { meta } = writeQuery(request);
    return accepted(reply, await ctx.tasks.enqueue({
      indexUid: uid, op: { op: 'indexDeletion' }, ...meta,
    }));
  });
}
