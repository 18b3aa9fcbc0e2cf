// Parses a client's `filter` value, answering syntax errors with
// Meilisearch's message under the route's code (or `feature_not_enabled` for
// CONTAINS / STARTS WITH, which the parser flags itself).
import { MeiliError } from '../../api/errors/registry.ts';
import type { FilterErrorCode, FilterExpr } from '../core/contracts.ts';
import { FilterParseError, parseFilter } from '../../api/protocol/filter/parse.ts';

export function parseClientFilter(input: unknown, code: FilterErrorCode): FilterExpr | null {
  try {
    return parseFilter(input);
  } catch (error) {
    if (error instanceof FilterParseError) throw new MeiliError(error.code ?? code, error.message, { cause: error });
    throw error;
  }
}
