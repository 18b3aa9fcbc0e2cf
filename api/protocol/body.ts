// Request bodies as Meilisearch's extractors read them: a JSON body needs the
// Content-Type `application/json` (parameters tolerated), an empty body is
// `missing_payload`, unparsable JSON is `malformed_payload` with serde's
// wording (documents/json-error.ts), and a body above the payload limit is
// `payload_too_large` naming the limit in binary units. The engine and the
// edge read bodies with these, so both refuse a bad body alike.
import { MeiliError } from '../errors/registry.ts';
import { jsonSyntaxMessage } from './documents/json-error.ts';
import { mimeEssence } from './documents/payload.ts';

const JSON_ONLY = 'Accepted values for the Content-Type header are: `application/json`';

/** The JSON value of a body sent with `contentType`, or Meilisearch's 415/400. */
export function parseJsonBody(contentType: string | undefined, body: Uint8Array): unknown {
  const essence = mimeEssence(contentType);
  if (essence === null) throw new MeiliError('missing_content_type', `A Content-Type header is missing. ${JSON_ONLY}`);
  if (essence !== 'application/json') throw new MeiliError('invalid_content_type', `The Content-Type \`${essence}\` is invalid. ${JSON_ONLY}`);
  const text = new TextDecoder().decode(body);
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

export function payloadTooLarge(limitBytes: number): MeiliError {
  return new MeiliError(
    'payload_too_large',
    `The provided payload reached the size limit. The maximum accepted payload size is ${formatBytesBinary(limitBytes)}.`,
  );
}
