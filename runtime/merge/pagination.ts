// The result window and the hit counts of a search (API.md §4.3, Meilisearch
// `prepare_search`), applied once on the merged list.
//
// - Page mode (`page` or `hitsPerPage` given): limit = hitsPerPage (default
//   20), offset = (page-1)·hitsPerPage; page 0 selects nothing.
// - Then offset = min(offset, maxTotalHits), limit = min(limit, maxTotalHits - offset):
//   no query reaches past result maxTotalHits.
// - The reported total is min(sum of node totals, maxTotalHits) in both modes;
//   totalPages = ceil(totalHits / hitsPerPage), 0 when hitsPerPage is 0.
// - The echoed offset and limit are the clamped values; page and hitsPerPage
//   are echoed as asked.
import type { ClientSearchQuery } from './types.ts';

export const DEFAULT_SEARCH_LIMIT = 20;

export interface SearchWindow {
  readonly mode: 'offset' | 'page';
  /** Clamped offset into the merged list. */
  readonly offset: number;
  /** Clamped number of hits to return. */
  readonly limit: number;
  readonly page: number;
  readonly hitsPerPage: number;
}

export function searchWindow(query: ClientSearchQuery, maxTotalHits: number): SearchWindow {
  const pageMode = query.page !== undefined || query.hitsPerPage !== undefined;
  const hitsPerPage = query.hitsPerPage ?? DEFAULT_SEARCH_LIMIT;
  const page = query.page ?? 1;
  let offset: number;
  let limit: number;
  if (pageMode) {
    offset = page === 0 ? 0 : (page - 1) * hitsPerPage;
    limit = page === 0 ? 0 : hitsPerPage;
  } else {
    offset = query.offset ?? 0;
    limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
  }
  offset = Math.min(offset, maxTotalHits);
  limit = Math.min(limit, Math.max(0, maxTotalHits - offset));
  return { mode: pageMode ? 'page' : 'offset', offset, limit, page, hitsPerPage };
}

export type HitsInfo =
  | { readonly limit: number; readonly offset: number; readonly estimatedTotalHits: number }
  | { readonly hitsPerPage: number; readonly page: number; readonly totalPages: number; readonly totalHits: number };

/** The pagination keys of the response, in Meilisearch's order, for a summed total. */
export function hitsInfo(window: SearchWindow, totalSum: number, maxTotalHits: number): HitsInfo {
  const total = Math.min(totalSum, maxTotalHits);
  if (window.mode === 'offset') return { limit: window.limit, offset: window.offset, estimatedTotalHits: total };
  const totalPages = window.hitsPerPage === 0 ? 0 : Math.ceil(total / window.hitsPerPage);
  return { hitsPerPage: window.hitsPerPage, page: window.page, totalPages, totalHits: total };
}
