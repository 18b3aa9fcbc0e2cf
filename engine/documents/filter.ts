// Adapts the filter parser (engine/filter/parse.ts) to the engine's error
// model: a FilterParseError becomes a MeiliError under the route's code
// (`invalid_document_filter` here), or `feature_not_enabled` when the
// parser says so.
import { MeiliError } from '../../api/errors/registry.ts';
import type { FilterErrorCode, FilterExpr } from '../core/contracts.ts';
import { FilterParseError, parseFilter } from '../filter/parse.ts';

export function parseFilterOrThrow(filter: unknown, code: FilterErrorCode): FilterExpr | null {
  try {
    return parseFilter(filter);
  } catch (error) {
    if (error instanceof FilterParseError) throw new MeiliError(error.code ?? code, error.message, { cause: error });
    throw error;
  }
}
