// The settings of an index the read path needs, read from the settings the
// client set (IndexRecord.settings holds only what was set; Meilisearch's
// defaults fill the rest, API.md §1.4 and §11.4).
import type { IndexRecord } from '../cluster/state.ts';
import type { FacetOrder, FacetingSettings } from '../merge/types.ts';

export const DEFAULT_MAX_TOTAL_HITS = 1000;
export const DEFAULT_MAX_VALUES_PER_FACET = 100;

export function maxTotalHitsOf(index: Readonly<IndexRecord>): number {
  const pagination = objectAt(index.settings, 'pagination');
  const value = pagination?.['maxTotalHits'];
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : DEFAULT_MAX_TOTAL_HITS;
}

export function facetingOf(index: Readonly<IndexRecord>): FacetingSettings {
  const faceting = objectAt(index.settings, 'faceting');
  const max = faceting?.['maxValuesPerFacet'];
  const sortBy = objectAt(faceting ?? {}, 'sortFacetValuesBy');
  const sortFacetValuesBy: Record<string, FacetOrder> = { '*': 'alpha' };
  for (const [key, order] of Object.entries(sortBy ?? {})) {
    if (order === 'alpha' || order === 'count') sortFacetValuesBy[key] = order;
  }
  return {
    maxValuesPerFacet: typeof max === 'number' && Number.isSafeInteger(max) && max >= 0 ? max : DEFAULT_MAX_VALUES_PER_FACET,
    sortFacetValuesBy,
  };
}

/** Meilisearch's default ranking rules (API.md §1.4). */
export const DEFAULT_RANKING_RULES: readonly string[] = ['words', 'typo', 'proximity', 'attributeRank', 'sort', 'wordPosition', 'exactness'];

/** The index's ranking rules; null when the stored value is not a list of strings. */
export function rankingRulesOf(index: Readonly<IndexRecord>): readonly string[] | null {
  const rules = index.settings['rankingRules'];
  if (rules === undefined || rules === null) return DEFAULT_RANKING_RULES;
  return Array.isArray(rules) && rules.every((r) => typeof r === 'string') ? rules : null;
}

/** The search's `distinct` when given, else the index's `distinctAttribute`, else null. */
export function distinctAttributeOf(index: Readonly<IndexRecord>, searchDistinct: unknown): string | null {
  if (typeof searchDistinct === 'string') return searchDistinct;
  const setting = index.settings['distinctAttribute'];
  return typeof setting === 'string' ? setting : null;
}

function objectAt(from: Readonly<Record<string, unknown>>, key: string): Record<string, unknown> | null {
  const value = from[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
