// Federated multi-search (API.md §4.5): every query runs on its index for
// the first `offset+limit` (or `page×hitsPerPage`) hits with scores, queries
// are visited index by index (errors name the first query of the failing
// index, as perform.rs does), the hits are merged by weighted score, the
// window is applied after the merge, totals are summed and facets are
// returned per index or merged.
import { MeiliError } from '../../api/errors/registry.ts';
import type { IndexEntry } from '../http/context.ts';
import type { Federation, MultiSearchQuery } from './request.ts';
import { byteOrder, federatedHit, mergeFacets, mergeHits, type ComputedFacets, type QueryHits } from './merge.ts';
import { checkUnsupportedAfterSearch, checkUnsupportedBeforeSearch, searchEntry, withRuleFilter } from './search-runner.ts';

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

export function federatedSearch(queries: readonly MultiSearchQuery[], fed: Federation, deps: FederatedDeps): Record<string, unknown> {
  const started = deps.nowMs();
  const window = windowOf(fed);
  const required = window.offset + window.limit;
  const byIndex = new Map<string, number[]>();
  queries.forEach((q, i) => byIndex.set(q.indexUid, [...(byIndex.get(q.indexUid) ?? []), i]));
  const lists: QueryHits[] = [];
  const facetsByIndex = new Map<string, ComputedFacets>();
  let total = 0;
  for (const uid of [...byIndex.keys()].sort(byteOrder)) {
    const positions = byIndex.get(uid) as number[];
    const entry = deps.index(uid);
    if (entry === undefined) throw indexNotFoundInMultiSearch(positions[0] as number, uid);
    const facets = fed.facetsByIndex.get(uid) ?? null;
    positions.forEach((i, n) => {
      const q = queries[i] as MultiSearchQuery;
      try {
        checkUnsupportedBeforeSearch(q.unsupported, uid);
        const query = withRuleFilter({
          ...q.query, offset: 0, limit: required, page: null, hitsPerPage: null, showRankingScore: true, showRankingScoreDetails: true,
          distinct: q.query.distinct ?? fed.distinct, facets: n === 0 && facets !== null ? facets : null,
        }, deps.ruleFilter(uid));
        const result = searchEntry(entry, query);
        checkUnsupportedAfterSearch(q.unsupported);
        total += result.estimatedTotalHits ?? result.totalHits ?? 0;
        lists.push({ queryIndex: i, indexUid: uid, weight: q.federationOptions?.weight ?? 1, hits: result.hits });
        if (n === 0 && facets !== null) facetsByIndex.set(uid, { distribution: result.facetDistribution ?? {}, stats: result.facetStats ?? {} });
      } catch (error) {
        throw withQueryIndex(i, error);
      }
    });
  }
  const { merged, rejected } = mergeHits(lists, fed.distinct);
  const hits = merged.slice(window.offset, window.offset + window.limit)
    .map((m) => {
      const asked = (queries[m.queryIndex] as MultiSearchQuery).query;
      return federatedHit(m, { rankingScore: asked.showRankingScore, rankingScoreDetails: asked.showRankingScoreDetails });
    });
  const out: Record<string, unknown> = { hits, processingTimeMs: Math.max(0, Math.round(deps.nowMs() - started)) };
  const totalHits = Math.max(0, total - rejected);
  if (window.pageMode) {
    const hitsPerPage = window.limit === 0 && fed.page !== 0 ? 0 : (fed.hitsPerPage ?? 20);
    out['hitsPerPage'] = hitsPerPage;
    out['page'] = fed.page ?? 1;
    out['totalPages'] = hitsPerPage === 0 ? 0 : Math.ceil(totalHits / hitsPerPage);
    out['totalHits'] = totalHits;
  } else {
    out['limit'] = fed.limit;
    out['offset'] = fed.offset;
    out['estimatedTotalHits'] = totalHits;
  }
  addFacets(out, fed, facetsByIndex, deps);
  return out;
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
