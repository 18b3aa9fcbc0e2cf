// The filter error and its two-line Meilisearch format: a diagnostic, then
// `<startCol>:<endCol> <whole filter>` (columns 1-based, in code points, of
// the offending fragment within its line). Parse errors, evaluation errors
// ("Attribute `x` is not filterable") and geo errors all use it.
import { codePointLength, columnOf } from './chars.ts';

/**
 * A filter that Meilisearch would refuse. `message` is the full Meilisearch
 * message with its position line. `code` is set only when Meilisearch answers
 * with a fixed code (`feature_not_enabled` for CONTAINS / STARTS WITH);
 * otherwise the caller picks the route's code (invalid_search_filter,
 * invalid_document_filter).
 */
export class FilterParseError extends Error {
  override readonly name = 'FilterParseError';
  readonly code: 'feature_not_enabled' | null;
  constructor(message: string, code: 'feature_not_enabled' | null = null) {
    super(message);
    this.code = code;
  }
}

/** `diagnostic` followed by the position line for `source[start, end)`. */
export function describeAt(diagnostic: string, source: string, start: number, end: number): string {
  const column = columnOf(source, start);
  const size = codePointLength(source.slice(start, end));
  return `${diagnostic}\n${column}:${column + size} ${source}`;
}
