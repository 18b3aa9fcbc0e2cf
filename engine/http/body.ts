// Reading a JSON request body the way Meilisearch's JSON extractor does:
// the Content-Type must be `application/json` (charset tolerated), an empty
// body is `missing_payload`, unparsable JSON is `malformed_payload`. Bodies
// arrive as raw Buffers (app.ts registers one catch-all parser), so every
// route decides how its body is read and every failure has Meilisearch's
// code and message.
import type { FastifyRequest } from 'fastify';
import { MeiliError } from '../../api/errors/registry.ts';
import { mimeEssence } from '../../api/protocol/documents/payload.ts';
import { jsonSyntaxMessage } from '../../api/protocol/documents/json-error.ts';

export function rawBody(request: FastifyRequest): Buffer {
  const body = request.body;
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

export function jsonBody(request: FastifyRequest): unknown {
  const essence = mimeEssence(request.headers['content-type']);
  if (essence === null) {
    throw new MeiliError('missing_content_type', 'A Content-Type header is missing. Accepted values for the Content-Type header are: `application/json`');
  }
  if (essence !== 'application/json') {
    throw new MeiliError('invalid_content_type', `The Content-Type \`${essence}\` is invalid. Accepted values for the Content-Type header are: \`application/json\``);
  }
  const body = rawBody(request);
  const text = body.toString('utf8');
  if (text.trim() === '') throw new MeiliError('missing_payload', 'A json payload is missing.');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MeiliError('malformed_payload', `The json payload provided is malformed. \`${jsonSyntaxMessage(text, error)}\`.`);
  }
}

/** Formats a byte count as Rust's byte_unit does with binary units: `95.367431640625 MiB`. */
export function formatBytesBinary(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value} ${units[unit]}`;
}
