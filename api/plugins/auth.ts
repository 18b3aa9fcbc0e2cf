// Client authentication and authorization (API.md §0, §9): an `onRequest`
// hook reading the route's `config: {action, index}`. Keys are checked by
// Miroir itself, from the replicated key records of the cluster state: nodes
// only ever see the node master key, never a client's credentials. The
// decision is Meilisearch's, made by the module the engine uses
// (api/protocol/auth/authorize.ts):
//
//   no master key configured → every route open except `keys.*`
//     (401 `missing_master_key`);
//   no Authorization header, or a scheme other than Bearer → 401
//     `missing_authorization_header`; `Bearer` alone → 403 `invalid_api_key`;
//   the master key (compared in constant time) → everything;
//   an API key, found by its derived key string among the replicated
//     records, or a tenant token on `search` routes → what the key grants;
//   anything else → 403 `invalid_api_key`.
//
// The hook leaves `request.caller` and `request.tenantFilter` set on every
// request (api/plugins/request-context.ts).
import type { FastifyRequest } from 'fastify';
import type { FilterParam } from '../../runtime/routing/shard-filter.ts';
import type { PeerServices } from '../../runtime/peer/services.ts';
import {
  authorize, canCreateIndex, checkIndexScope, FULL_ACCESS, indexVisible, ruleFilterFor,
  type Identity, type KeyGrant, type KeyLookup,
} from '../protocol/auth/authorize.ts';
import { keyMatches } from '../protocol/auth/key-derivation.ts';
import type { Caller } from './request-context.ts';

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

/** The replicated key records, as authorization looks them up. */
export function clusterKeys(services: PeerServices): KeyLookup {
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

export interface AuthInput {
  readonly authorization: string | undefined;
  readonly action: string;
  /** The index named by the route's path, if any. */
  readonly indexUid: string | null;
  readonly masterKey: string | null;
  readonly nowMs: number;
}

/** The authorization decision for one request; throws Meilisearch's 401/403. */
export function authenticate(input: AuthInput, keys: KeyLookup): Caller {
  const identity = authorize({ ...input, store: keys });
  if (identity === FULL_ACCESS) return input.masterKey === null ? FULL_ACCESS_OPEN : FULL_ACCESS_MASTER;
  return callerOf(identity);
}

export function authHook(services: PeerServices): (request: FastifyRequest) => Promise<void> {
  const keys = clusterKeys(services);
  return async function auth(request: FastifyRequest): Promise<void> {
    request.caller = FULL_ACCESS_OPEN;
    request.tenantFilter = null;
    const config = request.routeOptions.config;
    const action = config?.action;
    if (config?.admin === true || action === null || action === undefined) return;
    const params = request.params as Record<string, string | undefined> | undefined;
    const indexUid = config.index === 'param' ? (params?.['indexUid'] ?? null) : null;
    const { authorization } = request.headers;
    const masterKey = services.config.secrets.masterKey;
    const caller = authenticate({ authorization, action, indexUid, masterKey, nowMs: services.clock.nowMs() }, keys);
    request.caller = caller;
    request.tenantFilter = indexUid === null ? null : caller.tenantFilterFor(indexUid);
  };
}
