// Adapts the filter parser (parse.ts) to Meilisearch's error model: a
// FilterParseError becomes a MeiliError under the route's code
// (`invalid_document_filter` for deletions, `invalid_search_filter` for
// searches), or `feature_not_enabled` when the parser says so. The engine
// parses filters with it; the edge checks the syntax of a delete-by-filter
// with it before anything enters the log.
import { MeiliError } from '../../errors/registry.ts';
import type { FilterExpr } from './ast.ts';
import { FilterParseError, parseFilter } from './parse.ts';

/** Which error code a filter problem is reported under, by route. */
export type FilterErrorCode = 'invalid_search_filter' | 'invalid_document_filter';

export function parseFilterOrThrow(filter: unknown, code: FilterErrorCode): FilterExpr | null {
  try {
    return parseFilter(filter);
  } catch (error) {
    if (error instanceof FilterParseError) throw new MeiliError(error.code ?? code, error.message, { cause: error });
    throw error;
  }
}
