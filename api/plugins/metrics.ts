// The edge's side of the metrics (issue 6 §1): every request is counted in
// flight from its arrival, then counted and timed by method, route pattern
// and status code when answered (runtime/metrics/http-metrics.ts), whatever
// answered it (a route, an auth refusal, the not-found handler). A request
// its client abandons leaves the in-flight gauge without being counted as
// answered.
//
// `/_miroir/metrics` serves this peer's exposition on the client port, as an
// admin route (the admin key guards it when one is configured);
// `metricsServer` serves it unauthenticated on the separate metrics port
// (`listen.metricsPort`), where Prometheus scrapes `/metrics`.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { UNMATCHED_ROUTE, type HttpMetrics, type PeerMetrics } from '../../runtime/metrics/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** True between the request's arrival and its answer (or abandonment) while it counts as in flight. */
    inFlight: boolean;
  }
}

export function installRequestMetrics(app: FastifyInstance, http: HttpMetrics): void {
  app.decorateRequest('inFlight', false);
  const leave = (request: FastifyRequest): boolean => {
    if (!request.inFlight) return false;
    request.inFlight = false;
    http.ended();
    return true;
  };
  app.addHook('onRequest', async (request) => {
    request.inFlight = true;
    http.started();
  });
  app.addHook('onResponse', async (request, reply) => {
    if (!leave(request)) return;
    http.answered({
      method: request.method,
      route: request.routeOptions.url ?? UNMATCHED_ROUTE,
      statusCode: reply.statusCode,
      durationSeconds: reply.elapsedTime / 1000,
    });
  });
  app.addHook('onRequestAbort', async (request) => {
    leave(request);
  });
}

async function sendExposition(metrics: PeerMetrics, reply: FastifyReply): Promise<string> {
  const text = await metrics.exposition();
  void reply.header('content-type', metrics.contentType);
  return text;
}

export async function metricsRoutes(app: FastifyInstance, { metrics }: { metrics: PeerMetrics }): Promise<void> {
  app.get('/_miroir/metrics', { config: { action: null, index: 'none', admin: true } }, (_request, reply) => sendExposition(metrics, reply));
}

/** The metrics port's server: `GET /metrics` only. It never listens: cli/ does. */
export async function metricsServer(metrics: PeerMetrics): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.get('/metrics', (_request, reply) => sendExposition(metrics, reply));
  return app;
}
