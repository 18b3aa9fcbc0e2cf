// One search request against one index, end to end: validate the parameters
// that depend on settings, filter, plan the keyword search (or a placeholder
// search), bucket-sort just enough documents for the requested window
// (skipping duplicates of `distinct` and scores under
// `rankingScoreThreshold`), then paginate, format hits and add facets, with
// the response keys in Meilisearch's order.
import type { Bitset } from '../core/bitset.ts';
import type { Document, FacetStore, SearchQuery, SearchResult } from '../core/contracts.ts';
import type { Settings } from '../../api/protocol/settings/settings.ts';
import type { InvertedIndex } from '../index/inverted-index.ts';
import { bucketSort, resultsOf } from '../ranking/bucket-sort.ts';
import type { StepResult } from '../ranking/details.ts';
import { rankingScore, scoreDetails } from '../ranking/details.ts';
import type { Ranker } from '../ranking/doc-ranker.ts';
import type { Step } from '../ranking/rule-list.ts';
import { buildSteps } from '../ranking/rule-list.ts';
import type { DocumentStore } from './document-store.ts';
import { formatHit, type HitExtras } from './format-hit.ts';
import type { MatchWords } from './highlight.ts';
import type { KeywordContext, KeywordPlan } from './keyword-search.ts';
import { planKeywordSearch } from './keyword-search.ts';
import { pageWindow, totalPages } from './pagination.ts';
import { PlaceholderRanker } from './placeholder-ranker.ts';
import { parseClientFilter } from './client-filter.ts';
import { checkDistinct, checkSearchOn, parseSort } from './validate.ts';

export interface SearchRuntime {
  settings: Settings;
  store: DocumentStore;
  words: InvertedIndex;
  facets: FacetStore;
  universe: Bitset;
  keyword: KeywordContext;
}

interface RankedHit {
  doc: number;
  results: StepResult[];
  score: number;
}

export function runSearch(rt: SearchRuntime, query: SearchQuery, indexUid: string): SearchResult {
  const started = performance.now();
  const { settings } = rt;
  const sort = parseSort(query.sort, settings, indexUid);
  if (query.distinct !== null) checkDistinct(query.distinct, settings, indexUid);
  checkSearchOn(query.attributesToSearchOn, settings, indexUid);
  const distinctField = query.distinct ?? settings.distinctAttribute;
  let universe = rt.universe;
  const filter = parseClientFilter(query.filter, 'invalid_search_filter');
  if (filter) universe = rt.facets.evaluate(filter, universe, 'invalid_search_filter', indexUid);

  const q = query.q ?? '';
  const planned = q.trim() === '' ? null : planKeywordSearch(rt.keyword, q, query.matchingStrategy, query.attributesToSearchOn, universe);
  const keyword = planned && 'candidates' in planned ? planned : null;
  const candidates = keyword ? keyword.candidates : planned && 'excluded' in planned ? universe.clone().subtract(planned.excluded) : universe;
  const steps = buildSteps(settings.rankingRules, sort, query.matchingStrategy, keyword === null);
  const ranker: Ranker = keyword ? keyword.ranker : new PlaceholderRanker((id) => rt.store.get(id)!);

  const window = pageWindow(query, settings.pagination.maxTotalHits);
  const hits = collect(rt, ranker, steps, candidates, window.offset + window.limit, distinctField, query.rankingScoreThreshold);
  const page = hits.slice(window.offset, window.offset + window.limit);
  const words = keyword ? matchWords(keyword, rt.words) : { full: new Set<string>(), prefixes: [], ids: new Map<string, number>() };
  const hidden = (field: string) => !settings.displayedAttributes.includes('*') && !settings.displayedAttributes.includes(field);
  const wantDetails = query.showRankingScoreDetails;
  const geoPoint = sort?.find((c) => c.point !== undefined)?.point;
  const formatted = page.map((h) => formatOne(rt, query, h, words, wantDetails ? scoreDetails(h.results, hidden) : undefined, geoPoint));

  const result: SearchResult = { hits: formatted, query: q, processingTimeMs: 0 };
  const maxTotal = settings.pagination.maxTotalHits;
  // In page mode the total and the facets are exhaustive, so they see distinct applied (in id order).
  const counted = window.finite && distinctField !== null ? distinctCandidates(rt, candidates, distinctField) : candidates;
  if (window.finite) {
    const totalHits = Math.min(counted.size, maxTotal);
    Object.assign(result, { hitsPerPage: window.hitsPerPage, page: window.page, totalPages: totalPages(totalHits, window.hitsPerPage), totalHits });
  } else {
    Object.assign(result, { limit: window.limit, offset: window.offset, estimatedTotalHits: Math.min(candidates.size, maxTotal) });
  }
  if (query.facets !== null) {
    const { facetDistribution, facetStats } = rt.facets.distribution(counted, query.facets, indexUid);
    result.facetDistribution = facetDistribution;
    result.facetStats = facetStats;
  }
  result.processingTimeMs = Math.round(performance.now() - started);
  return result;
}

function collect(rt: SearchRuntime, ranker: Ranker, steps: Step[], candidates: Bitset, needed: number, distinctField: string | null, threshold: number | null): RankedHit[] {
  const hits: RankedHit[] = [];
  const seen = new Set<string>();
  const sink = {
    full: () => hits.length >= needed,
    offer: (doc: number) => {
      const results = resultsOf(ranker, steps, doc);
      const score = rankingScore(results);
      if (threshold !== null && score < threshold) return;
      if (distinctField !== null && !firstOfItsValue(rt, doc, distinctField, seen)) return;
      hits.push({ doc, results, score });
    },
  };
  if (needed > 0) bucketSort(ranker, steps, candidates, sink);
  return hits;
}

/** Distinct: keeps a document unless one of its values was already kept; documents without the field are all kept. */
function firstOfItsValue(rt: SearchRuntime, doc: number, field: string, seen: Set<string>): boolean {
  const { strings, numbers } = rt.facets.values(doc, field);
  const keys = [...strings.map((s) => `s:${s}`), ...numbers.map((n) => `n:${n}`)];
  if (keys.some((k) => seen.has(k))) return false;
  for (const k of keys) seen.add(k);
  return true;
}

function distinctCandidates(rt: SearchRuntime, candidates: Bitset, field: string): Bitset {
  const seen = new Set<string>();
  const kept = candidates.clone();
  for (const doc of candidates) if (!firstOfItsValue(rt, doc, field, seen)) kept.delete(doc);
  return kept;
}

function matchWords(plan: KeywordPlan, index: InvertedIndex): MatchWords {
  const full = new Set<string>();
  const prefixes: string[] = [];
  const ids = new Map<string, number>();
  const note = (word: string, term: number) => {
    if (!ids.has(word)) ids.set(word, term);
  };
  for (const r of plan.matcher.resolved) {
    if (r.node.isPrefix && r.node.kind === 'word' && !r.node.isNgram) {
      prefixes.push(r.node.word);
      note(r.node.word, r.node.termStart);
    }
    r.words.forEach((map, level) => {
      for (const id of map.keys()) {
        const word = index.word(id);
        // Prefix completions are highlighted on their prefix only.
        if (level === 0 && r.node.isPrefix && word !== r.node.word && word.startsWith(r.node.word)) continue;
        full.add(word);
        note(word, r.node.termStart);
      }
    });
    for (const phrases of r.phrases) {
      for (const p of phrases) {
        for (const id of p) {
          if (id === null) continue;
          full.add(index.word(id));
          note(index.word(id), r.node.termStart);
        }
      }
    }
  }
  return { full, prefixes, ids };
}

function formatOne(
  rt: SearchRuntime, query: SearchQuery, h: RankedHit, words: MatchWords, details: Record<string, unknown> | undefined, geoPoint: [number, number] | undefined,
): Document {
  const doc = rt.store.get(h.doc)!;
  const extras: HitExtras = {};
  if (geoPoint) extras.geoPoint = geoPoint;
  if (query.showRankingScore) extras.score = h.score;
  if (details !== undefined) extras.details = details;
  return formatHit(
    doc,
    {
      displayed: rt.settings.displayedAttributes,
      retrieve: query.attributesToRetrieve === null || query.attributesToRetrieve.includes('*') ? null : query.attributesToRetrieve,
      highlight: expandStar(query.attributesToHighlight, rt.settings.displayedAttributes),
      crop: query.attributesToCrop,
      cropLength: query.cropLength,
      cropMarker: query.cropMarker,
      pre: query.highlightPreTag,
      post: query.highlightPostTag,
      showMatchesPosition: query.showMatchesPosition,
    },
    (f) => rt.store.fieldRank(f),
    words,
    rt.words.tokenizer,
    extras,
  );
}

function expandStar(list: string[] | null, displayed: readonly string[]): string[] | null {
  if (list === null) return null;
  return list.includes('*') ? [...displayed] : list;
}
