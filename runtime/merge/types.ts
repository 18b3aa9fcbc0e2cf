// Shapes the merge reads and writes: the parts of Meilisearch search,
// facet-search and document-list responses (API.md §4.2, §1.2, §1.3) that the
// merge touches. Anything else a node sends is ignored; anything the client
// sees is built here in Meilisearch's key order.

/** One hit or document as parsed from a node's JSON: document fields plus `_`-prefixed extras. */
export type Hit = Readonly<Record<string, unknown>>;

export type FacetDistribution = Readonly<Record<string, Readonly<Record<string, number>>>>;
export type FacetStats = Readonly<Record<string, { readonly min: number; readonly max: number }>>;

/** A node's answer to the search Miroir sent it (offset 0, limit offset+limit, scores shown). */
export interface NodeSearchResponse {
  readonly hits: readonly Hit[];
  readonly processingTimeMs: number;
  readonly estimatedTotalHits?: number;
  readonly totalHits?: number;
  readonly facetDistribution?: FacetDistribution;
  readonly facetStats?: FacetStats;
  readonly queryVector?: unknown;
}

/** The pagination and scoring parameters of the client's search. */
export interface ClientSearchQuery {
  readonly q?: string | null;
  readonly offset?: number;
  readonly limit?: number;
  readonly page?: number;
  readonly hitsPerPage?: number;
  readonly showRankingScore?: boolean;
  readonly showRankingScoreDetails?: boolean;
  /** Asked facets: the facet keys are answered even when no node could be asked. */
  readonly facets?: readonly string[] | null;
}

export type FacetOrder = 'alpha' | 'count';

/** The index's faceting settings (API.md §1.4), e.g. `{"*": "alpha", "genre": "count"}`. */
export interface FacetingSettings {
  readonly maxValuesPerFacet: number;
  readonly sortFacetValuesBy: Readonly<Record<string, FacetOrder>>;
}

/**
 * Places where the merged answer can differ from one node's, reported so the
 * caller can log or flag them. The response is still the best available.
 * - hidden-sort-values: a sort rule on a non-displayed field (`<hidden-rule-N>`)
 *   gives no value to compare across nodes.
 * - missing-ranking-details: a hit came without `_rankingScoreDetails`; its
 *   `_rankingScore` was used instead.
 * - missing-primary-key: a hit lacks the primary key (not displayed), so ties
 *   between nodes fell back to node order.
 * - multi-valued-distinct: the distinct attribute held several values in a
 *   hit; distinct over arrays is not exact across nodes (distinct.ts).
 * - inconsistent-max-rank: two hits report different max ranks for the same
 *   rule (matchingStrategy `frequency`, or settings that differ between nodes
 *   during a rolling update), so their scores were computed on different scales.
 */
export type Approximation =
  | 'inconsistent-max-rank'
  | 'hidden-sort-values'
  | 'missing-ranking-details'
  | 'missing-primary-key'
  | 'multi-valued-distinct';
