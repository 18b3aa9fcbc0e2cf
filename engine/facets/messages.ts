// Meilisearch's wording for filter-evaluation and facet errors (milli
// `search/facet/filter.rs` FilterError and BadGeoError, `error.rs`
// FilterOperatorNotAllowed, InvalidFacetsDistribution,
// InvalidFacetSearchFacetName). Callers add the `Index \`uid\`: ` prefix and,
// where Meilisearch has one, the position line.
import { formatF64 } from './normalize.ts';

export function notFilterable(attribute: string, patterns: readonly string[]): string {
  const rest = patterns.length === 0
    ? ' This index does not have configured filterable attributes.'
    : ` Available filterable attribute patterns are: ${patterns.map((p) => `\`${p}\``).join(', ')}.`;
  return `Attribute \`${attribute}\` is not filterable.${rest}`;
}

export function operatorNotAllowed(field: string, allowed: readonly string[], operator: string, ruleIndex: number): string {
  const feature = ['=', '!=', 'IN'].includes(operator)
    ? 'equality'
    : ['<', '>', '<=', '>=', 'TO'].includes(operator) ? 'comparison' : 'the appropriate filter operators';
  return `Filter operator \`${operator}\` is not allowed for the attribute \`${field}\`.\n` +
    `  - Note: allowed operators: ${allowed.join(', ')}.\n` +
    `  - Note: field \`${field}\` matched rule #${ruleIndex} in \`filterableAttributes\`\n` +
    `  - Hint: enable ${feature} in rule #${ruleIndex} by modifying the features.filter object\n` +
    `  - Hint: prepend another rule matching \`${field}\` with appropriate filter features before rule #${ruleIndex}`;
}

export const NON_FINITE_FLOAT = 'Non finite floats are not supported';

export const badLatitude = (lat: number): string =>
  `Bad latitude \`${formatF64(lat)}\`. Latitude must be contained between -90 and 90 degrees.`;

export function badLongitude(lng: number): string {
  const shifted = (lng + 180) % 360;
  const normalized = (shifted < 0 ? shifted + 360 : shifted) - 180;
  return `Bad longitude \`${formatF64(lng)}\`. Longitude must be contained between -180 and 180 degrees. Hint: try using \`${formatF64(normalized)}\` instead.`;
}

export const invalidResolution = (resolution: string): string =>
  `Invalid resolution \`${resolution}\`. Resolution must be between 3 and 1000.`;

export const topBelowBottom = (top: number, bottom: number): string =>
  `The top latitude \`${formatF64(top)}\` is below the bottom latitude \`${formatF64(bottom)}\`.`;

export function invalidFacetsDistribution(field: string, patterns: readonly string[], ruleIndex: number | null): string {
  if (ruleIndex !== null) {
    return `Invalid facet distribution: Attribute \`${field}\` matched rule #${ruleIndex} in filterableAttributes, but this rule does not enable filtering.\n` +
      `Hint: enable filtering in rule #${ruleIndex} by modifying the features.filter object\n` +
      `Hint: prepend another rule matching \`${field}\` with appropriate filter features before rule #${ruleIndex}`;
  }
  const rest = patterns.length === 0
    ? 'This index does not have configured filterable attributes.'
    : `Available filterable attributes patterns are: \`${patterns.join(', ')}\`.`;
  return `Invalid facet distribution: Attribute \`${field}\` is not filterable. ${rest}`;
}

export function notFacetSearchable(field: string, patterns: readonly string[], ruleIndex: number | null): string {
  if (ruleIndex !== null) {
    return `Attribute \`${field}\` is not facet-searchable. Note: this attribute matches rule #${ruleIndex} in filterableAttributes, but this rule does not enable facetSearch.\n` +
      `Hint: enable facetSearch in rule #${ruleIndex} by adding \`"facetSearch": true\` to the rule.\n` +
      `Hint: prepend another rule matching ${field} with facetSearch: true before rule #${ruleIndex}`;
  }
  const rest = patterns.length === 0
    ? 'This index does not have configured facet-searchable attributes. To make it facet-searchable add it to the `filterableAttributes` index settings.'
    : `Available facet-searchable attributes patterns are: \`${patterns.join(', ')}\`. To make it facet-searchable add it to the \`filterableAttributes\` index settings.`;
  return `Attribute \`${field}\` is not facet-searchable. ${rest}`;
}

export const FACET_SEARCH_DISABLED = 'The facet search is disabled for this index';
