// Primary key resolution and lookup, as Meilisearch does it (API.md §8):
// the index's key if it has one (a different `?primaryKey=` is refused), else
// the `?primaryKey=` parameter, else inference from the FIRST document's
// top-level fields whose name ends with `id`, case-insensitively (`valid`
// and `paid` count too — Meilisearch's quirk). Exactly one candidate wins;
// `id` is not preferred over others.

import { MeiliError } from '../../api/errors/registry.ts';
import { isPlainObject } from '../cluster/decode-fields.ts';

export function noCandidateError(): MeiliError {
  return new MeiliError(
    'index_primary_key_no_candidate_found',
    'The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.',
  );
}

export function primaryKeyAlreadyExistsError(primaryKey: string): MeiliError {
  return new MeiliError('index_primary_key_already_exists', `Index already has a primary key: \`${primaryKey}\`.`);
}

export function inferPrimaryKey(first: Record<string, unknown> | undefined): string | MeiliError {
  if (first === undefined) return noCandidateError();
  const candidates = Object.keys(first).filter((name) => name.toLowerCase().endsWith('id'));
  if (candidates.length === 1) return candidates[0] as string;
  if (candidates.length === 0) return noCandidateError();
  const [a, b] = [...candidates].sort();
  return new MeiliError(
    'index_primary_key_multiple_candidates_found',
    `The primary key inference failed as the engine found ${candidates.length} fields ending with \`id\` in their names: '${a}' and '${b}'. Please specify the primary key manually using the \`primaryKey\` query parameter.`,
  );
}

export function resolvePrimaryKey(
  indexPrimaryKey: string | null,
  primaryKeyParam: string | null,
  first: Record<string, unknown> | undefined,
): string | MeiliError {
  if (indexPrimaryKey !== null) {
    if (primaryKeyParam !== null && primaryKeyParam !== indexPrimaryKey) return primaryKeyAlreadyExistsError(indexPrimaryKey);
    return indexPrimaryKey;
  }
  return primaryKeyParam ?? inferPrimaryKey(first);
}

/**
 * Every value a document holds at the (possibly dotted) primary key path:
 * `a.b` matches a field literally named `a.b` as well as `b` nested in `a`,
 * the way Meilisearch flattens documents. More than one value is an error
 * for the caller to report.
 */
export function primaryKeyValues(document: Record<string, unknown>, path: string): unknown[] {
  const found: unknown[] = [];
  if (Object.hasOwn(document, path)) found.push(document[path]);
  for (const [name, value] of Object.entries(document)) {
    if (!path.startsWith(`${name}.`)) continue;
    if (isPlainObject(value)) found.push(...primaryKeyValues(value, path.slice(name.length + 1)));
    else if (Array.isArray(value)) {
      for (const item of value) if (isPlainObject(item)) found.push(...primaryKeyValues(item, path.slice(name.length + 1)));
    }
  }
  return found;
}
