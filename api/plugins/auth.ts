// Client authentication and authorization (API.md §0, §9): an `onRequest`
// hook reading the route's `config: {action, index}`. Keys are checked by
// Miroir itself, from the replicated key records of the cluster state: nodes
// only ever see the node master key, never a client's credentials.
//
//   no master key configured → every route open except `keys.*`
//     (401 `missing_master_key`);
//   no Authorization header, or a scheme other than Bearer → 401
//     `missing_authorization_header`; `Bearer` alone → 403 `invalid_api_key`;
//   the master key → everything;
//   anything else is resolved by `resolveToken`: by default `clusterKeys`,
//     Meilisearch's own rules (api/protocol/auth/authorize.ts, shared with
//     the engine) over the replicated key records — an API key by its derived
//     key string, a tenant token on `search` routes; 403 `invalid_api_key`
//     when it grants nothing.
//
// The hook leaves `request.caller` and `request.tenantFilter` set on every
// request (api/plugins/request-context.ts).
import type { FastifyRequest } from 'fastify';
import { MeiliError } from '../errors/registry.ts';
import type { FilterParam } from '../../runtime/routing/shard-filter.ts';
import type { PeerServices } from '../../runtime/peer/services.ts';
import { authorize, canCreateIndex, checkIndexScope, indexVisible, ruleFilterFor, type Identity, type KeyGrant, type KeyLookup } from '../protocol/auth/authorize.ts';
import { keyMatches } from '../protocol/auth/key-derivation.ts';
import type { Caller } from './request-context.ts';
import { sameSecret } from './admin-auth.ts';

export const FULL_ACCESS_OPEN: Caller = fullAccess('open');
export const FULL_ACCESS_MASTER: Caller = fullAccess('master');

function fullAccess(kind: 'open' | 'master'): Caller {
  return {
    kind,
    mayAccess: () => true,
    checkIndex: () => undefined,
    mayCreateIndex: () => true,
    tenantFilterFor: () => null,
  };
}

export function invalidApiKey(): MeiliError {
  return new MeiliError('invalid_api_key', 'The provided API key is invalid.');
}

function missingMasterKey(): MeiliError {
  return new MeiliError(
    'missing_master_key',
    'Meilisearch is running without a master key. To access this API endpoint, you must have set a master key at launch.',
  );
}

/** The bearer token of the Authorization header, or Meilisearch's 401/403. */
export function bearerToken(header: string | undefined): string {
  const missing = (): MeiliError =>
    new MeiliError('missing_authorization_header', 'The Authorization header is missing. It must use the bearer authorization method.');
  if (header === undefined) throw missing();
  const space = header.indexOf(' ');
  const scheme = space < 0 ? header : header.slice(0, space);
  if (scheme !== 'Bearer') throw missing();
  const token = space < 0 ? '' : header.slice(space + 1);
  if (token === '') throw invalidApiKey();
  return token;
}

export interface AuthInput {
  readonly authorization: string | undefined;
  readonly action: string;
  /** The index named by the route's path, if any. */
  readonly indexUid: string | null;
  readonly masterKey: string | null;
}

/** Resolves a non-master token into a caller (API keys, tenant tokens); throws when it grants nothing. */
export type TokenResolver = (token: string, input: AuthInput) => Caller;

/** The replicated key records, as authorization looks them up. */
function keyLookup(services: PeerServices): KeyLookup {
  return {
    get: (uid) => services.state().keys.get(uid),
    findByKey: (masterKey, key): KeyGrant | undefined => {
      for (const record of services.state().keys.values()) if (keyMatches(masterKey, record.uid, key)) return record;
      return undefined;
    },
  };
}

/** A tenant token's rule filter in array form (a string is one condition). */
function arrayFilter(filter: unknown): FilterParam | null {
  if (filter === null || filter === undefined) return null;
  return typeof filter === 'string' ? [filter] : (filter as FilterParam);
}

function callerOf(identity: Identity): Caller {
  return {
    kind: identity.searchRules === null ? 'key' : 'tenant',
    mayAccess: (uid) => indexVisible(identity, uid),
    checkIndex: (uid) => checkIndexScope(identity, uid),
    mayCreateIndex: (uid) => canCreateIndex(identity, uid),
    tenantFilterFor: (uid) => arrayFilter(ruleFilterFor(identity, uid)),
  };
}

/** API keys and tenant tokens checked against the cluster's replicated key records. */
export function clusterKeys(services: PeerServices): TokenResolver {
  const keys = keyLookup(services);
  return (_token, input) =>
    callerOf(
      authorize({
        authorization: input.authorization,
        action: input.action,
        indexUid: input.indexUid,
        masterKey: input.masterKey,
        store: keys,
        nowMs: services.clock.nowMs(),
      }),
    );
}

/** The authorization decision for one request. */
export function authenticate(input: AuthInput, resolveToken: TokenResolver): Caller {
  if (input.masterKey === null) {
    if (input.action.startsWith('keys.')) throw missingMasterKey();
    return FULL_ACCESS_OPEN;
  }
  const token = bearerToken(input.authorization);
  if (sameSecret(token, input.masterKey)) return FULL_ACCESS_MASTER;
  return resolveToken(token, input);
}

export function authHook(services: PeerServices, resolveToken: TokenResolver = clusterKeys(services)): (request: FastifyRequest) => Promise<void> {
  return async function auth(request: FastifyRequest): Promise<void> {
    request.caller = FULL_ACCESS_OPEN;
    request.tenantFilter = null;
    const config = request.routeOptions.config;
    const action = config?.action;
    if (config?.admin === true || action === null || action === undefined) return;
    const params = request.params as Record<string, string | undefined> | undefined;
    const indexUid = config.index === 'param' ? (params?.['indexUid'] ?? null) : null;
    const caller = authenticate(
      { authorization: request.headers.authorization, action, indexUid, masterKey: services.config.secrets.masterKey },
      resolveToken,
    );
    request.caller = caller;
    request.tenantFilter = indexUid === null ? null : caller.tenantFilterFor(indexUid);
  };
}
