// Meilisearch's wording for each parse failure (filter-parser `error.rs`),
// quoting the failure's context fragment with Rust's `escape_debug`.
import { escapeDebug, isBlank } from './chars.ts';
import { describeAt } from './errors.ts';
import type { Fail } from './nom.ts';
import { unreachable } from '../../../runtime/assert.ts';

const OPERATIONS =
  'Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, ' +
  '`IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `CONTAINS`, `NOT CONTAINS`, `STARTS WITH`, ' +
  '`NOT STARTS WITH`, `_geoRadius`, or `_geoBoundingBox`';

const GEO_RULES =
  'Use the `_geoRadius(latitude, longitude, distance)` or `_geoBoundingBox([latitude, longitude], ' +
  '[latitude, longitude])` built-in rules to filter on `_geo` coordinates.';

function diagnostic(fail: Fail, fragment: string): string {
  const quoted = escapeDebug(fragment);
  switch (fail.kind) {
    case 'ExpectedValueKeyword':
    case 'ExpectedValueOther':
      if (isBlank(fragment)) return 'Was expecting a value but instead got nothing.';
      return fail.kind === 'ExpectedValueOther'
        ? `Was expecting a value but instead got \`${quoted}\`.`
        : `Was expecting a value but instead got \`${quoted}\`, which is a reserved keyword. To use \`${quoted}\` as a field name or a value, surround it by quotes.`;
    case 'MalformedValue': return `Malformed value: \`${quoted}\`.`;
    case 'MissingClosingDelimiter':
      return `Expression \`${quoted}\` is missing the following closing delimiter: \`${fail.detail}\`.`;
    case 'InvalidPrimary':
      return `${OPERATIONS} ${isBlank(fragment) ? 'but instead got nothing.' : `at \`${quoted}\`.`}`;
    case 'InvalidEscapedNumber': return `Found an invalid escaped sequence number: \`${quoted}\`.`;
    case 'ExpectedEof':
      return `Found unexpected characters at the end of the filter: \`${quoted}\`. You probably forgot an \`OR\` or an \`AND\` rule.`;
    case 'GeoRadius':
      return 'The `_geoRadius` filter expects three arguments: `_geoRadius(latitude, longitude, radius)`.';
    case 'GeoBoundingBox':
      return 'The `_geoBoundingBox` filter expects two pairs of arguments: `_geoBoundingBox([latitude, longitude], [latitude, longitude])`.';
    case 'ReservedGeo':
      return `\`${escapeDebug(fail.detail)}\` is a reserved keyword and thus can't be used as a filter expression. ${GEO_RULES}`;
    case 'MisusedGeoRadius': return "The `_geoRadius` filter is an operation and can't be used as a value.";
    case 'MisusedGeoBoundingBox': return "The `_geoBoundingBox` filter is an operation and can't be used as a value.";
    case 'ReservedKeyword':
      return `\`${fail.detail}\` is a reserved keyword and thus cannot be used as a field name unless it is put inside quotes. Use "${fail.detail}" or '${fail.detail}' instead.`;
    case 'InOpeningBracket': return 'Expected `[` after `IN` keyword.';
    case 'InClosingBracket': return 'Expected matching `]` after the list of field names given to `IN[`';
    case 'InExpectedValueKeyword':
      return `Expected only comma-separated field names inside \`IN[..]\` but instead found \`${quoted}\`, which is a keyword. To use \`${quoted}\` as a field name or a value, surround it by quotes.`;
    case 'InExpectedValueOther':
      return `Expected only comma-separated field names inside \`IN[..]\` but instead found \`${quoted}\`.`;
    case 'DepthLimitReached':
      return 'The filter exceeded the maximum depth limit. Try rewriting the filter so that it contains fewer nested conditions.';
    case 'Char':
    case 'Internal':
      return `Encountered an internal \`${fail.detail || 'Char'}\` error while parsing your filter. Please fill an issue`;
    default:
      return unreachable(fail.kind);
  }
}

/** The full two-line message for a failed parse of `src`. */
export function failureMessage(src: string, fail: Fail): string {
  return describeAt(diagnostic(fail, src.slice(fail.start, fail.end)), src, fail.start, fail.end);
}
