// Reading a JSON request body the way Meilisearch's JSON extractor does:
// the Content-Type must be `application/json` (charset tolerated), an empty
// body is `missing_payload`, unparsable JSON is `malformed_payload`. Bodies
// arrive as raw Buffers (app.ts registers one catch-all parser), so every
// route decides how its body is read and every failure has Meilisearch's
// code and message.
import type { FastifyRequest } from 'fastify';
import { parseJsonBody } from '../../api/protocol/body.ts';

export function rawBody(request: FastifyRequest): Buffer {
  const body = request.body;
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

export function jsonBody(request: FastifyRequest): unknown {
  return parseJsonBody(request.headers['content-type'], rawBody(request));
}
