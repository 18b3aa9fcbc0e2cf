// Search routes of one index (API.md §1.3, §4): POST and GET
// /indexes/{uid}/search and POST /indexes/{uid}/facet-search, answered over
// the cluster by runtime/search/scatter-search.ts as one Meilisearch holding
// every document would answer.
//
// The request's shape is checked here first, with Meilisearch's own messages
// (api/protocol/search-params.ts), so a malformed request fails before the
// index is looked up, as in Meilisearch (its extractor runs before the
// handler). What depends on the index (filterable and sortable attributes,
// facet-search settings) is checked by the nodes, whose 4xx pass through.
// The tenant token's rule filter (request.tenantFilter, set by the auth hook)
// is ANDed with the client's filter before anything is scattered.
import type { FastifyInstance } from 'fastify';
import { parseFacetSearchBody, parseSearchBody, parseSearchQueryString } from '../protocol/search-params.ts';
import { facetSearchIndex, searchIndex, searchIndexFromQuery } from '../../runtime/search/scatter-search.ts';
import type { RouteOptions } from '../plugins/request-context.ts';
import { indexUidParam, queryOf } from './common.ts';
import { markDegraded, readOptions } from './read-support.ts';

const SEARCH = { action: 'search', index: 'param' } as const;

export async function searchRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  app.post('/indexes/:indexUid/search', { config: SEARCH }, async (request, reply) => {
    parseSearchBody(request.body);
    const uid = indexUidParam(request);
    const options = { ...readOptions(request, reply), tenantFilter: request.tenantFilter };
    const { response, degradedShards } = await searchIndex(services, uid, request.body, options);
    markDegraded(reply, degradedShards);
    return response;
  });

  app.get('/indexes/:indexUid/search', { config: SEARCH }, async (request, reply) => {
    const query = queryOf(request);
    parseSearchQueryString(query);
    const uid = indexUidParam(request);
    const options = { ...readOptions(request, reply), tenantFilter: request.tenantFilter };
    const { response, degradedShards } = await searchIndexFromQuery(services, uid, query, options);
    markDegraded(reply, degradedShards);
    return response;
  });

  app.post('/indexes/:indexUid/facet-search', { config: SEARCH }, async (request, reply) => {
    parseFacetSearchBody(request.body);
    const uid = indexUidParam(request);
    const options = { ...readOptions(request, reply), tenantFilter: request.tenantFilter };
    const { response, degradedShards } = await facetSearchIndex(services, uid, request.body, options);
    markDegraded(reply, degradedShards);
    return response;
  });
}
