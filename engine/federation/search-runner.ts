// Runs one validated search against one index for the HTTP routes: checks
// the options the engine does not serve (answered with Meilisearch's
// errors), fuses the tenant-token filter, calls SearchIndex.search and lays
// the answer out in Meilisearch's key order with `requestUid` (API.md §4.2).
import { MeiliError } from '../../api/errors/registry.ts';
import type { SearchQuery, SearchResult } from '../core/contracts.ts';
import type { IndexEntry } from '../http/context.ts';
import type { UnsupportedOptions } from '../../api/protocol/search-params.ts';
import { fuseFilters } from '../../api/protocol/auth/search-rules.ts';

export function featureNotEnabled(what: string, feature: string, discussion: number): MeiliError {
  return new MeiliError('feature_not_enabled', `${what} requires enabling the \`${feature}\` experimental feature. See https://github.com/orgs/meilisearch/discussions/${discussion}`);
}

/** Errors for options that need embedders or the network feature, checked before searching. */
export function checkUnsupportedBeforeSearch(u: UnsupportedOptions, indexUid: string): void {
  if (u.useNetwork !== null) throw featureNotEnabled('passing `useNetwork` in a search query', 'network', 805);
  if (u.hybrid === null && (u.vector !== null || (u.media !== null && u.media !== undefined))) {
    throw new MeiliError('missing_search_hybrid', 'Invalid request: missing `hybrid` parameter when `vector` is present.');
  }
  if (u.hybrid !== null) {
    throw new MeiliError('invalid_search_embedder', `Cannot find embedder with name \`${u.hybrid.embedder}\`.`);
  }
}

/** Personalization is reranking after the search; without the feature it fails then. */
export function checkUnsupportedAfterSearch(u: UnsupportedOptions): void {
  if (u.personalize !== null) throw featureNotEnabled('reranking search results', 'personalization', 866);
}

export function withRuleFilter(query: SearchQuery, ruleFilter: unknown): SearchQuery {
  if (ruleFilter === null || ruleFilter === undefined) return query;
  return { ...query, filter: fuseFilters(query.filter, ruleFilter) };
}

/**
 * Runs the search. With `retrieveVectors` every hit gets its `_vectors`
 * object after the document's fields; this engine has no embedders, so it is
 * `{}` (Meilisearch's answer for a document without embeddings), and only
 * when `_vectors` is displayed.
 */
export function searchEntry(entry: IndexEntry, query: SearchQuery, retrieveVectors = false): SearchResult {
  const result = entry.index.search(query, entry.uid);
  // settings() is a deep copy: read it only when the vectors are asked for.
  if (!retrieveVectors) return result;
  const displayed = entry.index.settings().displayedAttributes;
  if (!(displayed.includes('*') || displayed.includes('_vectors'))) return result;
  return { ...result, hits: result.hits.map(withEmptyVectors) };
}

const AFTER_DOCUMENT = ['_geoDistance', '_formatted', '_matchesPosition', '_rankingScore', '_rankingScoreDetails'];

function withEmptyVectors(hit: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(hit)) if (!AFTER_DOCUMENT.includes(k)) out[k] = v;
  if (!('_vectors' in out)) out['_vectors'] = {};
  for (const k of AFTER_DOCUMENT) if (k in hit) out[k] = hit[k];
  return out;
}

/**
 * `performanceDetails` when asked for: the engine times the whole search as
 * one `search` step, formatted like Rust's `{:.2?}` of a Duration.
 */
export function performanceDetails(elapsedMs: number): Record<string, string> {
  const ms = Math.max(0, elapsedMs);
  const text = ms >= 1000 ? `${(ms / 1000).toFixed(2)}s` : ms >= 1 ? `${ms.toFixed(2)}ms` : `${(ms * 1000).toFixed(2)}µs`;
  return { search: text };
}

/** Meilisearch's key order: hits, query, processingTimeMs, pagination, facets, requestUid, [performanceDetails]. */
export function searchAnswer(result: SearchResult, requestUid: string, showPerformanceDetails = false): Record<string, unknown> {
  const out: Record<string, unknown> = { hits: result.hits, query: result.query, processingTimeMs: result.processingTimeMs };
  if (result.hitsPerPage !== undefined) {
    out['hitsPerPage'] = result.hitsPerPage;
    out['page'] = result.page;
    out['totalPages'] = result.totalPages;
    out['totalHits'] = result.totalHits;
  } else {
    out['limit'] = result.limit;
    out['offset'] = result.offset;
    out['estimatedTotalHits'] = result.estimatedTotalHits;
  }
  if (result.facetDistribution !== undefined) out['facetDistribution'] = result.facetDistribution;
  if (result.facetStats !== undefined) out['facetStats'] = result.facetStats;
  out['requestUid'] = requestUid;
  if (showPerformanceDetails) out['performanceDetails'] = performanceDetails(result.processingTimeMs);
  return out;
}
