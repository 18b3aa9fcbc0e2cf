// Re-exports of the merge core (ARCHITECTURE §4.2-4.4).
export { mergeSearch } from './merge-search.ts';
export type { MergeSearchInput, MergeSearchResult, MergedSearchResponse } from './merge-search.ts';
export { mergeDocumentPages, parseDocumentSort } from './merge-documents.ts';
export type { DocumentSortRule, MergeDocumentsInput, MergedDocumentsPage, NodeDocumentsPage } from './merge-documents.ts';
export { facetOrderOf, mergeFacetDistributions, mergeFacetSearch, mergeFacetStats } from './merge-facets.ts';
export type { FacetHit, NodeFacetSearchResponse } from './merge-facets.ts';
export { DEFAULT_DOCUMENTS_LIMIT, nodeRequestBody, planDocuments, planSearch } from './node-query.ts';
export type { DocumentsPlan, DocumentsQuery, SearchBody, SearchPlan } from './node-query.ts';
export { hitsInfo, searchWindow, DEFAULT_SEARCH_LIMIT } from './pagination.ts';
export type { HitsInfo, SearchWindow } from './pagination.ts';
export { HeadKeys } from './score-key.ts';
export type {
  Approximation,
  ClientSearchQuery,
  FacetDistribution,
  FacetOrder,
  FacetStats,
  FacetingSettings,
  Hit,
  NodeSearchResponse,
} from './types.ts';
