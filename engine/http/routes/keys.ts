// The /keys routes (API.md §9.1): create (201), list (newest first), get,
// patch (name and description only) and delete (204). `{key}` in the path
// is either the key's uid or the key itself. The store is shared with the
// auth hook (engine/auth/store-registry.ts).
import type { FastifyInstance } from 'fastify';
import { MeiliError } from '../../../api/errors/registry.ts';
import { parseCreateKey, parsePatchKey } from '../../../api/protocol/auth/key-body.ts';
import { keyView } from '../../../api/protocol/auth/key-view.ts';
import type { KeyRecord, KeyStore } from '../../auth/key-store.ts';
import { keyStoreFor } from '../../auth/store-registry.ts';
import { tryParseUuid } from '../../../api/protocol/auth/uuid.ts';
import type { RouteOptions } from '../context.ts';
import { checkQueryKeys, queryUint, type Query } from '../../../api/protocol/deserr.ts';

function resolveKey(store: KeyStore, masterKey: string, uidOrKey: string): KeyRecord {
  const uid = tryParseUuid(uidOrKey) ?? store.findByKey(masterKey, uidOrKey)?.uid ?? null;
  const record = uid === null ? undefined : store.get(uid);
  if (record === undefined) throw new MeiliError('api_key_not_found', `API key \`${uid ?? uidOrKey}\` not found.`);
  return record;
}

/** The /keys routes only exist behind a master key: the auth hook answers 401 otherwise. */
function requireMasterKey(masterKey: string | null): string {
  if (masterKey === null) {
    throw new MeiliError('missing_master_key', 'Meilisearch is running without a master key. To access this API endpoint, you must have set a master key at launch.');
  }
  return masterKey;
}

export async function keyRoutes(app: FastifyInstance, opts: RouteOptions): Promise<void> {
  const { ctx } = opts;
  const store = () => keyStoreFor(ctx);

  app.post('/keys', { config: { action: 'keys.create', index: 'none' } }, async (request, reply) => {
    const masterKey = requireMasterKey(ctx.masterKey);
    const keys = await store();
    const nowMs = ctx.clock.nowMs();
    const input = parseCreateKey(request.body, nowMs);
    if (input.uid !== null && keys.has(input.uid)) {
      throw new MeiliError('api_key_already_exists', `\`uid\` field value \`${input.uid}\` is already an existing API key.`);
    }
    const record = await keys.create(input, nowMs);
    return reply.code(201).send(keyView(record, masterKey));
  });

  app.get('/keys', { config: { action: 'keys.get', index: 'none' } }, async (request) => {
    const masterKey = requireMasterKey(ctx.masterKey);
    const query = request.query as Query;
    checkQueryKeys(query, ['offset', 'limit']);
    const offset = queryUint(query, 'offset', 'invalid_api_key_offset') ?? 0;
    const limit = queryUint(query, 'limit', 'invalid_api_key_limit') ?? 20;
    const all = (await store()).list();
    return { results: all.slice(offset, offset + limit).map((r) => keyView(r, masterKey)), offset, limit, total: all.length };
  });

  app.get('/keys/:key', { config: { action: 'keys.get', index: 'none' } }, async (request) => {
    const masterKey = requireMasterKey(ctx.masterKey);
    const { key } = request.params as { key: string };
    return keyView(resolveKey(await store(), masterKey, key), masterKey);
  });

  app.patch('/keys/:key', { config: { action: 'keys.update', index: 'none' } }, async (request) => {
    const masterKey = requireMasterKey(ctx.masterKey);
    const patch = parsePatchKey(request.body);
    const keys = await store();
    const { key } = request.params as { key: string };
    const record = resolveKey(keys, masterKey, key);
    const updated = await keys.update(record.uid, patch, ctx.clock.nowMs());
    if (updated === undefined) throw new MeiliError('api_key_not_found', `API key \`${record.uid}\` not found.`);
    return keyView(updated, masterKey);
  });

  app.delete('/keys/:key', { config: { action: 'keys.delete', index: 'none' } }, async (request, reply) => {
    const masterKey = requireMasterKey(ctx.masterKey);
    const keys = await store();
    const { key } = request.params as { key: string };
    const record = resolveKey(keys, masterKey, key);
    await keys.delete(record.uid);
    return reply.code(204).send();
  });
}
