// Document ids as Meilisearch accepts them (API.md §8): an integer, kept as
// its decimal string, or a string of 1..511 bytes of [a-zA-Z0-9_-]. The
// integer 1 and the string "1" are the same id, so everything downstream
// (the shard hash, delete-by-id) works on the canonical string.
//
// Miroir refuses integers outside the safe range: JSON.parse has already
// rounded them, so hashing one would route a different id than the client
// sent. Meilisearch accepts the full i64/u64 range.

import { MeiliError } from '../../api/errors/registry.ts';

const ID_PATTERN = /^[a-zA-Z0-9_-]{1,511}$/;

export type IdResult = { ok: true; id: string } | { ok: false; error: MeiliError };

export function invalidDocumentId(value: unknown): MeiliError {
  return new MeiliError(
    'invalid_document_id',
    `Document identifier \`${JSON.stringify(value)}\` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.`,
  );
}

/** The canonical string form of a document id, or Meilisearch's invalid_document_id. */
export function canonicalDocumentId(value: unknown): IdResult {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return { ok: true, id: String(value) };
  if (typeof value === 'string' && ID_PATTERN.test(value)) return { ok: true, id: value };
  return { ok: false, error: invalidDocumentId(value) };
}
