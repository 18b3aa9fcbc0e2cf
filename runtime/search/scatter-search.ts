// POST /indexes/{uid}/search and /facet-search over the cluster
// (ARCHITECTURE §4): scatter the client's query to the covering set, each node
// restricted to its shards, and merge the answers into the one a single node
// holding every document would give (runtime/merge/).
//
// - Search: planSearch turns the client's window into offset 0 /
//   limit offset+limit with scores on (and details when the score alone
//   cannot order the hits); mergeSearch orders hits rule by rule, applies
//   distinct across nodes, cuts the window, sums totals
//   and facets and strips what the client did not ask for (`_miroir_*`
//   always). The index's maxTotalHits, faceting and distinctAttribute come
//   from the settings the client set (index-settings.ts).
// - Facet search: the restriction is ANDed into `filter`; counts are summed
//   per value, re-sorted and truncated as one node would (mergeFacetSearch).
// - Degraded shards (no owner answered) follow config `read.policy`:
//   `partial` answers with the rest and reports them, `error` throws 503
//   `miroir_shard_unavailable`.
// - The tenant-token seam: `tenantFilter` (the rule filter the edge's auth
//   hook resolved for this index, array form) is ANDed with the client's
//   filter before anything is scattered, as Meilisearch does before its own
//   network fan-out (API.md §9.2).
import { MeiliError } from '../../api/errors/registry.ts';
import { mergeFacetSearch, mergeSearch, nodeRequestBody, planSearch } from '../merge/index.ts';
import type { Approximation, MergedSearchResponse, NodeFacetSearchResponse, NodeSearchResponse, SearchBody } from '../merge/index.ts';
import type { IndexRecord } from '../cluster/state.ts';
import type { PeerServices } from '../peer/services.ts';
import type { FilterParam } from '../routing/shard-filter.ts';
import { distinctAttributeOf, facetingOf, maxTotalHitsOf, rankingRulesOf } from './index-settings.ts';
import { resolveIndex, withReadContext } from './read-context.ts';
import type { ReadOptions } from './read-context.ts';
import { encodeUid, fuseTenantFilter, isCount, isFilterParam, isPlainObject, rejectQueryThroughNode, rejectThroughNode } from './request-body.ts';
import { plainQuery, searchBodyFromQuery } from './query-string.ts';
import type { QueryString } from './query-string.ts';
import type { Body } from './request-body.ts';
import { hideReservedNames, restoreReservedKeys } from './reserved-names.ts';
import { searchOnDocumentFields } from './search-on-fields.ts';
import { requestUid } from './request-uid.ts';
import { postToCover } from './scatter.ts';

export interface SearchOptions extends ReadOptions {
  /** The tenant token's rule filter for this index, ANDed with the client's. */
  readonly tenantFilter?: FilterParam | null;
}

export interface SearchOutcome {
  readonly response: MergedSearchResponse;
  readonly degradedShards: number[];
  readonly approximations: readonly Approximation[];
}

export interface FacetSearchOutcome {
  readonly response: { facetHits: { value: string; count: number }[]; facetQuery: string | null; processingTimeMs: number };
  readonly degradedShards: number[];
}

const PAGINATION_KEYS = ['offset', 'limit', 'page', 'hitsPerPage'] as const;

export async function searchIndex(
  services: PeerServices,
  indexUid: string,
  clientBody: unknown,
  options: SearchOptions = {},
): Promise<SearchOutcome> {
  const index = await resolveIndex(services, indexUid);
  return searchResolvedIndex(services, index, clientBody, options);
}

/** searchIndex for an index record already resolved (multi-search resolves all first). */
export async function searchResolvedIndex(
  services: PeerServices,
  index: Readonly<IndexRecord>,
  clientBody: unknown,
  options: SearchOptions = {},
): Promise<SearchOutcome> {
  const path = `/indexes/${encodeUid(index.uid)}/search`;
  const body = await checkedSearchBody(services, path, clientBody, options.signal);
  const fused = searchOnDocumentFields(hideReservedNames(fuseTenantFilter(body, options.tenantFilter)), index) as SearchBody;
  const maxTotalHits = maxTotalHitsOf(index);
  const distinctAttribute = distinctAttributeOf(index, fused['distinct']);
  const plan = planSearch(fused, { maxTotalHits, primaryKey: index.primaryKey, distinctAttribute, rankingRules: rankingRulesOf(index) });
  return withReadContext(services, index, options, async (context) => {
    const { answers, degradedShards } = await postToCover<NodeSearchResponse>(
      context, path, (shards) => nodeRequestBody(plan, shards),
      () => ({ hits: [], processingTimeMs: 0, estimatedTotalHits: 0, totalHits: 0 }),
    );
    const merged = mergeSearch({
      responses: answers.map((a) => a.body),
      query: fused,
      maxTotalHits,
      faceting: facetingOf(index),
      primaryKey: index.primaryKey,
      distinctAttribute,
      addedFields: plan.addedFields,
      rankedBy: plan.rankedBy,
      requestUid: requestUid(services.clock, services.rng),
    });
    const response = { ...merged.response };
    const distribution = restoreReservedKeys(response.facetDistribution);
    const stats = restoreReservedKeys(response.facetStats);
    if (distribution !== undefined) response.facetDistribution = distribution;
    if (stats !== undefined) response.facetStats = stats;
    return { response, degradedShards, approximations: merged.approximations };
  });
}

export async function facetSearchIndex(
  services: PeerServices,
  indexUid: string,
  clientBody: unknown,
  options: SearchOptions = {},
): Promise<FacetSearchOutcome> {
  const index = await resolveIndex(services, indexUid);
  const path = `/indexes/${encodeUid(index.uid)}/facet-search`;
  if (!isPlainObject(clientBody) || (clientBody['filter'] != null && !isFilterParam(clientBody['filter']))) {
    return rejectThroughNode(services, path, clientBody, badRequest('The facet-search body is invalid.'), options.signal);
  }
  const body = searchOnDocumentFields(hideReservedNames(fuseTenantFilter(clientBody, options.tenantFilter)), index);
  return withReadContext(services, index, options, async (context) => {
    const { answers, degradedShards } = await postToCover<NodeFacetSearchResponse>(
      context, path, (shards) => nodeRequestBody({ nodeBody: body }, shards),
      () => ({ facetHits: [], facetQuery: null, processingTimeMs: 0 }),
    );
    const facetQuery = typeof body['facetQuery'] === 'string' ? body['facetQuery'] : null;
    const response = mergeFacetSearch({
      responses: answers.map((a) => a.body),
      facetName: typeof body['facetName'] === 'string' ? body['facetName'] : '',
      facetQuery,
      faceting: facetingOf(index),
    });
    return { response, degradedShards };
  });
}

/**
 * The client's body when the fields the merge reads have the types it
 * expects (null pagination keys dropped: they mean "not given"); otherwise the
 * node's own error for it.
 */
async function checkedSearchBody(services: PeerServices, path: string, clientBody: unknown, signal?: AbortSignal): Promise<Body> {
  if (isPlainObject(clientBody)) {
    const body: Body = { ...clientBody };
    for (const key of PAGINATION_KEYS) if (body[key] === null) delete body[key];
    if (mergeFieldsValid(body)) return body;
  }
  return rejectThroughNode(services, path, clientBody, badRequest('The search body is invalid.'), signal);
}

function mergeFieldsValid(body: Body): boolean {
  const optional = (key: string, ok: (v: unknown) => boolean): boolean => body[key] === undefined || ok(body[key]);
  const nullable = (key: string, ok: (v: unknown) => boolean): boolean => body[key] == null || ok(body[key]);
  const strings = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string');
  return (
    PAGINATION_KEYS.every((key) => optional(key, isCount)) &&
    nullable('q', (v) => typeof v === 'string') &&
    optional('showRankingScore', (v) => typeof v === 'boolean') &&
    optional('showRankingScoreDetails', (v) => typeof v === 'boolean') &&
    nullable('facets', strings) &&
    nullable('attributesToRetrieve', strings) &&
    nullable('distinct', (v) => typeof v === 'string') &&
    nullable('filter', isFilterParam)
  );
}

function badRequest(message: string): MeiliError {
  return new MeiliError('bad_request', message);
}

/** GET /indexes/{uid}/search: the query string converted to a body, or the node's error for it. */
export async function searchIndexFromQuery(
  services: PeerServices,
  indexUid: string,
  query: QueryString,
  options: SearchOptions = {},
): Promise<SearchOutcome> {
  const index = await resolveIndex(services, indexUid);
  const body = searchBodyFromQuery(query);
  if (body === null) {
    const path = `/indexes/${encodeUid(index.uid)}/search`;
    const fallback = badRequest('The search query string is invalid.');
    const plain = plainQuery(query);
    if (plain === null) throw fallback;
    return rejectQueryThroughNode(services, path, plain, fallback, options.signal);
  }
  return searchResolvedIndex(services, index, body, options);
}
