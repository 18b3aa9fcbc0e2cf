// The /keys routes (API.md §9.1) through the log: create (201), list (newest
// first), get, patch (name and description only) and delete (204). `{key}`
// in the path is the key's uid or the key itself. Bodies are validated by
// the module the engine uses (api/protocol/auth/key-body.ts). Only metadata
// is replicated: the `key` string is derived from the master key when a key
// is shown (runtime/cluster/apply-keys.ts), so it never enters the log.
//
// The auth hook answers 401 missing_master_key on every `keys.*` route when
// no master key is configured, so these handlers always have one.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MeiliError } from '../errors/registry.ts';
import { listKeys, type ApiKeyRecord } from '../../runtime/cluster/index.ts';
import { uuidV4 } from '../../runtime/peer/bootstrap.ts';
import type { PeerServices } from '../../runtime/peer/services.ts';
import type { RouteOptions } from '../plugins/request-context.ts';
import { parseCreateKey, parsePatchKey } from '../protocol/auth/key-body.ts';
import { keyMatches } from '../protocol/auth/key-derivation.ts';
import { keyView } from '../protocol/auth/key-view.ts';
import { tryParseUuid } from '../protocol/auth/uuid.ts';
import { checkQueryKeys, queryUint } from '../protocol/deserr.ts';
import { queryOf, unwrap } from './common.ts';

function masterKeyOf(services: PeerServices): string {
  const masterKey = services.config.secrets.masterKey;
  if (masterKey === null) throw new Error('a /keys route ran without a master key: the auth hook must have refused it');
  return masterKey;
}

function findKey(services: PeerServices, masterKey: string, uidOrKey: string): ApiKeyRecord | undefined {
  const keys = services.state().keys;
  const uid = tryParseUuid(uidOrKey);
  if (uid !== null) return keys.get(uid);
  for (const record of keys.values()) if (keyMatches(masterKey, record.uid, uidOrKey)) return record;
  return undefined;
}

/** The key named by `:key`, syncing this peer's replica once before answering 404. */
async function requireKey(services: PeerServices, request: FastifyRequest, masterKey: string): Promise<ApiKeyRecord> {
  const { key } = request.params as { key: string };
  let record = findKey(services, masterKey, key);
  if (record === undefined) {
    await services.syncRead();
    record = findKey(services, masterKey, key);
  }
  if (record === undefined) throw new MeiliError('api_key_not_found', `API key \`${tryParseUuid(key) ?? key}\` not found.`);
  return record;
}

function committedKey(services: PeerServices, uid: string): ApiKeyRecord {
  const record = services.state().keys.get(uid);
  if (record === undefined) throw new Error(`key ${uid} is missing right after its command applied`);
  return record;
}

export async function keyRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  app.post('/keys', { config: { action: 'keys.create', index: 'none' } }, async (request, reply) => {
    const masterKey = masterKeyOf(services);
    const nowMs = services.clock.nowMs();
    const input = parseCreateKey(request.body, nowMs);
    const uid = input.uid ?? uuidV4(services.rng);
    const { name, description, actions, indexes, expiresAtMs } = input;
    unwrap(await services.propose({ v: 1, kind: 'key.create', uid, name, description, actions, indexes, expiresAtMs, nowMs }));
    return reply.code(201).send(keyView(committedKey(services, uid), masterKey));
  });

  app.get('/keys', { config: { action: 'keys.get', index: 'none' } }, async (request) => {
    const masterKey = masterKeyOf(services);
    const query = queryOf(request);
    checkQueryKeys(query, ['offset', 'limit']);
    const offset = queryUint(query, 'offset', 'invalid_api_key_offset') ?? 0;
    const limit = queryUint(query, 'limit', 'invalid_api_key_limit') ?? 20;
    const all = listKeys(services.state());
    return { results: all.slice(offset, offset + limit).map((r) => keyView(r, masterKey)), offset, limit, total: all.length };
  });

  app.get('/keys/:key', { config: { action: 'keys.get', index: 'none' } }, async (request) => {
    const masterKey = masterKeyOf(services);
    return keyView(await requireKey(services, request, masterKey), masterKey);
  });

  app.patch('/keys/:key', { config: { action: 'keys.update', index: 'none' } }, async (request) => {
    const masterKey = masterKeyOf(services);
    const patch = parsePatchKey(request.body);
    const { uid } = await requireKey(services, request, masterKey);
    unwrap(await services.propose({ v: 1, kind: 'key.update', uid, ...patch, nowMs: services.clock.nowMs() }));
    return keyView(committedKey(services, uid), masterKey);
  });

  app.delete('/keys/:key', { config: { action: 'keys.delete', index: 'none', body: 'none' } }, async (request, reply) => {
    const masterKey = masterKeyOf(services);
    const { uid } = await requireKey(services, request, masterKey);
    unwrap(await services.propose({ v: 1, kind: 'key.delete', uid }));
    return reply.code(204).send();
  });
}
