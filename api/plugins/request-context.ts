// The contract between the edge's app (api/app.ts), its plugins and every
// route plugin, including the read path's (search, documents-read, stats):
//
// - A route plugin is `async function xxxRoutes(app, { services })`, where
//   `services` is the running peer (runtime/peer/services.ts).
// - Every route declares `config: { action, index }`:
//   * `action`: the Meilisearch API-key action guarding it (`search`,
//     `documents.add`, …), or null for an open route (`/health`);
//   * `index`: 'param' when the route names its index in `:indexUid`
//     (the auth hook then checks the caller's index scope), else 'none';
//   * optional `body`: 'json' (default for POST/PUT/PATCH: the Content-Type
//     is checked and `request.body` is the parsed JSON, with Meilisearch's
//     415/400 errors already answered), 'raw' (a Buffer: document payloads),
//     'none' (any body ignored; default for GET/DELETE).
//   Routes under `/_miroir/` are admin routes: `config.admin: true` makes the
//   admin-key hook guard them (api/plugins/admin-auth.ts); their `action` is null.
// - The auth hook (api/plugins/auth.ts) sets on every request:
//   * `request.caller`: who is calling — `mayAccess(uid)` (list routes filter
//     with it, multi-search checks each query's index with `checkIndex`),
//     `mayCreateIndex(uid)` (writes to a missing index create it only then),
//     `tenantFilterFor(uid)` (a tenant token's rule filter for that index in
//     array form, or null);
//   * `request.tenantFilter`: `tenantFilterFor(:indexUid)` on routes with an
//     index parameter, null otherwise — the search routes AND it with the
//     client's filter.
// - Errors: throw MeiliError (api/errors/registry.ts) or let runtime errors
//   (runtime/errors.ts) through; api/plugins/errors.ts answers them.
import type { FilterParam } from '../../runtime/routing/shard-filter.ts';
import type { PeerServices } from '../../runtime/peer/services.ts';

/** The options every route plugin receives. */
export interface RouteOptions {
  services: PeerServices;
}

/** Who is calling, once authenticated (api/plugins/auth.ts). */
export interface Caller {
  /** 'open' (no master key configured, or an open route), 'master', 'key' (API key), 'tenant' (tenant token). */
  readonly kind: 'open' | 'master' | 'key' | 'tenant';
  /** Whether the caller may see the index at all (list routes filter with it). */
  mayAccess(indexUid: string): boolean;
  /** Throws Meilisearch's 403 when the index is outside the caller's scope. */
  checkIndex(indexUid: string): void;
  /** Whether a write may create the index when it is missing (the key holds `indexes.create` for it). */
  mayCreateIndex(indexUid: string): boolean;
  /** The tenant token's rule filter for the index, in array form; null without one. */
  tenantFilterFor(indexUid: string): FilterParam | null;
}

declare module 'fastify' {
  // The engine's server declares the same three route options with the same
  // types (both live in one TypeScript program); they must stay identical.
  interface FastifyContextConfig {
    action?: string | null;
    index?: 'param' | 'none';
    body?: 'json' | 'raw' | 'none';
    /** An admin route under /_miroir: guarded by the admin key instead of client auth. */
    admin?: boolean;
  }
  interface FastifyRequest {
    caller: Caller;
    tenantFilter: FilterParam | null;
  }
}
