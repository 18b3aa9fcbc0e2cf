// The engine's HTTP server: `buildEngineApp(ctx)` assembles Fastify with one
// catch-all body parser (bodies stay raw Buffers; each route reads its body
// with Meilisearch's content-type and payload rules), the auth hook, the
// route plugins, and the one error and not-found handler. It never listens;
// engine/node.ts does.
import Fastify, { type FastifyInstance } from 'fastify';
import { authHook } from '../auth/hook.ts';
import { jsonBody } from './body.ts';
import type { EngineContext } from './context.ts';
import { installErrorHandling } from './errors.ts';
import { batchRoutes } from './routes/batches.ts';
import { documentRoutes } from './routes/documents.ts';
import { indexRoutes } from './routes/indexes.ts';
import { instanceRoutes } from './routes/instance.ts';
import { keyRoutes } from './routes/keys.ts';
import { searchRoutes } from './routes/search.ts';
import { settingsRoutes } from './routes/settings.ts';
import { statsRoutes } from './routes/stats.ts';
import { swapRoutes } from './routes/swap.ts';
import { taskRoutes } from './routes/tasks.ts';

export interface EngineAppOptions {
  /** The data directory, for the database size in GET /stats. */
  dbPath: string;
}

export async function buildEngineApp(ctx: EngineContext, options: EngineAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: ctx.payloadLimitBytes,
    logger: false,
    // Index uids reach 400 bytes and document ids 511: Fastify's default (100) is too short.
    routerOptions: { maxParamLength: 2048, ignoreTrailingSlash: true },
  });
  app.decorateRequest('indexFilter', null);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  installErrorHandling(app, ctx.payloadLimitBytes);
  app.addHook('onRequest', authHook(ctx));
  app.addHook('preValidation', async (request) => {
    const declared = request.routeOptions.config?.body;
    const mode = declared ?? (['POST', 'PUT', 'PATCH'].includes(request.method) ? 'json' : 'none');
    if (mode === 'json') request.body = jsonBody(request);
    else if (mode === 'none') request.body = undefined;
  });
  const opts = { ctx };
  await app.register(instanceRoutes, opts);
  await app.register(indexRoutes, opts);
  await app.register(documentRoutes, opts);
  await app.register(settingsRoutes, opts);
  await app.register(taskRoutes, opts);
  await app.register(batchRoutes, opts);
  await app.register(statsRoutes, { ctx, dbPath: options.dbPath });
  await app.register(swapRoutes, opts);
  await app.register(searchRoutes, opts);
  await app.register(keyRoutes, opts);
  return app;
}
