// A client request that names a reserved field (`filter: "_miroir_shard = 3"`,
// `facets: ["_miroir_shard"]`, `distinct`, `sort`, `attributesToSearchOn`, a
// facet search's `facetName`) must get what one Meilisearch holding the
// client's documents would answer: no document has the field, and it is
// filterable only if the client's own patterns select it. On the nodes it is
// real and filterable, so it is renamed before the scatter to a name of the
// same length that no document can carry either (`_miroir_` names are
// refused at write time): the node then treats it as Meilisearch would, and
// error columns (`1:14 _miroir_shard = 3`) stay right. The answer's facet
// keys and messages are renamed back (node-error.ts).
import type { Body } from './request-body.ts';

export const RESERVED_NAME = '_miroir_shard';
/** Same length as RESERVED_NAME, so filter error positions are unchanged. */
export const STAND_IN_NAME = '_miroir_probe';

/** The fields of a search, facet-search or documents body that can name an attribute. */
const NAMING_FIELDS = ['filter', 'facets', 'distinct', 'sort', 'attributesToSearchOn', 'facetName', 'fields'] as const;

function renamed(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value.includes(from) ? value.replaceAll(from, to) : value;
  if (Array.isArray(value)) return value.map((v) => renamed(v, from, to));
  return value;
}

/** `body` with the reserved field's name replaced by the stand-in wherever an attribute can be named. */
export function hideReservedNames(body: Body): Body {
  let out: Body | null = null;
  for (const key of NAMING_FIELDS) {
    const value = body[key];
    const next = renamed(value, RESERVED_NAME, STAND_IN_NAME);
    if (next !== value) (out ??= { ...body })[key] = next;
  }
  return out ?? body;
}

/** A facet map keyed by attribute, with the stand-in's key named back. */
export function restoreReservedKeys<T>(map: Record<string, T> | undefined): Record<string, T> | undefined {
  if (map === undefined || !Object.hasOwn(map, STAND_IN_NAME)) return map;
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(map)) out[key === STAND_IN_NAME ? RESERVED_NAME : key] = value;
  return out;
}

/** A node message with the stand-in named back. */
export function restoreReservedName(message: string): string {
  return message.replaceAll(STAND_IN_NAME, RESERVED_NAME);
}
