// The auth hook of the engine's HTTP server (API.md §0, §9.1): an `onRequest`
// hook that reads the route's `config: {action, index}` and either rejects
// the request with a Meilisearch auth error or attaches the caller's
// identity: `request.identity` (index patterns and tenant-token search rules,
// used by search routes to fuse filters, and by write routes through
// `canCreateIndex(request.identity, uid)` in api/protocol/auth/authorize.ts) and
// `request.indexFilter` (used by list routes). Routes with `action: null`
// (and unknown routes) are open.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EngineContext } from '../http/context.ts';
import { authorize, FULL_ACCESS, indexVisible, type Identity } from '../../api/protocol/auth/authorize.ts';
import { keyStoreFor } from './store-registry.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook; FULL_ACCESS on open routes and for the master key. */
    identity: Identity;
  }
}

export function authHook(ctx: EngineContext): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async function auth(request: FastifyRequest): Promise<void> {
    request.identity = FULL_ACCESS;
    request.indexFilter = null;
    const config = request.routeOptions.config;
    const action = config?.action;
    if (action === null || action === undefined) return;
    const params = request.params as Record<string, string | undefined> | undefined;
    const indexUid = config.index === 'param' ? params?.['indexUid'] ?? null : null;
    const identity = authorize({
      authorization: request.headers.authorization,
      action,
      indexUid,
      masterKey: ctx.masterKey,
      // Opened on first use, so a node that fails to start leaves no open in flight.
      store: await keyStoreFor(ctx),
      nowMs: ctx.clock.nowMs(),
    });
    request.identity = identity;
    request.indexFilter = identity === FULL_ACCESS ? null : (uid: string) => indexVisible(identity, uid);
  };
}
