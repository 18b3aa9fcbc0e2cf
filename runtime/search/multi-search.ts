// POST /multi-search over the cluster (API.md §1.3, §4.5).
//
// - Plain (no `federation`): every query is an independent cluster search
//   (scatter-search.ts), run in parallel; the answer lists them in query
//   order as `{indexUid, ...SearchResult}`. The first failing query (by
//   position) fails the request, its message prefixed with
//   "Inside `.queries[i]`: "; a missing index is a 400 there, not a 404.
// - Federated: each query is a cluster search for the federation's first
//   offset+limit (page mode: page×hitsPerPage) hits with scores and details,
//   the lists are merged across queries by weighted score
//   (federated-merge.ts), the window is cut after the merge, totals are
//   summed (less the hits a federation `distinct` dropped), and
//   `facetsByIndex` / `mergeFacets` come from one cluster facet search per
//   index over its first query's `q`, `filter` and `matchingStrategy`.
//   Approximate: facet counts are not reduced by a federation `distinct`.
// - Shape errors (federationOptions in a plain search, pagination or facets
//   inside a federated query, unknown fields…) are answered with a node's
//   own message: the unchanged body is sent to one node (request-body.ts).
// - Tenant tokens: `tenantFilterFor(indexUid)` gives each query's rule filter,
//   ANDed before anything is scattered.
import { MeiliError } from '../../api/errors/registry.ts';
import type { IndexRecord } from '../cluster/state.ts';
import { mergeFacetDistributions, mergeFacetStats } from '../merge/index.ts';
import { compareCodePoints } from '../merge/facet-value.ts';
import type { PeerServices } from '../peer/services.ts';
import type { FilterParam } from '../routing/shard-filter.ts';
import { federatedHitView, mergeFederated } from './federated-merge.ts';
import type { QueryHitList } from './federated-merge.ts';
import { facetingOf } from './index-settings.ts';
import type { ReadOptions } from './read-context.ts';
import { isCount, isPlainObject, rejectThroughNode } from './request-body.ts';
import type { Body } from './request-body.ts';
import { requestUid } from './request-uid.ts';
import { searchResolvedIndex } from './scatter-search.ts';
import type { SearchOutcome } from './scatter-search.ts';

export interface MultiSearchOptions extends ReadOptions {
  /** The tenant token's rule filter for an index, or null (the edge's auth hook). */
  readonly tenantFilterFor?: (indexUid: string) => FilterParam | null;
}

export interface MultiSearchOutcome {
  readonly response: Record<string, unknown>;
  /** Degraded shards per index uid (only indexes with some). */
  readonly degradedShards: Record<string, number[]>;
}

/** `index_not_found` is a 404 elsewhere but a 400 inside multi-search (API.md §1.3). */
class MultiSearchIndexNotFound extends MeiliError {
  override readonly status = 400;
}

interface Query {
  readonly position: number;
  readonly indexUid: string;
  readonly body: Body;
}

const PAGINATION_KEYS = ['offset', 'limit', 'page', 'hitsPerPage'] as const;

export async function multiSearch(services: PeerServices, body: unknown, options: MultiSearchOptions = {}): Promise<MultiSearchOutcome> {
  const reject = (): Promise<never> =>
    rejectThroughNode(services, '/multi-search', body, new MeiliError('bad_request', 'The multi-search body is invalid.'), options.signal);
  if (!isMultiSearchBody(body)) return reject();
  const queries = (body['queries'] as Body[]).map((q, position): Query => {
    const { indexUid, ...rest } = q;
    return { position, indexUid: indexUid as string, body: rest };
  });
  const federation = body['federation'];
  if (federation === undefined || federation === null) {
    if (queries.some((q) => q.body['federationOptions'] !== undefined)) return reject();
    return plainMultiSearch(services, queries, options);
  }
  if (!isFederation(federation) || !queries.every((q) => isFederatedQuery(q, federation))) return reject();
  return federatedMultiSearch(services, queries, federation, options);
}

async function plainMultiSearch(services: PeerServices, queries: readonly Query[], options: MultiSearchOptions): Promise<MultiSearchOutcome> {
  const indexes = await resolveIndexes(services, queries.map((q) => q.indexUid));
  const settled = await Promise.allSettled(
    queries.map((q) => {
      const index = indexes.get(q.indexUid);
      if (index === undefined) return Promise.reject(indexNotFoundAt(q.position, q.indexUid));
      return searchResolvedIndex(services, index, q.body, searchOptions(options, q.indexUid));
    }),
  );
  const results: Record<string, unknown>[] = [];
  const degraded: Record<string, number[]> = {};
  settled.forEach((outcome, i) => {
    if (outcome.status === 'rejected') throw prefixed(i, outcome.reason);
    const uid = queries[i]!.indexUid;
    results.push({ indexUid: uid, ...outcome.value.response });
    addDegraded(degraded, uid, outcome.value.degradedShards);
  });
  return { response: { results }, degradedShards: degraded };
}

interface Window {
  readonly pageMode: boolean;
  readonly offset: number;
  readonly limit: number;
}

function windowOf(federation: Body): Window {
  const page = federation['page'] as number | undefined | null;
  const hitsPerPage = federation['hitsPerPage'] as number | undefined | null;
  if (page == null && hitsPerPage == null) {
    return { pageMode: false, offset: (federation['offset'] as number | undefined) ?? 0, limit: (federation['limit'] as number | undefined) ?? 20 };
  }
  const perPage = hitsPerPage ?? 20;
  const p = page ?? 1;
  return { pageMode: true, offset: p === 0 ? 0 : (p - 1) * perPage, limit: p === 0 ? 0 : perPage };
}

async function federatedMultiSearch(
  services: PeerServices,
  queries: readonly Query[],
  federation: Body,
  options: MultiSearchOptions,
): Promise<MultiSearchOutcome> {
  const startedMs = services.clock.nowMs();
  const facetsByIndex = facetRequests(federation);
  const indexes = await resolveIndexes(services, [...queries.map((q) => q.indexUid), ...facetsByIndex.keys()]);
  throwFirstMissingIndex(queries, facetsByIndex, indexes);
  const window = windowOf(federation);
  const required = window.offset + window.limit;
  const paging = window.pageMode ? { page: 1, hitsPerPage: required } : { offset: 0, limit: required };
  const distinct = typeof federation['distinct'] === 'string' ? federation['distinct'] : null;
  const settled = await Promise.allSettled(
    queries.map((q) => {
      const { federationOptions: _f, ...rest } = q.body;
      const nodeBody: Body = { ...rest, ...paging, showRankingScore: true, showRankingScoreDetails: true };
      if (distinct !== null) nodeBody['distinct'] = distinct;
      return searchResolvedIndex(services, indexes.get(q.indexUid)!, nodeBody, searchOptions(options, q.indexUid));
    }),
  );
  const outcomes = settled.map((outcome, i) => {
    if (outcome.status === 'rejected') throw prefixed(i, outcome.reason);
    return outcome.value;
  });
  const facets = await federatedFacets(services, queries, facetsByIndex, indexes, options);
  const lists = queries.map((q, i): QueryHitList => ({
    queryPosition: q.position,
    indexUid: q.indexUid,
    weight: weightOf(q),
    primaryKey: indexes.get(q.indexUid)!.primaryKey,
    hits: outcomes[i]!.response.hits,
  }));
  const { merged, distinctRejected } = mergeFederated(lists, distinct);
  const hits = merged.slice(window.offset, window.offset + window.limit).map((m) =>
    federatedHitView(m, {
      rankingScore: queries[m.queryPosition]!.body['showRankingScore'] === true,
      rankingScoreDetails: queries[m.queryPosition]!.body['showRankingScoreDetails'] === true,
    }),
  );
  const total = outcomes.reduce((sum, o) => sum + totalOf(o), 0) - distinctRejected;
  const response: Record<string, unknown> = { hits, processingTimeMs: Math.max(0, Math.round(services.clock.nowMs() - startedMs)) };
  Object.assign(response, paginationKeys(federation, window, Math.max(0, total)));
  addFacets(response, federation, facets, indexes);
  response['requestUid'] = requestUid(services.clock, services.rng);
  const degraded: Record<string, number[]> = {};
  outcomes.forEach((o, i) => addDegraded(degraded, queries[i]!.indexUid, o.degradedShards));
  for (const [uid, f] of facets) addDegraded(degraded, uid, f.degradedShards);
  return { response, degradedShards: degraded };
}

function totalOf(outcome: SearchOutcome): number {
  const r = outcome.response as { estimatedTotalHits?: number; totalHits?: number };
  return r.estimatedTotalHits ?? r.totalHits ?? 0;
}

function paginationKeys(federation: Body, window: Window, total: number): Record<string, number> {
  if (!window.pageMode) return { limit: window.limit, offset: window.offset, estimatedTotalHits: total };
  const hitsPerPage = (federation['hitsPerPage'] as number | undefined | null) ?? 20;
  return {
    hitsPerPage,
    page: (federation['page'] as number | undefined | null) ?? 1,
    totalPages: hitsPerPage === 0 ? 0 : Math.ceil(total / hitsPerPage),
    totalHits: total,
  };
}

interface IndexFacets {
  readonly distribution: Record<string, Record<string, number>>;
  readonly stats: Record<string, { min: number; max: number }>;
  readonly degradedShards: number[];
}

/** `facetsByIndex` entries with a facet list, by index uid. */
function facetRequests(federation: Body): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const requested = federation['facetsByIndex'];
  if (!isPlainObject(requested)) return out;
  for (const [uid, facets] of Object.entries(requested)) if (Array.isArray(facets)) out.set(uid, facets as string[]);
  return out;
}

/** One cluster facet search per index, over its first query's q, filter and matching strategy. */
async function federatedFacets(
  services: PeerServices,
  queries: readonly Query[],
  requests: ReadonlyMap<string, string[]>,
  indexes: ReadonlyMap<string, Readonly<IndexRecord>>,
  options: MultiSearchOptions,
): Promise<Map<string, IndexFacets>> {
  const uids = [...requests.keys()].sort(compareCodePoints);
  const runs = await Promise.allSettled(
    uids.map(async (uid) => {
      const first = queries.find((q) => q.indexUid === uid);
      const body: Body = { limit: 0, facets: requests.get(uid)! };
      for (const key of ['q', 'filter', 'matchingStrategy']) if (first?.body[key] !== undefined) body[key] = first.body[key];
      const outcome = await searchResolvedIndex(services, indexes.get(uid)!, body, searchOptions(options, uid));
      const r = outcome.response;
      return { distribution: r.facetDistribution ?? {}, stats: r.facetStats ?? {}, degradedShards: outcome.degradedShards };
    }),
  );
  const out = new Map<string, IndexFacets>();
  runs.forEach((run, i) => {
    const uid = uids[i]!;
    if (run.status === 'fulfilled') {
      out.set(uid, run.value);
      return;
    }
    if (!(run.reason instanceof MeiliError)) throw run.reason;
    const first = queries.find((q) => q.indexUid === uid);
    const note = first === undefined ? `index \`${uid}\` is not used in queries` : `index \`${uid}\` used in \`.queries[${first.position}]\``;
    throw new MeiliError(run.reason.code, `Inside \`.federation.facetsByIndex.${uid}\`: ${run.reason.message}\n - Note: ${note}`, { cause: run.reason });
  });
  return out;
}

function addFacets(
  response: Record<string, unknown>,
  federation: Body,
  facets: ReadonlyMap<string, IndexFacets>,
  indexes: ReadonlyMap<string, Readonly<IndexRecord>>,
): void {
  if (facets.size === 0) return;
  const uids = [...facets.keys()].sort(compareCodePoints);
  const mergeOptions = federation['mergeFacets'];
  if (isPlainObject(mergeOptions)) {
    const max = mergeOptions['maxValuesPerFacet'];
    const faceting = {
      // Without a bound every value is kept; the first index's value order applies.
      maxValuesPerFacet: typeof max === 'number' ? max : Number.MAX_SAFE_INTEGER,
      sortFacetValuesBy: facetingOf(indexes.get(uids[0]!)!).sortFacetValuesBy,
    };
    response['facetDistribution'] = mergeFacetDistributions(uids.map((u) => facets.get(u)!.distribution), faceting);
    response['facetStats'] = mergeFacetStats(uids.map((u) => facets.get(u)!.stats));
    return;
  }
  const byIndex: Record<string, { distribution: unknown; stats: unknown }> = {};
  for (const uid of uids) byIndex[uid] = { distribution: facets.get(uid)!.distribution, stats: facets.get(uid)!.stats };
  response['facetsByIndex'] = byIndex;
}

/** The index records of `uids`, syncing the replica once when one is unknown. */
async function resolveIndexes(services: PeerServices, uids: readonly string[]): Promise<Map<string, Readonly<IndexRecord>>> {
  const lookup = (): Map<string, Readonly<IndexRecord>> => {
    const state = services.state();
    const out = new Map<string, Readonly<IndexRecord>>();
    for (const uid of uids) {
      const index = state.indexes.get(uid);
      if (index !== undefined) out.set(uid, index);
    }
    return out;
  };
  let found = lookup();
  if (found.size < new Set(uids).size) {
    await services.syncRead();
    found = lookup();
  }
  return found;
}

/** perform.rs visits indexes in uid order: the first missing one fails, named by its first query. */
function throwFirstMissingIndex(
  queries: readonly Query[],
  facets: ReadonlyMap<string, string[]>,
  indexes: ReadonlyMap<string, Readonly<IndexRecord>>,
): void {
  const used = [...new Set(queries.map((q) => q.indexUid))].sort(compareCodePoints);
  for (const uid of used) {
    if (!indexes.has(uid)) throw indexNotFoundAt(queries.find((q) => q.indexUid === uid)!.position, uid);
  }
  for (const uid of [...facets.keys()].sort(compareCodePoints)) {
    if (!indexes.has(uid) && !used.includes(uid)) {
      throw new MultiSearchIndexNotFound(
        'index_not_found',
        `Inside \`.federation.facetsByIndex.${uid}\`: Index \`${uid}\` not found.\n - Note: index \`${uid}\` is not used in queries`,
      );
    }
  }
}

function indexNotFoundAt(position: number, uid: string): MeiliError {
  return new MultiSearchIndexNotFound('index_not_found', `Inside \`.queries[${position}]\`: Index \`${uid}\` not found.`);
}

function prefixed(position: number, error: unknown): unknown {
  if (!(error instanceof MeiliError) || error.message.startsWith('Inside `.')) return error;
  const message = `Inside \`.queries[${position}]\`: ${error.message}`;
  return error.code === 'index_not_found'
    ? new MultiSearchIndexNotFound(error.code, message, { cause: error })
    : new MeiliError(error.code, message, { cause: error });
}

function searchOptions(options: MultiSearchOptions, indexUid: string): MultiSearchOptions & { tenantFilter: FilterParam | null } {
  return { ...options, tenantFilter: options.tenantFilterFor?.(indexUid) ?? null };
}

function weightOf(query: Query): number {
  const options = query.body['federationOptions'];
  const weight = isPlainObject(options) ? options['weight'] : undefined;
  return typeof weight === 'number' ? weight : 1;
}

function addDegraded(into: Record<string, number[]>, uid: string, shards: readonly number[]): void {
  if (shards.length === 0) return;
  into[uid] = [...new Set([...(into[uid] ?? []), ...shards])].sort((a, b) => a - b);
}

function isMultiSearchBody(body: unknown): body is Body {
  if (!isPlainObject(body) || !Array.isArray(body['queries'])) return false;
  if (Object.keys(body).some((k) => k !== 'queries' && k !== 'federation')) return false;
  return (body['queries'] as unknown[]).every((q) => isPlainObject(q) && typeof q['indexUid'] === 'string');
}

function isFederation(value: unknown): value is Body {
  if (!isPlainObject(value)) return false;
  const nullableCount = (key: string): boolean => value[key] == null || isCount(value[key]);
  const facets = value['facetsByIndex'];
  const merge = value['mergeFacets'];
  return (
    PAGINATION_KEYS.every(nullableCount) &&
    (value['distinct'] == null || typeof value['distinct'] === 'string') &&
    (facets == null ||
      (isPlainObject(facets) &&
        Object.values(facets).every((f) => f === null || (Array.isArray(f) && f.every((s) => typeof s === 'string'))))) &&
    (merge == null || (isPlainObject(merge) && (merge['maxValuesPerFacet'] == null || isCount(merge['maxValuesPerFacet']))))
  );
}

/** A query the federated merge can run; anything else is for a node to reject with its message. */
function isFederatedQuery(query: Query, federation: Body): boolean {
  const b = query.body;
  if (PAGINATION_KEYS.some((k) => b[k] !== undefined) || b['facets'] !== undefined) return false;
  if (b['distinct'] != null && federation['distinct'] != null) return false;
  const options = b['federationOptions'];
  if (options === undefined || options === null) return true;
  if (!isPlainObject(options)) return false;
  if (options['remote'] != null || options['queryPosition'] != null) return false;
  const weight = options['weight'];
  return weight === undefined || (typeof weight === 'number' && weight >= 0);
}
