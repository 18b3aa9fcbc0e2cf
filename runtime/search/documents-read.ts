// Document reads over the cluster (ARCHITECTURE §4, API.md §1.2):
//
// - GET /documents/{id}: the id's shard (shardOf over the index's S), then its
//   healthy owners in preference order (shardOwnersInOrder: the covering
//   set's choice first, then the other replicas, then other groups). A node
//   that is down, or that answers 404 (a replica lagging behind the log, or
//   one that has not created the index yet), passes the request to the next
//   owner; `document_not_found` only when every owner said so. No healthy
//   owner at all: 503 `miroir_shard_unavailable` (one document cannot be
//   partial).
// - GET /documents and POST /documents/fetch: planDocuments (offset 0,
//   limit offset+limit on every node, the primary key and sort fields added to
//   an explicit `fields`), scattered with the shard restriction ANDed into
//   `filter`, merged by mergeDocumentPages: the global window, `total` summed
//   over the covering set (exact, the restriction makes node sets disjoint).
//   Nodes are not asked to sort by the primary key (it need not be sortable
//   on them): without a client `sort` the merge interleaves each node's own
//   order by primary key, which is global key order whenever nodes list in
//   insertion order of ascending keys, and is in any case deterministic with
//   pages that never overlap as long as the same nodes answer every page:
//   listings take the first covering set, never a rotated one (with RF 2 the
//   rotation made consecutive pages overlap and skip documents). A change of
//   node health between two pages can still shift them.
import { MeiliError } from '../../api/errors/registry.ts';
import type { IndexRecord } from '../cluster/state.ts';
import { mergeDocumentPages, parseDocumentSort, planDocuments } from '../merge/index.ts';
import type { DocumentsQuery, MergedDocumentsPage, NodeDocumentsPage } from '../merge/index.ts';
import type { PeerServices } from '../peer/services.ts';
import { shardOwnersInOrder } from '../routing/covering-set.ts';
import { nodeRequestBody } from '../merge/index.ts';
import { NodeResponseError } from '../../transport/node-client/errors.ts';
import { retryRead } from '../../transport/node-client/retry.ts';
import { resolveIndex, withReadContext } from './read-context.ts';
import type { IndexReadContext, ReadOptions } from './read-context.ts';
import { encodeUid, isCount, isFilterParam, isPlainObject, rejectQueryThroughNode, rejectThroughNode } from './request-body.ts';
import { documentsQueryFromQuery, plainQuery } from './query-string.ts';
import type { QueryString } from './query-string.ts';
import { isClientError, NODE_READ_RETRY, postToCover, shardUnavailable } from './scatter.ts';
import { clientErrorOf } from './node-error.ts';
import { hideReservedNames } from './reserved-names.ts';
import type { Body } from './request-body.ts';

export interface DocumentsOutcome {
  readonly response: MergedDocumentsPage;
  readonly degradedShards: number[];
}

/** Query parameters of GET /documents/{id}, as the client sent them (the node validates them). */
export interface GetDocumentQuery {
  readonly fields?: string;
  readonly retrieveVectors?: string;
}

export async function getDocument(
  services: PeerServices,
  indexUid: string,
  documentId: string,
  query: GetDocumentQuery,
  options: ReadOptions = {},
): Promise<Record<string, unknown>> {
  const index = await resolveIndex(services, indexUid);
  return withReadContext(services, index, options, async (context) => {
    const shard = services.router.shardOf(documentId, index.shards);
    const owners = shardOwnersInOrder(context.owners, shard);
    if (owners.length === 0) throw shardUnavailable(index.uid, [shard]);
    const path = `/indexes/${encodeUid(index.uid)}/documents/${encodeURIComponent(documentId)}`;
    let reached = false;
    for (const owner of owners) {
      const outcome = await documentFrom(context, owner.nodeId, path, query);
      if (outcome === 'unavailable') continue;
      reached = true;
      if (outcome !== 'not-found') return withoutReservedFields(outcome);
    }
    if (!reached) throw shardUnavailable(index.uid, [shard]);
    throw new MeiliError('document_not_found', `Document \`${documentId}\` not found.`);
  });
}

/** One owner's answer: the document, 'not-found', or 'unavailable' (try the next owner). */
async function documentFrom(
  context: IndexReadContext,
  nodeId: string,
  path: string,
  query: GetDocumentQuery,
): Promise<Record<string, unknown> | 'not-found' | 'unavailable'> {
  const { services, signal } = context;
  try {
    const response = await retryRead(
      () => services.node(nodeId).request<Record<string, unknown>>({ method: 'GET', path, query: { ...query }, signal }),
      NODE_READ_RETRY,
      { clock: services.clock, rng: services.rng, signal },
    );
    return response.body;
  } catch (error) {
    if (error instanceof NodeResponseError && error.status === 404) {
      const code = error.body.code;
      if (code === 'document_not_found' || code === 'index_not_found') return 'not-found';
    }
    if (isClientError(error)) throw clientErrorOf(error);
    if (signal.aborted) return 'unavailable';
    if (error instanceof MeiliError) throw error;
    return 'unavailable';
  }
}

/**
 * GET /documents (query already parsed into arrays) and POST /documents/fetch
 * (the body as sent). Shape errors in the fields the merge reads are answered
 * with the node's own message.
 */
export async function listDocuments(
  services: PeerServices,
  indexUid: string,
  clientQuery: unknown,
  options: ReadOptions = {},
): Promise<DocumentsOutcome> {
  // The request's shape is checked before the index is looked up, as Meilisearch's extractor does.
  const path = `/indexes/${encodeUid(indexUid)}/documents/fetch`;
  if (!isDocumentsQuery(clientQuery)) {
    return rejectThroughNode(services, path, clientQuery, new MeiliError('bad_request', 'The documents query is invalid.'), options.signal);
  }
  return listResolved(services, await resolveIndex(services, indexUid), path, clientQuery, options);
}

/** GET /documents: the query string converted to a fetch body, or the node's error for it. */
export async function listDocumentsFromQuery(
  services: PeerServices,
  indexUid: string,
  query: QueryString,
  options: ReadOptions = {},
): Promise<DocumentsOutcome> {
  const converted = documentsQueryFromQuery(query);
  if (converted === null || !isDocumentsQuery(converted)) {
    const fallback = new MeiliError('bad_request', 'The documents query string is invalid.');
    const plain = plainQuery(query);
    if (plain === null) throw fallback;
    return rejectQueryThroughNode(services, `/indexes/${encodeUid(indexUid)}/documents`, plain, fallback, options.signal);
  }
  const index = await resolveIndex(services, indexUid);
  return listResolved(services, index, `/indexes/${encodeUid(index.uid)}/documents/fetch`, converted, options);
}

async function listResolved(
  services: PeerServices,
  index: Readonly<IndexRecord>,
  path: string,
  clientQuery: DocumentsQuery,
  options: ReadOptions,
): Promise<DocumentsOutcome> {
  const query = hideReservedNames(clientQuery as Body) as DocumentsQuery;
  const plan = planDocuments(query, { primaryKey: index.primaryKey, sortByPrimaryKey: false });
  return withReadContext(services, index, { ...options, fixedCover: true }, async (context) => {
    const { answers, degradedShards } = await postToCover<NodeDocumentsPage>(
      context, path, (shards) => nodeRequestBody(plan, shards), () => ({ results: [], total: 0 }),
    );
    const response = mergeDocumentPages({
      pages: answers.map((a) => a.body),
      offset: plan.offset,
      limit: plan.limit,
      primaryKey: index.primaryKey,
      sort: parseDocumentSort(query.sort),
      addedFields: plan.addedFields,
    });
    return { response, degradedShards };
  });
}

function isDocumentsQuery(value: unknown): value is DocumentsQuery {
  if (!isPlainObject(value)) return false;
  const strings = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string');
  const optional = (key: string, ok: (v: unknown) => boolean): boolean => value[key] == null || ok(value[key]);
  return (
    optional('offset', isCount) &&
    optional('limit', isCount) &&
    optional('fields', strings) &&
    optional('sort', strings) &&
    optional('filter', isFilterParam) &&
    optional('ids', (v) => Array.isArray(v) && v.every((id) => typeof id === 'string' || typeof id === 'number'))
  );
}

function withoutReservedFields(doc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in doc) if (!key.startsWith('_miroir_')) out[key] = doc[key];
  return out;
}
