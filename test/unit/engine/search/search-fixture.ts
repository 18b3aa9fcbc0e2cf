// Shared helpers for the search tests: a SearchQuery with Meilisearch's
// defaults, and an index over the movies Meilisearch's own score-details test
// uses (crates/meilisearch/tests/search). Not a test file.
import type { Document, SearchIndex, SearchQuery } from '../../../../engine/core/contracts.ts';
import { defaultSettings } from '../../../../api/protocol/settings/settings.ts';
import type { Settings } from '../../../../api/protocol/settings/settings.ts';
import { createSearchIndex } from '../../../../engine/search/search-index.ts';
import { tinyFacetStore } from './tiny-facet-store.ts';

export function searchQuery(overrides: Partial<SearchQuery> = {}): SearchQuery {
  return {
    q: null, offset: 0, limit: 20, page: null, hitsPerPage: null, attributesToRetrieve: null, attributesToCrop: null,
    cropLength: 10, cropMarker: '…', attributesToHighlight: null, highlightPreTag: '<em>', highlightPostTag: '</em>',
    showMatchesPosition: false, filter: null, sort: null, distinct: null, facets: null, matchingStrategy: 'last',
    attributesToSearchOn: null, rankingScoreThreshold: null, showRankingScore: false, showRankingScoreDetails: false,
    locales: null, ...overrides,
  };
}

export const MOVIES: Document[] = [
  { title: 'Shazam!', id: '287947', color: ['green', 'blue'] },
  { title: 'Captain Marvel', id: '299537', color: ['yellow', 'blue'] },
  { title: 'Escape Room', id: '522681', color: ['yellow', 'red'] },
  { title: 'How to Train Your Dragon: The Hidden World', id: '166428', color: ['green', 'red'] },
  { title: 'Gläss', id: '450465', color: ['blue', 'red'] },
];

export function indexOf(docs: Document[], patch: (s: Settings) => void = () => {}, pk = 'id'): SearchIndex {
  const settings = defaultSettings();
  patch(settings);
  const index = createSearchIndex(settings, () => tinyFacetStore());
  for (const d of docs) index.put(String(d[pk]), d);
  return index;
}

/** One rule's entry of a hit's `_rankingScoreDetails`; throws when absent. */
export function ruleDetail(hit: Document, rule: string): Record<string, unknown> {
  const details = hit._rankingScoreDetails as Record<string, Record<string, unknown>> | undefined;
  const entry = details?.[rule];
  if (!entry) throw new Error(`no ${rule} in ${JSON.stringify(details)}`);
  return entry;
}
