// The bodies of the two document-deletion routes (API.md §1.2), read as
// Meilisearch reads them:
//   POST /documents/delete-batch  — an array of ids; a non-string id is
//     taken in its JSON text (`1` → "1"), as Meilisearch's `to_string` does;
//   POST /documents/delete        — `{filter}`; a missing filter, a filter
//     of the wrong shape or bad syntax, and an empty filter are refused at
//     once; whether its attributes are filterable is the task's business.
import { MeiliError } from '../../errors/registry.ts';
import { expectObject, invalidType, missingField } from '../deserr.ts';
import { parseFilterOrThrow } from '../filter/parse-or-throw.ts';

export function parseDeleteBatch(raw: unknown): string[] {
  if (!Array.isArray(raw)) throw invalidType('bad_request', '', ['array'], raw);
  return raw.map((v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

/** The filter of a delete-by-filter body, as the client sent it, once its syntax is known good. */
export function parseDeleteFilter(raw: unknown): unknown {
  const body = expectObject(raw, ['filter']);
  if (body['filter'] === undefined) throw missingField('missing_document_filter', 'filter');
  const expr = parseFilterOrThrow(body['filter'], 'invalid_document_filter');
  if (expr === null) throw new MeiliError('invalid_document_filter', 'Sending an empty filter is forbidden.');
  return body['filter'];
}
