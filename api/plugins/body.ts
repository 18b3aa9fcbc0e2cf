// How request bodies reach handlers. Fastify's own parsers are removed and one
// catch-all parser keeps every body as a raw Buffer (bounded by the payload
// limit: above it Fastify fails with 413, answered as `payload_too_large`).
// A `preValidation` hook then reads the body as the route declares
// (`config.body`, api/plugins/request-context.ts): JSON bodies are checked the
// way Meilisearch's JSON extractor does — the Content-Type must be
// `application/json` (parameters tolerated), an empty body is
// `missing_payload`, unparsable JSON is `malformed_payload`
// (api/protocol/body.ts, shared with the engine) — so no route ever sees a
// body it has to second-guess.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseJsonBody } from '../protocol/body.ts';

export function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

export function installBodyHandling(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addHook('preValidation', async (request) => {
    // Unknown routes answer 404/405 whatever their body.
    if (request.is404) return;
    const declared = request.routeOptions.config?.body;
    const mode = declared ?? (['POST', 'PUT', 'PATCH'].includes(request.method) ? 'json' : 'none');
    if (mode === 'json') request.body = parseJsonBody(request.headers['content-type'], rawBody(request));
    else if (mode === 'none') request.body = undefined;
  });
}
