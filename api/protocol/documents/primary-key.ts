// Primary keys and document ids (API.md §8), as Meilisearch resolves them.
//
// Resolution: the index's key if it has one (a different `?primaryKey=` is
// refused), else the `?primaryKey=` parameter, else inference from the FIRST
// document's top-level fields whose name ends with `id`, case-insensitively
// (`valid` and `paid` count too — Meilisearch's quirk). Exactly one
// candidate wins; `id` is not preferred over others.
//
// Ids: an integer (kept as its decimal string) or a string of 1..511 bytes
// of [a-zA-Z0-9_-]; `"1"` and `1` are the same id, so everything downstream
// (storage, the shard hash, delete-by-id) works on the canonical string.
// Integers outside the safe range are refused: JSON.parse has already
// rounded them, so the id would not be the one the client sent.
//
// Nested keys use dots: `a.b` matches a field literally named `a.b` as well
// as `b` nested in `a`; more than one match is Meilisearch's "too many
// matching" error. Every problem throws its MeiliError.
import { MeiliError } from '../../errors/registry.ts';
import type { Document } from './document.ts';

export function noCandidateError(): MeiliError {
  return new MeiliError('index_primary_key_no_candidate_found',
    'The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.');
}

export function primaryKeyAlreadyExistsError(primaryKey: string): MeiliError {
  return new MeiliError('index_primary_key_already_exists', `Index already has a primary key: \`${primaryKey}\`.`);
}

export function inferPrimaryKey(first: Document | undefined): string {
  if (first === undefined) throw noCandidateError();
  const candidates = Object.keys(first).filter((k) => k.toLowerCase().endsWith('id'));
  if (candidates.length === 1) return candidates[0] as string;
  if (candidates.length === 0) throw noCandidateError();
  const sorted = [...candidates].sort();
  throw new MeiliError('index_primary_key_multiple_candidates_found',
    `The primary key inference failed as the engine found ${candidates.length} fields ending with \`id\` in their names: '${sorted[0]}' and '${sorted[1]}'. Please specify the primary key manually using the \`primaryKey\` query parameter.`);
}

/** The primary key a write uses: the index's, else the parameter, else inferred from `first`. */
export function resolvePrimaryKey(indexPrimaryKey: string | null, primaryKeyParam: string | null, first: Document | undefined): string {
  if (indexPrimaryKey !== null) {
    if (primaryKeyParam !== null && primaryKeyParam !== indexPrimaryKey) throw primaryKeyAlreadyExistsError(indexPrimaryKey);
    return indexPrimaryKey;
  }
  return primaryKeyParam ?? inferPrimaryKey(first);
}

function isObject(value: unknown): value is Document {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every value a document holds at the (possibly dotted) primary key path. */
export function primaryKeyValues(doc: Document, path: string): unknown[] {
  const found: unknown[] = [];
  if (Object.hasOwn(doc, path)) found.push(doc[path]);
  for (const [name, value] of Object.entries(doc)) {
    if (!path.startsWith(`${name}.`)) continue;
    const rest = path.slice(name.length + 1);
    if (isObject(value)) found.push(...primaryKeyValues(value, rest));
    else if (Array.isArray(value)) for (const item of value) if (isObject(item)) found.push(...primaryKeyValues(item, rest));
  }
  return found;
}

const ID_PATTERN = /^[a-zA-Z0-9_-]{1,511}$/;

export function invalidDocumentId(value: unknown): MeiliError {
  return new MeiliError('invalid_document_id',
    `Document identifier \`${JSON.stringify(value)}\` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.`);
}

/** Whether a value is a valid document id (see normalizeId). */
export function isDocumentId(value: unknown): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value);
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** Normalizes an id value to its canonical string form, or throws `invalid_document_id`. */
export function normalizeId(value: unknown): string {
  if (!isDocumentId(value)) throw invalidDocumentId(value);
  return String(value);
}

/** The document's canonical id under `primaryKey`, or the Meilisearch error for it. */
export function documentId(doc: Document, primaryKey: string): string {
  const values = primaryKeyValues(doc, primaryKey);
  if (values.length === 0) {
    throw new MeiliError('missing_document_id', `Document doesn't have a \`${primaryKey}\` attribute: \`${JSON.stringify(doc)}\`.`);
  }
  if (values.length > 1) {
    throw new MeiliError('invalid_document_id', `Document have too many matching \`${primaryKey}\` attribute: \`${JSON.stringify(doc)}\`.`);
  }
  return normalizeId(values[0]);
}
