// Keeps `_miroir_shard` out of keyword matching on the nodes. Every document
// on a node carries it (the write path stamps it), and under the default
// `searchableAttributes: ["*"]` a node would search it: `q: "5"` would match
// every document of shard 5, which one Meilisearch holding the client's
// documents never does. So a keyword search of such an index names its
// fields explicitly: `attributesToSearchOn` = every field of the documents
// written to it (IndexRecord.fields, maintained at apply). That changes
// nothing else: under `*` every field weighs 0 (attributeRank is constant,
// API.md §4 ranking rules), and Meilisearch skips a name that a node's own
// documents never carried, so one cluster-wide list serves every node.
//
// Left to the node as the client sent them: an explicit searchable list (the
// nodes hold it, never with `_miroir_shard`: runtime/dispatch/plan.ts), a
// client `attributesToSearchOn` without `*` (under `*` its names are searched
// as given, the reserved one already renamed to a stand-in no document has),
// a malformed one (the node answers the error), and placeholder searches.
import type { IndexRecord } from '../cluster/state.ts';
import type { Body } from './request-body.ts';

function searchesEveryField(index: Readonly<IndexRecord>): boolean {
  const setting = index.settings['searchableAttributes'];
  return setting === undefined || setting === null || (Array.isArray(setting) && setting.includes('*'));
}

function clientSearchesEveryField(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.every((v) => typeof v === 'string') && value.includes('*'));
}

/** `body` with `attributesToSearchOn` set to the index's document fields when the node would otherwise search `_miroir_shard`. */
export function searchOnDocumentFields(body: Body, index: Readonly<IndexRecord>): Body {
  const q = body['q'];
  if (typeof q !== 'string' || q === '' || index.fields.length === 0) return body;
  if (!searchesEveryField(index) || !clientSearchesEveryField(body['attributesToSearchOn'])) return body;
  return { ...body, attributesToSearchOn: index.fields };
}
