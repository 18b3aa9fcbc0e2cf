// Facet search (milli `search/facet/search.rs`, as API.md §1.3 describes
// it): the string values of one facet-searchable field that start with the
// first word of the query, each with its number of candidate documents.
// Numbers are not searchable. Matching ignores case, compatibility forms and
// accents on both sides. Hits follow the field's `sortFacetValuesBy` and are
// capped at `maxValuesPerFacet`; each shows the original text of its first
// candidate document.
import type { Bitset } from '../core/bitset.ts';
import type { FacetHit } from '../core/contracts.ts';
import { MeiliError } from '../../api/errors/registry.ts';
import { fieldIndex, type FacetData } from './facet-data.ts';
import { FACET_SEARCH_DISABLED, notFacetSearchable } from './messages.ts';
import { compareBytes, matchingFeatures, patternsWhere } from './rules.ts';

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

function firstWord(query: string | null): string {
  return query?.trim().split(/\s+/u)[0] ?? '';
}

/** Meilisearch lists only displayed patterns and notes that others are hidden. */
function visiblePatterns(data: FacetData, patterns: string[]): string[] {
  const displayed = data.settings.displayedAttributes;
  if (displayed.includes('*')) return patterns;
  const visible = patterns.filter((p) => displayed.includes(p));
  return visible.length > 0 && visible.length < patterns.length ? [...visible, '<..hidden-attributes>'] : visible;
}

export function facetSearch(
  data: FacetData, candidates: Bitset, facetName: string, facetQuery: string | null, indexUid: string,
): FacetHit[] {
  const { settings } = data;
  if (!settings.facetSearch) throw new MeiliError('facet_search_disabled', FACET_SEARCH_DISABLED);
  const matched = matchingFeatures(facetName, settings.filterableAttributes);
  if (!matched?.features.facetSearch) {
    const patterns = visiblePatterns(data, patternsWhere(settings.filterableAttributes, (f) => f.facetSearch));
    const message = notFacetSearchable(facetName, patterns, matched?.ruleIndex ?? null);
    throw new MeiliError('invalid_facet_search_facet_name', `Index \`${indexUid}\`: ${message}`);
  }
  if (!data.known.has(facetName)) return [];
  const index = fieldIndex(data, facetName);
  const prefix = fold(firstWord(facetQuery));
  const hits: Array<FacetHit & { key: string }> = [];
  for (const key of index.keys()) {
    if (prefix !== '' && !fold(key).startsWith(prefix)) continue;
    let count = 0;
    let firstId = -1;
    for (const id of index.stringIds(key)) {
      if (!candidates.has(id)) continue;
      if (count === 0) firstId = id;
      count++;
    }
    if (count > 0) hits.push({ key, value: index.originalOf(firstId, key)!, count });
  }
  const order = settings.faceting.sortFacetValuesBy[facetName] ?? settings.faceting.sortFacetValuesBy['*'] ?? 'alpha';
  if (order === 'count') hits.sort((a, b) => b.count - a.count || compareBytes(a.key, b.key));
  return hits.slice(0, settings.faceting.maxValuesPerFacet).map(({ value, count }) => ({ value, count }));
}
