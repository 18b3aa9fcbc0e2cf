// The searchable field names of an index's documents, over every document
// written to it in log order (IndexRecord.fields). Meilisearch with the
// default `searchableAttributes: ["*"]` searches every field of its documents;
// a Miroir node also holds `_miroir_shard`, stamped on every document, which
// must never match a query (`q: "5"` would otherwise match all of shard 5).
// The edge therefore restricts node searches to these names
// (`attributesToSearchOn`, runtime/search/searchable-fields.ts). Under `*`
// every field weighs 0, so the restriction changes nothing else, and
// Meilisearch skips names a node has not seen, so one global list serves
// every node.
//
// Names are leaf paths as Meilisearch flattens documents for search
// (`{a: {b: "x"}}` → `a.b`; arrays are transparent), in first-seen order. A
// field whose values are only null, `[]` or `{}` has no words and no name.
// Pure; the list only grows (a clear or a deletion leaves names that no
// document carries any more: a node skips them).
import { SHARD_FIELD } from '../routing/shard-filter.ts';
import type { Document } from './commands.ts';

/** Adds the leaf paths of `documents` missing from `fields` (in place); returns how many were new. */
export function addDocumentFields(fields: string[], documents: Iterable<Document>): number {
  const known = new Set(fields);
  const before = fields.length;
  const visit = (path: string, value: unknown): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (const v of value) visit(path, v);
    } else if (typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      for (const key of Object.keys(obj)) visit(`${path}.${key}`, obj[key]);
    } else if (!known.has(path)) {
      known.add(path);
      fields.push(path);
    }
  };
  for (const doc of documents) {
    // Object.keys, not entries: no [key, value] pair per field of every document (the top cost of a follower's apply).
    for (const key of Object.keys(doc)) if (key !== SHARD_FIELD) visit(key, doc[key]);
  }
  return fields.length - before;
}
