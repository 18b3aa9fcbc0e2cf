// Reserved document fields (ARCHITECTURE §3). Miroir owns every top-level
// field whose name starts with `_miroir_`: `_miroir_shard` always, and the
// timestamps of optional features. A client document carrying one is refused
// (it would corrupt routing), and responses never show them.

import { MeiliError } from '../../api/errors/registry.ts';
import { SHARD_FIELD } from '../routing/shard-filter.ts';

export const RESERVED_PREFIX = '_miroir_';
// The shard field's name is owned by routing (it also writes the shard restriction filter).
export { SHARD_FIELD };

export function isReservedField(name: string): boolean {
  return name.startsWith(RESERVED_PREFIX);
}

/** The first reserved top-level field of a document, or null. */
export function reservedFieldOf(document: Record<string, unknown>): string | null {
  for (const name of Object.keys(document)) if (isReservedField(name)) return name;
  return null;
}

export function reservedFieldError(field: string, position: number): MeiliError {
  return new MeiliError(
    'miroir_reserved_field',
    `Document at position ${position} has the field \`${field}\`. Fields starting with \`${RESERVED_PREFIX}\` are reserved by Miroir for routing and cannot be sent in documents; rename the field.`,
  );
}

/** A copy of the document without reserved top-level fields, for answers to clients. */
export function stripReservedFields<T extends Record<string, unknown>>(document: T): T {
  if (reservedFieldOf(document) === null) return document;
  // fromEntries defines own properties, so a `__proto__` field stays a field.
  return Object.fromEntries(Object.entries(document).filter(([name]) => !isReservedField(name))) as T;
}
