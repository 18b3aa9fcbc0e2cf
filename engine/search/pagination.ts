// Pagination arithmetic of Meilisearch's prepare_search (API.md §4.3).
// Finite mode (page or hitsPerPage given): limit = hitsPerPage, offset =
// (page − 1) · hitsPerPage. Then, in both modes, offset is clamped to
// maxTotalHits and limit to what is left below it; the reported total is
// min(candidates, maxTotalHits). Pure.

export interface PageRequest {
  offset: number;
  limit: number;
  page: number | null;
  hitsPerPage: number | null;
}

export interface PageWindow {
  finite: boolean;
  offset: number;
  limit: number;
  page: number;
  hitsPerPage: number;
}

export const DEFAULT_HITS_PER_PAGE = 20;

export function pageWindow(req: PageRequest, maxTotalHits: number): PageWindow {
  const finite = req.page !== null || req.hitsPerPage !== null;
  const hitsPerPage = req.hitsPerPage ?? DEFAULT_HITS_PER_PAGE;
  const page = req.page ?? 1;
  let offset = req.offset;
  let limit = req.limit;
  if (finite) {
    limit = page === 0 ? 0 : hitsPerPage;
    offset = page === 0 ? 0 : (page - 1) * hitsPerPage;
  }
  offset = Math.min(offset, maxTotalHits);
  limit = Math.min(limit, maxTotalHits - offset);
  return { finite, offset, limit, page, hitsPerPage };
}

export function totalPages(totalHits: number, hitsPerPage: number): number {
  return hitsPerPage === 0 ? 0 : Math.ceil(totalHits / hitsPerPage);
}
