// How request bodies reach handlers. Fastify's own parsers are removed and one
// catch-all parser keeps every body as a raw Buffer (bounded by the payload
// limit: above it Fastify fails with 413, answered as `payload_too_large`).
// A `preValidation` hook then reads the body as the route declares
// (`config.body`, api/plugins/request-context.ts): JSON bodies are checked the
// way Meilisearch's JSON extractor does — the Content-Type must be
// `application/json` (parameters tolerated), an empty body is
// `missing_payload`, unparsable JSON is `malformed_payload` — so no route
// ever sees a body it has to second-guess.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MeiliError } from '../errors/registry.ts';

/** The lower-cased `type/subtype` of a Content-Type header, or null when absent or blank. */
export function contentTypeEssence(header: string | undefined): string | null {
  if (header === undefined) return null;
  const essence = header.split(';')[0]?.trim().toLowerCase() ?? '';
  return essence === '' ? null : essence;
}

export function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

const JSON_ONLY = 'Accepted values for the Content-Type header are: `application/json`';

/** A JSON body, or Meilisearch's content-type and payload errors. */
export function jsonBody(request: FastifyRequest): unknown {
  const essence = contentTypeEssence(request.headers['content-type']);
  if (essence === null) throw new MeiliError('missing_content_type', `A Content-Type header is missing. ${JSON_ONLY}`);
  if (essence !== 'application/json') {
    throw new MeiliError('invalid_content_type', `The Content-Type \`${essence}\` is invalid. ${JSON_ONLY}`);
  }
  const text = rawBody(request).toString('utf8');
  if (text.trim() === '') throw new MeiliError('missing_payload', 'A json payload is missing.');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new MeiliError('malformed_payload', `The json payload provided is malformed. \`${detail}\`.`);
  }
}

export function installBodyHandling(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addHook('preValidation', async (request) => {
    // Unknown routes answer 404/405 whatever their body.
    if (request.is404) return;
    const declared = request.routeOptions.config?.body;
    const mode = declared ?? (['POST', 'PUT', 'PATCH'].includes(request.method) ? 'json' : 'none');
    if (mode === 'json') request.body = jsonBody(request);
    else if (mode === 'none') request.body = undefined;
  });
}
