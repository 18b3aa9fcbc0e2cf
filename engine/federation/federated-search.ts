// Federated multi-search (API.md §4.5): every query runs on its index for
// the first `offset+limit` (or `page×hitsPerPage`) hits with scores, queries
// are visited index by index (errors name the first query of the failing
// index, as perform.rs does), the hits are merged by weighted score, the
// window is applied after the merge, totals are summed and facets are
// returned per index or merged.
import { MeiliError } from '../../api/errors/registry.ts';
import type { IndexEntry } from '../http/context.ts';
import { defaultSearchQuery } from '../../api/protocol/search-params.ts';
import type { Federation, MultiSearchQuery } from './request.ts';
import { byteOrder, federatedHit, mergeFacets, mergeHits, type ComputedFacets, type QueryHits } from './merge.ts';
import { checkUnsupportedAfterSearch, checkUnsupportedBeforeSearch, featureNotEnabled, searchEntry, withRuleFilter } from './search-runner.ts';

export interface FederatedDeps {
  index(uid: string): IndexEntry | undefined;
  ruleFilter(uid: string): unknown;
  nowMs(): number;
}

export function withQueryIndex(i: number, error: unknown): unknown {
  if (error instanceof MeiliError && !error.message.startsWith('Inside `.queries[')) {
    return new MeiliError(error.code, `Inside \`.queries[${i}]\`: ${error.message}`, { cause: error });
  }
  return error;
}

/** `index_not_found` is a 404 elsewhere; multi-search answers it with 400 (API.md §3). */
class MultiSearchIndexNotFound extends MeiliError {
  override readonly status = 400;
}

export function indexNotFoundInMultiSearch(i: number, uid: string): MeiliError {
  return new MultiSearchIndexNotFound('index_not_found', `Inside \`.queries[${i}]\`: Index \`${uid}\` not found.`);
}

interface Window { offset: number; limit: number; pageMode: boolean }

function windowOf(fed: Federation): Window {
  if (fed.page === null && fed.hitsPerPage === null) return { offset: fed.offset, limit: fed.limit, pageMode: false };
  const hitsPerPage = fed.hitsPerPage ?? 20;
  const page = fed.page ?? 1;
  return { offset: page === 0 ? 0 : (page - 1) * hitsPerPage, limit: page === 0 ? 0 : hitsPerPage, pageMode: true };
}

interface IndexRun {
  lists: QueryHits[];
  total: number;
  facets: ComputedFacets | null;
}

/** Runs every query of one index (perform.rs `SearchByIndex::execute`). */
function runIndex(entry: IndexEntry, positions: readonly number[], queries: readonly MultiSearchQuery[], fed: Federation, window: Window, deps: FederatedDeps): IndexRun {
  const run: IndexRun = { lists: [], total: 0, facets: null };
  const required = window.offset + window.limit;
  // Page mode asks each query for an exhaustive count (totalHits), as Meilisearch does.
  const paging = window.pageMode ? { offset: 0, limit: required, page: 1, hitsPerPage: required } : { offset: 0, limit: required, page: null, hitsPerPage: null };
  for (const i of positions) {
    const q = queries[i] as MultiSearchQuery;
    try {
      checkUnsupportedBeforeSearch(q.unsupported, entry.uid);
      const result = searchEntry(entry, withRuleFilter({
        ...q.query, ...paging, facets: null,
        showRankingScore: true, showRankingScoreDetails: true, distinct: q.query.distinct ?? fed.distinct,
      }, deps.ruleFilter(entry.uid)), q.unsupported.retrieveVectors);
      checkUnsupportedAfterSearch(q.unsupported);
      run.total += result.estimatedTotalHits ?? result.totalHits ?? 0;
      run.lists.push({ queryIndex: i, indexUid: entry.uid, weight: q.federationOptions?.weight ?? 1, primaryKey: entry.primaryKey, hits: result.hits });
    } catch (error) {
      throw withQueryIndex(i, error);
    }
  }
  const facets = fed.facetsByIndex.get(entry.uid) ?? null;
  if (facets !== null) run.facets = indexFacets(entry, facets, queries[positions[0] as number] ?? null, positions[0] ?? null, deps);
  return run;
}

/**
 * `facetsByIndex` of one index, over the candidates of its first query (or
 * none when no query uses it: then the facets are only validated). Errors
 * carry perform.rs's `.federation.facetsByIndex` prefix and note.
 */
function indexFacets(entry: IndexEntry, facets: string[], first: MultiSearchQuery | null, position: number | null, deps: FederatedDeps): ComputedFacets {
  const base = first?.query ?? defaultSearchQuery();
  const filter = first === null ? null : base.filter;
  try {
    const result = searchEntry(entry, withRuleFilter({ ...defaultSearchQuery(), q: base.q, filter, matchingStrategy: base.matchingStrategy, limit: 0, facets }, deps.ruleFilter(entry.uid)));
    return { distribution: result.facetDistribution ?? {}, stats: result.facetStats ?? {} };
  } catch (error) {
    if (!(error instanceof MeiliError)) throw error;
    const note = position === null ? `index \`${entry.uid}\` is not used in queries` : `index \`${entry.uid}\` used in \`.queries[${position}]\``;
    throw new MeiliError(error.code, `Inside \`.federation.facetsByIndex.${entry.uid}\`: ${error.message}\n - Note: ${note}`, { cause: error });
  }
}

/** Indexes named in `facetsByIndex` but used by no query must exist and have those facets. */
function checkUnusedFacets(fed: Federation, used: ReadonlySet<string>, deps: FederatedDeps): void {
  for (const [uid, facets] of fed.facetsByIndex) {
    if (used.has(uid)) continue;
    const entry = deps.index(uid);
    if (entry === undefined) {
      throw new MultiSearchIndexNotFound('index_not_found', `Inside \`.federation.facetsByIndex.${uid}\`: Index \`${uid}\` not found.\n - Note: index \`${uid}\` is not used in queries`);
    }
    if (facets !== null) indexFacets(entry, facets, null, null, deps);
  }
}

/** Remotes and explicit query positions need the `network` feature (perform.rs `partition`). */
function checkNetworkOptions(queries: readonly MultiSearchQuery[]): void {
  for (const q of queries) {
    if (q.federationOptions?.remote != null) throw featureNotEnabled('Performing a remote federated search', 'network', 805);
    if (q.federationOptions?.queryPosition != null) throw featureNotEnabled('Using `federationOptions.queryPosition`', 'network', 805);
  }
}

export function federatedSearch(queries: readonly MultiSearchQuery[], fed: Federation, deps: FederatedDeps): Record<string, unknown> {
  checkNetworkOptions(queries);
  const started = deps.nowMs();
  const window = windowOf(fed);
  const byIndex = new Map<string, number[]>();
  queries.forEach((q, i) => byIndex.set(q.indexUid, [...(byIndex.get(q.indexUid) ?? []), i]));
  const lists: QueryHits[] = [];
  const facetsByIndex = new Map<string, ComputedFacets>();
  let total = 0;
  for (const uid of [...byIndex.keys()].sort(byteOrder)) {
    const positions = byIndex.get(uid) as number[];
    const entry = deps.index(uid);
    if (entry === undefined) throw indexNotFoundInMultiSearch(positions[0] as number, uid);
    const run = runIndex(entry, positions, queries, fed, window, deps);
    lists.push(...run.lists);
    total += run.total;
    if (run.facets !== null) facetsByIndex.set(uid, run.facets);
  }
  checkUnusedFacets(fed, new Set(byIndex.keys()), deps);
  const { merged, rejected } = mergeHits(lists, fed.distinct);
  const hits = merged.slice(window.offset, window.offset + window.limit).map((m) => {
    const asked = (queries[m.queryIndex] as MultiSearchQuery).query;
    return federatedHit(m, { rankingScore: asked.showRankingScore, rankingScoreDetails: asked.showRankingScoreDetails });
  });
  const out: Record<string, unknown> = { hits, processingTimeMs: Math.max(0, Math.round(deps.nowMs() - started)) };
  addPagination(out, fed, window, Math.max(0, total - rejected));
  addFacets(out, fed, facetsByIndex, deps);
  return out;
}

function addPagination(out: Record<string, unknown>, fed: Federation, window: Window, totalHits: number): void {
  if (window.pageMode) {
    const hitsPerPage = fed.hitsPerPage ?? 20;
    out['hitsPerPage'] = hitsPerPage;
    out['page'] = fed.page ?? 1;
    out['totalPages'] = hitsPerPage === 0 ? 0 : Math.ceil(totalHits / hitsPerPage);
    out['totalHits'] = totalHits;
  } else {
    out['limit'] = fed.limit;
    out['offset'] = fed.offset;
    out['estimatedTotalHits'] = totalHits;
  }
}

function addFacets(out: Record<string, unknown>, fed: Federation, facetsByIndex: Map<string, ComputedFacets>, deps: FederatedDeps): void {
  if (facetsByIndex.size === 0) return;
  if (fed.mergeFacets !== null) {
    const orders = [...facetsByIndex.keys()].sort(byteOrder).map((uid) => deps.index(uid)?.index.settings().faceting.sortFacetValuesBy);
    const orderOf = (facet: string): 'alpha' | 'count' => {
      const order = orders[0];
      return order?.[facet] ?? order?.['*'] ?? 'alpha';
    };
    const merged = mergeFacets([...facetsByIndex.values()], orderOf, fed.mergeFacets.maxValuesPerFacet);
    out['facetDistribution'] = merged.distribution;
    out['facetStats'] = merged.stats;
    return;
  }
  const byIndex: Record<string, ComputedFacets> = {};
  for (const uid of [...facetsByIndex.keys()].sort(byteOrder)) byIndex[uid] = facetsByIndex.get(uid) as ComputedFacets;
  out['facetsByIndex'] = byIndex;
}
