// The search routes (API.md §1.3): POST and GET /indexes/{uid}/search,
// POST /indexes/{uid}/facet-search and POST /multi-search (plain and
// federated). Request shapes are validated first (search-params.ts,
// federation/request.ts), then the index is looked up (404 here, 400 inside
// multi-search), the tenant-token filter is fused with the user's, and the
// SearchIndex answers. Every answer carries a fresh UUIDv7 `requestUid`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fuseFilters } from '../../../api/protocol/auth/search-rules.ts';
import { FULL_ACCESS, indexVisible, invalidApiKey, ruleFilterFor, type Identity } from '../../../api/protocol/auth/authorize.ts';
import { federatedSearch, indexNotFoundInMultiSearch, withQueryIndex } from '../../federation/federated-search.ts';
import { checkQueryRules, parseMultiSearchBody, type MultiSearchQuery } from '../../federation/request.ts';
import {
  checkUnsupportedAfterSearch, checkUnsupportedBeforeSearch, performanceDetails, searchAnswer, searchEntry, withRuleFilter,
} from '../../federation/search-runner.ts';
import { uuidV7 } from '../../federation/uuid-v7.ts';
import { checkIndexUid } from '../../../api/protocol/index-uid.ts';
import type { EngineContext, IndexEntry, RouteOptions } from '../context.ts';
import type { Query } from '../../../api/protocol/deserr.ts';
import { parseFacetSearchBody, parseSearchBody, parseSearchQueryString, type ParsedSearch } from '../../../api/protocol/search-params.ts';

function identityOf(request: FastifyRequest): Identity {
  return (request.identity as Identity | undefined) ?? FULL_ACCESS;
}

function pathIndex(ctx: EngineContext, request: FastifyRequest): IndexEntry {
  return ctx.indexes.require(checkIndexUid((request.params as { indexUid: string }).indexUid));
}

function runSingle(ctx: EngineContext, request: FastifyRequest, parsed: ParsedSearch): Record<string, unknown> {
  const entry = pathIndex(ctx, request);
  checkUnsupportedBeforeSearch(parsed.unsupported, entry.uid);
  const query = withRuleFilter(parsed.query, ruleFilterFor(identityOf(request), entry.uid));
  const result = searchEntry(entry, query, parsed.unsupported.retrieveVectors);
  checkUnsupportedAfterSearch(parsed.unsupported);
  return searchAnswer(result, uuidV7(ctx.clock.nowMs()), parsed.unsupported.showPerformanceDetails === true);
}

function runMultiQuery(ctx: EngineContext, identity: Identity, q: MultiSearchQuery, i: number, requestUid: string): Record<string, unknown> {
  const entry = ctx.indexes.get(q.indexUid);
  if (entry === undefined) throw indexNotFoundInMultiSearch(i, q.indexUid);
  try {
    checkUnsupportedBeforeSearch(q.unsupported, entry.uid);
    const result = searchEntry(entry, withRuleFilter(q.query, ruleFilterFor(identity, entry.uid)), q.unsupported.retrieveVectors);
    checkUnsupportedAfterSearch(q.unsupported);
    return { indexUid: q.indexUid, ...searchAnswer(result, requestUid, q.unsupported.showPerformanceDetails === true) };
  } catch (error) {
    throw withQueryIndex(i, error);
  }
}

export async function searchRoutes(app: FastifyInstance, opts: RouteOptions): Promise<void> {
  const { ctx } = opts;
  const config = { action: 'search', index: 'param' } as const;

  app.post('/indexes/:indexUid/search', { config }, async (request) => runSingle(ctx, request, parseSearchBody(request.body)));

  app.get('/indexes/:indexUid/search', { config }, async (request) =>
    runSingle(ctx, request, parseSearchQueryString(request.query as Query)));

  app.post('/indexes/:indexUid/facet-search', { config }, async (request) => {
    const body = parseFacetSearchBody(request.body);
    const entry = pathIndex(ctx, request);
    checkUnsupportedBeforeSearch(body.unsupported, entry.uid);
    const filter = fuseFilters(body.filter, ruleFilterFor(identityOf(request), entry.uid));
    return entry.index.facetSearch({
      facetName: body.facetName, facetQuery: body.facetQuery, q: body.q, filter,
      matchingStrategy: body.matchingStrategy, attributesToSearchOn: body.attributesToSearchOn,
    }, entry.uid);
  });

  app.post('/multi-search', { config: { action: 'search', index: 'none' } }, async (request) => {
    const body = parseMultiSearchBody(request.body);
    const identity = identityOf(request);
    body.queries.forEach((q, i) => {
      if (!indexVisible(identity, q.indexUid)) throw withQueryIndex(i, invalidApiKey());
    });
    checkQueryRules(body);
    const requestUid = uuidV7(ctx.clock.nowMs());
    if (body.federation === null) {
      return { results: body.queries.map((q, i) => runMultiQuery(ctx, identity, q, i, requestUid)) };
    }
    const answer = federatedSearch(body.queries, body.federation, {
      index: (uid) => ctx.indexes.get(uid),
      ruleFilter: (uid) => ruleFilterFor(identity, uid),
      nowMs: () => ctx.clock.nowMs(),
    });
    const out: Record<string, unknown> = { ...answer, requestUid };
    if (body.federation.showPerformanceDetails) out['performanceDetails'] = performanceDetails(answer['processingTimeMs'] as number);
    return out;
  });
}
