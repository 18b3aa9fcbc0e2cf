// Primary keys and document ids (API.md §8). Inference looks only at the first
// document's top-level keys, case-insensitively ending in `id` (so `valid` and
// `paid` count, a Meilisearch quirk); exactly one candidate wins. Ids are
// integers (kept as their decimal string) or strings of 1..511 bytes of
// [a-zA-Z0-9_-]; `"1"` and `1` are the same id. Nested keys use dots.
import { MeiliError } from '../../errors/registry.ts';
import type { Document } from './document.ts';

export function inferPrimaryKey(first: Document | undefined): string {
  const candidates = first ? Object.keys(first).filter((k) => k.toLowerCase().endsWith('id')) : [];
  if (candidates.length === 1) return candidates[0] as string;
  if (candidates.length === 0) {
    throw new MeiliError('index_primary_key_no_candidate_found',
      'The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.');
  }
  const sorted = [...candidates].sort();
  throw new MeiliError('index_primary_key_multiple_candidates_found',
    `The primary key inference failed as the engine found ${candidates.length} fields ending with \`id\` in their names: '${sorted[0]}' and '${sorted[1]}'. Please specify the primary key manually using the \`primaryKey\` query parameter.`);
}

/** The value at a dotted primary-key path, undefined when absent. */
function valueAt(doc: Document, primaryKey: string): unknown {
  if (Object.hasOwn(doc, primaryKey)) return doc[primaryKey];
  const dot = primaryKey.indexOf('.');
  if (dot < 0) return undefined;
  // Walk every split point: `a.b.c` may be `{a:{b:{c}}}` or `{"a.b":{c}}`.
  for (let i = dot; i >= 0; i = primaryKey.indexOf('.', i + 1)) {
    const head = primaryKey.slice(0, i);
    const inner = doc[head];
    if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) {
      const found = valueAt(inner as Document, primaryKey.slice(i + 1));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const ID_PATTERN = /^[a-zA-Z0-9_-]+$/;

function invalidId(value: unknown): MeiliError {
  return new MeiliError('invalid_document_id',
    `Document identifier \`${JSON.stringify(value)}\` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.`);
}

/** Normalizes an id value to its string form, or throws `invalid_document_id`. */
export function normalizeId(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Number.isSafeInteger(value)) return String(value);
    throw invalidId(value);
  }
  if (typeof value === 'string') {
    if (value.length > 0 && Buffer.byteLength(value) <= 511 && ID_PATTERN.test(value)) return value;
    throw invalidId(value);
  }
  throw invalidId(value);
}

/** The document's id under `primaryKey`, or the Meilisearch error for it. */
export function documentId(doc: Document, primaryKey: string): string {
  const value = valueAt(doc, primaryKey);
  if (value === undefined || value === null) {
    throw new MeiliError('missing_document_id', `Document doesn't have a \`${primaryKey}\` attribute: \`${JSON.stringify(doc)}\`.`);
  }
  if (Array.isArray(value)) {
    throw new MeiliError('invalid_document_id', `Document identifier \`${JSON.stringify(value)}\` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.`);
  }
  return normalizeId(value);
}
