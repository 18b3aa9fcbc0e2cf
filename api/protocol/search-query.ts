// A search request after shape validation (API.md §4.1): what
// search-params.ts produces from a POST body or a GET query string, with
// every default filled in. The engine runs it; the edge forwards it to nodes.

export type MatchingStrategy = 'last' | 'all' | 'frequency';

/** A search request after shape validation (types, ranges, unknown fields). */
export interface SearchQuery {
  q: string | null;
  offset: number;
  limit: number;
  page: number | null;
  hitsPerPage: number | null;
  attributesToRetrieve: string[] | null;
  attributesToCrop: string[] | null;
  cropLength: number;
  cropMarker: string;
  attributesToHighlight: string[] | null;
  highlightPreTag: string;
  highlightPostTag: string;
  showMatchesPosition: boolean;
  filter: unknown;
  sort: string[] | null;
  distinct: string | null;
  facets: string[] | null;
  matchingStrategy: MatchingStrategy;
  attributesToSearchOn: string[] | null;
  rankingScoreThreshold: number | null;
  showRankingScore: boolean;
  showRankingScoreDetails: boolean;
  /** Set by multi-search federation: hits are returned unpaginated up to this many. */
  locales: string[] | null;
}
