// The contract between the engine's server and the route plugins written by
// others (auth, keys, search). Route plugins are Fastify plugins registered by
// engine/http/app.ts `buildEngineApp(ctx)` as `app.register(plugin, { ctx })`.
//
// Contract, as agreed:
// - Every route plugin receives `opts.ctx: EngineContext`.
//   * `ctx.indexes.get(uid)` → the IndexEntry (`{uid, primaryKey, createdAt,
//     updatedAt, settings, index: SearchIndex}`) or undefined; `ctx.indexes.require(uid)`
//     throws the 404 `index_not_found` MeiliError; `ctx.indexes.list()` gives
//     every index sorted by uid (byte order). Entries are snapshots of the
//     metadata; `index` is the live SearchIndex, only read from routes (all
//     writes go through the task queue).
//   * `ctx.tasks.enqueue(request)` durably stores a task (synced to disk)
//     and resolves to the summarized task to answer with 202; `ctx.tasks`
//     also reads tasks and batches (`allTasks`, `task`, `allBatches`) and
//     tells whether an index is indexing.
//   * `ctx.db` is the root LevelDB (`level`) handle. The sublevel name `keys`
//     is reserved for the API key store:
//     `ctx.db.sublevel<string, T>('keys', { valueEncoding: 'json' })`.
//     The store owns the sublevels `meta`, `settings`, `docs`, `tasks`,
//     `payloads`, `batches` and `counters`; nobody else writes there.
//   * `ctx.masterKey` is the master key, or null when the node runs without one.
//   * `ctx.payloadLimitBytes` is the body limit (413 `payload_too_large` above).
// - Every route declares `config: { action, index }`:
//   * `action` is the Meilisearch API-key action guarding it (`documents.add`,
//     `search`, `settings.update`, `keys.get`, …), or null for an open route
//     (`/health`, `/version` is `version`);
//   * `index` is `'param'` when the route names its index in the path
//     parameter `:indexUid`, `'none'` otherwise.
//   Routes without a `config` are a bug; the not-found handler has none.
//   An optional `body: 'json' | 'raw' | 'none'` says how the body is read
//   (default: POST/PUT/PATCH bodies arrive parsed as JSON in `request.body`,
//   with Meilisearch's content-type and payload errors already answered).
// - The auth engineer exports `authHook(ctx)` from engine/auth/hook.ts, a
//   Fastify `onRequest` hook reading `request.routeOptions.config`; it may set
//   `request.indexFilter` to a predicate telling which index uids the caller
//   may see (null = all). GET /indexes, GET /stats and GET /tasks honour it.
// - `keyRoutes` (engine/http/routes/keys.ts) and `searchRoutes`
//   (engine/http/routes/search.ts) are Fastify plugins taking `{ ctx }`.
//   app.ts registers them and the hook. Document and settings writes ask
//   `canCreateIndex(request.identity, uid)` (api/protocol/auth/authorize.ts) for
//   Meilisearch's allow_index_creation.
// - Errors: throw `MeiliError` (api/errors/registry.ts); the one error handler
//   of app.ts turns it into `{message, code, type, link}` with its status.
import type { FastifyInstance } from 'fastify';
import type { Level } from 'level';
import type { SearchIndex } from '../core/contracts.ts';
import type { Settings } from '../../api/protocol/settings/settings.ts';
import type { Clock } from '../../runtime/env/clock.ts';
import type { BatchRecord, SummarizedTask, TaskRecord, TaskRequest } from '../tasks/types.ts';

export interface IndexEntry {
  readonly uid: string;
  readonly primaryKey: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** The settings as last set (what GET /settings answers). */
  readonly settings: Settings;
  /** The live in-memory index; read it, never write it from a route. */
  readonly index: SearchIndex;
}

export interface IndexRegistry {
  get(uid: string): IndexEntry | undefined;
  /** Like get, but throws the 404 `index_not_found` MeiliError. */
  require(uid: string): IndexEntry;
  /** Every index, sorted by uid in byte order. */
  list(): IndexEntry[];
}

export interface TaskQueue {
  /** Stores the task (synced) and resolves to the body of the 202. */
  enqueue(request: TaskRequest): Promise<SummarizedTask>;
  /** Whether a task of this index is enqueued or processing. */
  isIndexing(indexUid: string): boolean;
  /** Every task, oldest first (read-only records). */
  allTasks(): readonly TaskRecord[];
  task(uid: number): TaskRecord | undefined;
  /** Every batch, oldest first. */
  allBatches(): readonly BatchRecord[];
  /** epoch ms of the last finished batch, or null. */
  lastUpdateMs(): number | null;
}

export interface EngineContext {
  readonly indexes: IndexRegistry;
  readonly tasks: TaskQueue;
  readonly db: Level<string, string>;
  readonly masterKey: string | null;
  readonly payloadLimitBytes: number;
  readonly clock: Clock;
}

/** The route options every plugin receives. */
export interface RouteOptions {
  ctx: EngineContext;
}

/** The type of every route plugin: `app.register(plugin, { ctx })`. */
export type RoutePlugin = (app: FastifyInstance, opts: RouteOptions) => Promise<void>;

/** Meilisearch API-key actions a route may be guarded by (API.md §9). */
export type RouteAction = string;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The API-key action guarding the route; null = no auth at all. */
    action?: RouteAction | null;
    /** Whether the route's index comes from the `:indexUid` path parameter. */
    index?: 'param' | 'none';
    /**
     * How the body reaches the handler. Default: 'json' for POST/PUT/PATCH
     * (app.ts checks the Content-Type and parses it with Meilisearch's
     * errors, so `request.body` is the parsed JSON), 'none' otherwise.
     * 'raw' leaves the Buffer (document payloads); 'none' ignores any body.
     */
    body?: 'json' | 'raw' | 'none';
  }
  interface FastifyRequest {
    /** Set by the auth hook: which index uids the caller may see (null = all). */
    indexFilter: ((uid: string) => boolean) | null;
  }
}
