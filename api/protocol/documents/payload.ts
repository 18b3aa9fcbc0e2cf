// Parsing of a document-write body (API.md §1.2): the Content-Type decides the
// format (JSON object or array, NDJSON, CSV with `name:type` headers), and
// every problem becomes Meilisearch's error. The whole payload is parsed
// before the task is enqueued, so syntax errors are synchronous (400/415);
// primary-key and id problems are the task's business (primary-key.ts).
import { MeiliError } from '../../errors/registry.ts';
import type { Document } from './document.ts';
import { parseCsv } from './csv.ts';
import { jsonSyntaxMessage } from './json-error.ts';

export type PayloadFormat = 'json' | 'ndjson' | 'csv';

const ACCEPTED = ['application/json', 'application/x-ndjson', 'text/csv'] as const;

function acceptedList(): string {
  return ACCEPTED.map((a) => `\`${a}\``).join(', ');
}

/** The essence (`type/subtype`, lower-cased) of a Content-Type header, or null. */
export function mimeEssence(header: string | undefined): string | null {
  if (header === undefined) return null;
  const essence = header.split(';')[0]?.trim().toLowerCase() ?? '';
  return essence === '' ? null : essence;
}

/** The payload format of a document write, checking `csvDelimiter` against it. */
export function documentFormat(contentType: string | undefined, csvDelimiter: string | null): PayloadFormat {
  const essence = mimeEssence(contentType);
  if (essence === null) {
    throw new MeiliError('missing_content_type',
      `A Content-Type header is missing. Accepted values for the Content-Type header are: ${acceptedList()}`);
  }
  const format: PayloadFormat | null =
    essence === 'application/json' ? 'json'
      : essence === 'application/x-ndjson' ? 'ndjson'
        : essence === 'text/csv' ? 'csv' : null;
  if (format === null) {
    throw new MeiliError('invalid_content_type',
      `The Content-Type \`${essence}\` is invalid. Accepted values for the Content-Type header are: ${acceptedList()}`);
  }
  if (csvDelimiter !== null && format !== 'csv') {
    throw new MeiliError('invalid_content_type',
      `The Content-Type \`${essence}\` does not support the use of a csv delimiter. The csv delimiter can only be used with the Content-Type \`text/csv\`.`);
  }
  return format;
}

function isObject(value: unknown): value is Document {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(format: PayloadFormat, detail: string): MeiliError {
  return new MeiliError('malformed_payload', `The \`${format}\` payload provided is malformed. \`Couldn't serialize document value: ${detail}\`.`);
}

function parseJsonDocuments(text: string): Document[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw malformed('json', jsonSyntaxMessage(text, error));
  }
  if (isObject(value)) return [value];
  if (Array.isArray(value) && value.every(isObject)) return value;
  throw malformed('json', 'data are neither an object nor a list of objects');
}

function parseNdjsonDocuments(text: string): Document[] {
  const docs: Document[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw malformed('ndjson', jsonSyntaxMessage(line, error));
    }
    if (!isObject(value)) throw malformed('ndjson', 'data are neither an object nor a list of objects');
    docs.push(value);
  }
  return docs;
}

/** Parses a document-write body. An empty body is `missing_payload`. */
export function parseDocuments(body: Buffer, format: PayloadFormat, csvDelimiter: string | null): Document[] {
  if (body.length === 0) {
    throw new MeiliError('missing_payload', `A ${format} payload is missing.`);
  }
  const text = body.toString('utf8');
  switch (format) {
    case 'json': return parseJsonDocuments(text);
    case 'ndjson': return parseNdjsonDocuments(text);
    case 'csv': return parseCsv(text, csvDelimiter ?? ',');
  }
}

/** Validates the `csvDelimiter` query parameter: exactly one ASCII character. */
export function parseCsvDelimiter(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  if (raw.length !== 1 || raw.charCodeAt(0) > 127) {
    throw new MeiliError('invalid_document_csv_delimiter',
      `Invalid value in parameter \`csvDelimiter\`: expected a string of one character, but found the following string of ${raw.length} characters: \`${raw}\``);
  }
  return raw;
}
