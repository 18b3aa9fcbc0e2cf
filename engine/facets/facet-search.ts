// Facet search (milli `search/facet/search.rs`): the string values of one
// facet-searchable field matching the query, each with its number of
// candidate documents; numbers are not searchable.
// - Values and query are compared in a search form (compatibility
//   decomposition, accents dropped, lower case), as charabia's lossy
//   normalizer does; the query is a prefix, with the index's typo budget
//   (0 / 1 / 2 typos from `minWordSizeForTypos`) unless typos are disabled,
//   the field is in `disableOnAttributes`, or the query is in
//   `disableOnWords` (then only that exact value).
// - Values come in search-form order; `alpha` keeps the first
//   `maxValuesPerFacet`, `count` keeps the best counts (ties: later values
//   replace earlier ones, output by count then value, both descending).
// - Each hit shows the original text of the first document holding it.
import type { Bitset } from '../core/bitset.ts';
import type { FacetHit } from '../core/contracts.ts';
import { MeiliError } from '../../api/errors/registry.ts';
import { fieldIndex, type FacetData } from './facet-data.ts';
import type { FieldIndex } from './field-index.ts';
import { FACET_SEARCH_DISABLED, notFacetSearchable } from './messages.ts';
import { compareBytes, matchingFeatures, patternsWhere } from './rules.ts';
import { prefixWithin } from './typo-match.ts';

function searchForm(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Meilisearch lists only displayed patterns and notes that others are hidden. */
function visiblePatterns(data: FacetData, patterns: string[]): string[] {
  const displayed = data.settings.displayedAttributes;
  if (displayed.includes('*')) return patterns;
  const visible = patterns.filter((p) => displayed.includes(p));
  return visible.length > 0 && visible.length < patterns.length ? [...visible, '<..hidden-attributes>'] : visible;
}

function checkFacetName(data: FacetData, facetName: string, indexUid: string): void {
  const { settings } = data;
  if (!settings.facetSearch) throw new MeiliError('facet_search_disabled', FACET_SEARCH_DISABLED);
  const matched = matchingFeatures(facetName, settings.filterableAttributes);
  if (matched?.features.facetSearch) return;
  const patterns = visiblePatterns(data, patternsWhere(settings.filterableAttributes, (f) => f.facetSearch));
  const message = notFacetSearchable(facetName, patterns, matched?.ruleIndex ?? null);
  throw new MeiliError('invalid_facet_search_facet_name', `Index \`${indexUid}\`: ${message}`);
}

/**
 * Keys with their search forms, in search-form order. Memoized on the key
 * list itself: FieldIndex returns the same array until its values change.
 */
const formsCache = new WeakMap<readonly string[], Array<{ key: string; form: string }>>();

function searchForms(keys: readonly string[]): Array<{ key: string; form: string }> {
  let forms = formsCache.get(keys);
  if (!forms) {
    forms = keys.map((key) => ({ key, form: searchForm(key) }));
    forms.sort((a, b) => compareBytes(a.form, b.form) || compareBytes(a.key, b.key));
    formsCache.set(keys, forms);
  }
  return forms;
}

/** The facet keys whose search form the query selects, in search-form order. */
function matchingKeys(data: FacetData, facetName: string, index: FieldIndex, facetQuery: string): string[] {
  const query = searchForm(facetQuery);
  const { typoTolerance } = data.settings;
  const exactWord = typoTolerance.disableOnWords.some((w) => searchForm(w) === query);
  const typosAllowed = typoTolerance.enabled && !typoTolerance.disableOnAttributes.includes(facetName);
  const bytes = Buffer.byteLength(query);
  const { oneTypo, twoTypos } = typoTolerance.minWordSizeForTypos;
  const budget = bytes < oneTypo ? 0 : bytes < twoTypos ? 1 : 2;
  const queryChars = [...query];
  return searchForms(index.keys())
    .filter(({ form }) => {
      if (typosAllowed && exactWord) return form === query;
      if (!typosAllowed || budget === 0) return form.startsWith(query);
      return prefixWithin(queryChars, [...form], budget);
    })
    .map(({ key }) => key);
}

/** `count` order keeps the best hits in a bounded min-heap, as Meilisearch's ValuesCollection. */
function bestByCount(hits: FacetHit[], max: number): FacetHit[] {
  const byCountThenValue = (a: FacetHit, b: FacetHit) => a.count - b.count || compareBytes(a.value, b.value);
  const kept: FacetHit[] = [];
  for (const hit of hits) {
    if (kept.length < max) {
      kept.push(hit);
      continue;
    }
    if (max === 0) break;
    let worst = 0;
    for (let i = 1; i < kept.length; i++) if (byCountThenValue(kept[i]!, kept[worst]!) < 0) worst = i;
    if (kept[worst]!.count <= hit.count) kept[worst] = hit;
  }
  return kept.sort((a, b) => byCountThenValue(b, a));
}

export function facetSearch(
  data: FacetData, candidates: Bitset, facetName: string, facetQuery: string | null, indexUid: string,
): FacetHit[] {
  checkFacetName(data, facetName, indexUid);
  if (!data.known.has(facetName)) return [];
  const index = fieldIndex(data, facetName);
  const keys = facetQuery === null ? index.keys() : matchingKeys(data, facetName, index, facetQuery);
  const hits: FacetHit[] = [];
  for (const key of keys) {
    const ids = index.stringIds(key);
    let count = 0;
    for (const id of ids) if (candidates.has(id)) count++;
    if (count > 0) hits.push({ value: index.originalOf(ids[0]!, key)!, count });
  }
  const { maxValuesPerFacet, sortFacetValuesBy } = data.settings.faceting;
  const order = sortFacetValuesBy[facetName] ?? sortFacetValuesBy['*'] ?? 'alpha';
  return order === 'count' ? bestByCount(hits, maxValuesPerFacet) : hits.slice(0, maxValuesPerFacet);
}
