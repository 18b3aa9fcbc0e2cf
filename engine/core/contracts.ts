// The seams between the engine's parts, fixed here so each part can be built
// and tested on its own:
//   api/protocol/filter + engine/facets → FacetStore, parseFilter (filters, facets)
//   engine/index + engine/search   → SearchIndex                (text, ranking, search)
//   engine/store, tasks, http      → persistence, task queue and the HTTP API
// The HTTP layer validates request shapes and hands typed queries to a
// SearchIndex; the SearchIndex asks its FacetStore for filter and facet work.
import type { Bitset } from './bitset.ts';
import type { Settings } from '../../api/protocol/settings/settings.ts';

export type { Document } from '../../api/protocol/documents/document.ts';
import type { Document } from '../../api/protocol/documents/document.ts';

/** Internal document id: dense, assigned in insertion order, never reused. */
export type DocId = number;

export type { FilterErrorCode } from '../../api/protocol/filter/parse-or-throw.ts';
import type { FilterErrorCode } from '../../api/protocol/filter/parse-or-throw.ts';

/**
 * The parsed filter expression. Its concrete node types live in
 * api/protocol/filter/ast.ts; other parts treat it as opaque and only pass it back
 * to the FacetStore.
 */
export type { FilterExpr } from '../../api/protocol/filter/ast.ts';
import type { FilterExpr } from '../../api/protocol/filter/ast.ts';

export interface FacetDistributionResult {
  facetDistribution: Record<string, Record<string, number>>;
  facetStats: Record<string, { min: number; max: number }>;
}

export interface FacetHit {
  value: string;
  count: number;
}

/** Filter and facet structures of one index, rebuilt when its settings change. */
export interface FacetStore {
  add(id: DocId, doc: Document): void;
  remove(id: DocId, doc: Document): void;
  /**
   * The ids matching `filter` among `universe`. Throws a MeiliError under
   * `code` (message prefixed `Index \`uid\`: `) when an attribute is not
   * filterable or an operator is not allowed for it.
   */
  evaluate(filter: FilterExpr, universe: Bitset, code: FilterErrorCode, indexUid: string): Bitset;
  /**
   * facetDistribution and facetStats over `candidates` for the requested facet
   * patterns; throws `invalid_search_facets` for a non-filterable pattern.
   */
  distribution(candidates: Bitset, facets: string[], indexUid: string): FacetDistributionResult;
  /** Facet-search hits (value with original casing, count) for one facet. */
  facetSearch(candidates: Bitset, facetName: string, facetQuery: string | null, indexUid: string): FacetHit[];
  /** The normalized facet values (strings) and numbers of `field` in one document, for distinct. */
  values(id: DocId, field: string): { strings: string[]; numbers: number[] };
}

export type FacetStoreFactory = (settings: Settings) => FacetStore;

// The search request shapes are part of the HTTP protocol (api/protocol/).
export type { MatchingStrategy, SearchQuery } from '../../api/protocol/search-query.ts';
import type { MatchingStrategy, SearchQuery } from '../../api/protocol/search-query.ts';

export interface SearchResult {
  hits: Document[];
  query: string;
  processingTimeMs: number;
  limit?: number;
  offset?: number;
  estimatedTotalHits?: number;
  hitsPerPage?: number;
  page?: number;
  totalPages?: number;
  totalHits?: number;
  facetDistribution?: Record<string, Record<string, number>>;
  facetStats?: Record<string, { min: number; max: number }>;
}

export interface DocumentsPage {
  results: Document[];
  total: number;
}

/**
 * One index held in memory: its documents in internal-id order, the inverted
 * index and the facet store. Persistence is not its job: the store replays
 * documents into it on open, in their original insertion order.
 */
export interface SearchIndex {
  settings(): Settings;
  /** Replaces the settings and rebuilds every derived structure. */
  setSettings(settings: Settings): void;
  /** Adds or replaces the whole document under primary-key value `pk`. */
  put(pk: string, doc: Document): void;
  delete(pk: string): boolean;
  get(pk: string): Document | undefined;
  clear(): number;
  count(): number;
  /** Documents in internal-id order, fields in field-id order, optionally filtered. */
  list(opts: { offset: number; limit: number; filter: FilterExpr | null; fields: string[] | null; ids: string[] | null }, indexUid: string): DocumentsPage;
  /** Primary keys of documents matching a filter (delete by filter). */
  matching(filter: FilterExpr, indexUid: string): string[];
  search(query: SearchQuery, indexUid: string): SearchResult;
  facetSearch(req: { facetName: string; facetQuery: string | null; q: string | null; filter: unknown; matchingStrategy: MatchingStrategy; attributesToSearchOn: string[] | null }, indexUid: string): { facetHits: FacetHit[]; facetQuery: string | null; processingTimeMs: number };
  /** Field name → number of documents holding it, sorted by name. */
  fieldDistribution(): Record<string, number>;
  /** Field names in field-id order (first seen first). */
  fieldOrder(): string[];
}
