// POST /multi-search (API.md §1.3, §4.5), plain and federated, answered over
// the cluster by runtime/search/multi-search.ts.
//
// The route is guarded by the `search` action without an index in its path,
// so the caller's index scope is checked here for every query, as
// Meilisearch does: a query on an index the key or tenant token cannot see
// fails the request with 403 "Inside `.queries[i]`: The provided API key is
// invalid." Every index named in `federation.facetsByIndex` (whose facets a
// `mergeFacets` also merges) is checked the same way, in uid order, with the
// `.federation.facetsByIndex.<uid>` prefix the federated errors use: its
// facet counts would otherwise be read outside the scope. Each query then
// gets its own tenant rule filter (caller.tenantFilterFor), ANDed with its
// filter before the scatter.
import type { FastifyInstance } from 'fastify';
import { MeiliError } from '../errors/registry.ts';
import { multiSearch } from '../../runtime/search/multi-search.ts';
import type { Caller, RouteOptions } from '../plugins/request-context.ts';
import { compareCodePoints } from '../../runtime/merge/facet-value.ts';
import { isPlainObject } from '../../runtime/search/request-body.ts';
import { markDegradedByIndex, readOptions } from './read-support.ts';

/** Throws Meilisearch's 403 for the first query whose index the caller may not search. */
function checkQueryIndexes(caller: Caller, body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const queries = (body as Record<string, unknown>)['queries'];
  if (!Array.isArray(queries)) return;
  queries.forEach((query: unknown, position) => {
    if (typeof query !== 'object' || query === null) return;
    const uid = (query as Record<string, unknown>)['indexUid'];
    if (typeof uid === 'string' && !caller.mayAccess(uid)) {
      throw new MeiliError('invalid_api_key', `Inside \`.queries[${position}]\`: The provided API key is invalid.`);
    }
  });
}

/** Throws Meilisearch's 403 for the first `federation.facetsByIndex` index the caller may not search. */
function checkFacetIndexes(caller: Caller, body: unknown): void {
  if (!isPlainObject(body) || !isPlainObject(body['federation'])) return;
  const facetsByIndex = body['federation']['facetsByIndex'];
  if (!isPlainObject(facetsByIndex)) return;
  for (const uid of Object.keys(facetsByIndex).sort(compareCodePoints)) {
    if (!caller.mayAccess(uid)) {
      throw new MeiliError('invalid_api_key', `Inside \`.federation.facetsByIndex.${uid}\`: The provided API key is invalid.`);
    }
  }
}

export async function multiSearchRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  app.post('/multi-search', { config: { action: 'search', index: 'none' } }, async (request, reply) => {
    checkQueryIndexes(request.caller, request.body);
    checkFacetIndexes(request.caller, request.body);
    const caller = request.caller;
    const options = { ...readOptions(request, reply), tenantFilterFor: (uid: string) => caller.tenantFilterFor(uid) };
    const { response, degradedShards } = await multiSearch(services, request.body, options);
    markDegradedByIndex(reply, degradedShards);
    return response;
  });
}
