// The HTTP edge of one Miroir peer: `buildApp({ services })` assembles Fastify
// with the one error/schema-error/not-found handler (api/plugins/errors.ts),
// raw-body reading with Meilisearch's payload rules (api/plugins/body.ts),
// client authentication from the replicated key records
// (api/plugins/auth.ts), the admin key of `/_miroir/*`
// (api/plugins/admin-auth.ts), and the route plugins. It never listens:
// `miroir peer` and `miroir dev` do.
//
// Logs and metrics (issue 6): request ids and the one log line per request
// (api/plugins/logging.ts) with the logger given; with `metrics`, request
// counts and durations and `/_miroir/metrics` (api/plugins/metrics.ts).
//
// Every route plugin is `xxxRoutes(app, { services })` and declares
// `config: { action, index }` (api/plugins/request-context.ts).
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { PeerMetrics } from '../runtime/metrics/index.ts';
import type { PeerServices } from '../runtime/peer/services.ts';
import { adminAuthHook } from './plugins/admin-auth.ts';
import { authHook } from './plugins/auth.ts';
import { installBodyHandling } from './plugins/body.ts';
import { installErrorHandling, type RouteShape } from './plugins/errors.ts';
import { installRequestIds, loggingOptions } from './plugins/logging.ts';
import { installRequestMetrics, metricsRoutes } from './plugins/metrics.ts';
import type { Caller, RouteOptions } from './plugins/request-context.ts';
import { adminRoutes } from './routes/admin.ts';
import { documentReadRoutes } from './routes/documents-read.ts';
import { documentWriteRoutes } from './routes/documents-write.ts';
import { indexRoutes } from './routes/indexes.ts';
import { instanceRoutes } from './routes/instance.ts';
import { multiSearchRoutes } from './routes/multi-search.ts';
import { searchRoutes } from './routes/search.ts';
import { statsRoutes } from './routes/stats.ts';
import { settingsRoutes } from './routes/settings.ts';
import { keyRoutes } from './routes/keys.ts';
import { swapRoutes } from './routes/swap.ts';
import { taskRoutes } from './routes/tasks.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route of the app (method and URL pattern), for the 405 answer and the tests. */
    miroirRoutes: readonly RouteShape[];
  }
}

/** Meilisearch's default `--http-payload-size-limit` (100 MB). */
export const DEFAULT_PAYLOAD_LIMIT_BYTES = 100 * 1024 * 1024;

export interface AppDeps {
  services: PeerServices;
  /** Request bodies above it are answered 413 `payload_too_large`. */
  payloadLimitBytes?: number;
  /** The request log's pino logger (api/plugins/logging.ts `createLogger`; default: no logs). */
  logger?: Logger;
  /** This peer's metrics (runtime/metrics/): requests are recorded and `/_miroir/metrics` is served. */
  metrics?: PeerMetrics;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const payloadLimitBytes = deps.payloadLimitBytes ?? DEFAULT_PAYLOAD_LIMIT_BYTES;
  const app = Fastify({
    bodyLimit: payloadLimitBytes,
    ...loggingOptions(deps.logger),
    // Index uids reach 400 bytes and document ids 511: Fastify's default (100) is too short.
    routerOptions: { maxParamLength: 2048, ignoreTrailingSlash: true },
  });
  app.decorateRequest<Caller | null>('caller', null);
  app.decorateRequest('tenantFilter', null);
  installRequestIds(app);
  if (deps.metrics !== undefined) installRequestMetrics(app, deps.metrics.http);
  app.decorate('miroirRoutes', installErrorHandling(app, { payloadLimitBytes }));
  installBodyHandling(app);
  app.addHook('onRequest', adminAuthHook(deps.services.config.secrets.adminKey));
  app.addHook('onRequest', authHook(deps.services));

  const opts: RouteOptions = { services: deps.services };
  await app.register(instanceRoutes, opts);
  await app.register(indexRoutes, opts);
  await app.register(swapRoutes, opts);
  await app.register(documentWriteRoutes, opts);
  await app.register(keyRoutes, opts);
  await app.register(settingsRoutes, opts);
  await app.register(documentReadRoutes, opts);
  await app.register(searchRoutes, opts);
  await app.register(multiSearchRoutes, opts);
  await app.register(statsRoutes, opts);
  await app.register(taskRoutes, opts);
  await app.register(adminRoutes, opts);
  if (deps.metrics !== undefined) await app.register(metricsRoutes, { metrics: deps.metrics });
  return app;
}
