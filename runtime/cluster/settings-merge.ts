// Merges a Meilisearch settings patch into the settings an index's client set.
// `null` resets a key (removes it: the node then reports its default). The keys
// Meilisearch updates with PATCH semantics (typoTolerance, faceting,
// pagination, embedders, chat) merge field by field, nested nulls resetting
// sub-fields; every other key is replaced whole, as with Meilisearch's PUT.
// Inside them, maps keyed by the client (faceting.sortFacetValuesBy) are
// values, replaced whole as Meilisearch does.

import { isPlainObject } from './decode-fields.ts';

const MERGED_KEYS: ReadonlySet<string> = new Set(['typoTolerance', 'faceting', 'pagination', 'embedders', 'chat']);
const REPLACED_SUBKEYS: ReadonlySet<string> = new Set(['sortFacetValuesBy']);

export function mergeSettings(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const next = structuredClone(current);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === undefined) {
      delete next[key];
      continue;
    }
    const existing = next[key];
    next[key] =
      MERGED_KEYS.has(key) && isPlainObject(existing) && isPlainObject(value)
        ? deepMerge(existing, value)
        : structuredClone(value);
  }
  return next;
}

function deepMerge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === undefined) delete out[key];
    else {
      const existing = out[key];
      const merge = isPlainObject(existing) && isPlainObject(value) && !REPLACED_SUBKEYS.has(key);
      out[key] = merge ? deepMerge(existing, value) : structuredClone(value);
    }
  }
  return out;
}
