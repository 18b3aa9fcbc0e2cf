// The search merge (ARCHITECTURE §4.3-4.4): per-node answers in, the answer
// one node holding every document would give out.
//
// 1. Every hit gets a ranking key from its `_rankingScoreDetails`
//    (score-key.ts), so hits compare rule by rule in ranking-rule order; or,
//    when the plan found the score enough (node-query.ts rankingBasis), from
//    its `_rankingScore`.
// 2. The node lists are k-way merged (k-way.ts); hits the rules cannot
//    separate are ordered by primary key, then by node position. Each node's
//    own order is kept, so consecutive pages never overlap.
// 3. Distinct is applied across nodes during the merge (distinct.ts).
// 4. The window (offset/limit or page/hitsPerPage, clamped by maxTotalHits) is
//    cut from the merged list, and each returned hit is stripped (strip.ts).
// 5. Totals are summed and capped, facets summed (merge-facets.ts), with
//    the candidates counted by the facet planSearch added (then removed),
//    processingTimeMs is the slowest node's.
//
// Invariant (asserted): the returned page is never longer than the window.
// The response keys follow Meilisearch's order (API.md §4.2); the caller
// provides `requestUid` because minting a UUIDv7 needs the clock.
import { assert } from '../assert.ts';
import { DistinctFilter } from './distinct.ts';
import { kWayMerge } from './k-way.ts';
import { LINEAR_SCAN_CANDIDATES_MAX, mergeFacetDistributions, mergeFacetStats } from './merge-facets.ts';
import { CANDIDATES_FACET } from './node-query.ts';
import { hitsInfo, searchWindow } from './pagination.ts';
import type { HitsInfo, SearchWindow } from './pagination.ts';
import { comparePrimaryKeys } from './primary-key.ts';
import { HeadKeys } from './score-key.ts';
import type { RankingBasis } from './node-query.ts';
import { compileStrip, HitStripper } from './strip.ts';
import type { Approximation, ClientSearchQuery, FacetingSettings, Hit, NodeSearchResponse } from './types.ts';

export interface MergeSearchInput {
  /** The node answers, in covering-set order (that order breaks the last ties). */
  readonly responses: readonly NodeSearchResponse[];
  readonly query: ClientSearchQuery;
  readonly maxTotalHits: number;
  readonly faceting: FacetingSettings;
  readonly primaryKey: string | null;
  /** The search's `distinct`, else the index's `distinctAttribute`, else null. */
  readonly distinctAttribute: string | null;
  /** Fields Miroir added to `attributesToRetrieve` (node-query.ts), removed from the answer. */
  readonly addedFields: readonly string[];
  /** What the plan asked nodes to rank by (SearchPlan.rankedBy); details when absent. */
  readonly rankedBy?: RankingBasis;
  readonly requestUid: string;
}

export type MergedSearchResponse = {
  hits: Record<string, unknown>[];
  query: string;
  queryVector?: unknown;
  processingTimeMs: number;
} & HitsInfo & {
    facetDistribution?: Record<string, Record<string, number>>;
    facetStats?: Record<string, { min: number; max: number }>;
    requestUid: string;
  };

export interface MergeSearchResult {
  readonly response: MergedSearchResponse;
  readonly approximations: readonly Approximation[];
}

export function mergeSearch(input: MergeSearchInput): MergeSearchResult {
  const window = searchWindow(input.query, input.maxTotalHits);
  const lists = input.responses.map((r) => r.hits);
  const ranking = new RankedLists(lists, input.primaryKey, input.rankedBy ?? 'details');
  const distinct = input.distinctAttribute === null ? null : new DistinctFilter(input.distinctAttribute);
  // In page mode the total is distinct-filtered, so the whole fetched lists are
  // walked to count rejections; otherwise the merge stops once the window is full.
  const exhaust = distinct !== null && window.mode === 'page';
  const merged = mergeHits(lists, ranking, window.offset + window.limit, distinct, exhaust);
  const page = merged.slice(window.offset, window.offset + window.limit);
  assert(page.length <= window.limit, 'the page never exceeds the window');
  const strip = new HitStripper(compileStrip({
    keepRankingScore: input.query.showRankingScore === true,
    keepRankingScoreDetails: input.query.showRankingScoreDetails === true,
    addedFields: input.addedFields,
  }));
  const rejected = exhaust ? distinct.rejected : 0;
  return {
    response: buildResponse(input, window, page.map((hit) => strip.stripHit(hit)), rejected),
    approximations: approximationsOf(ranking, distinct),
  };
}

/**
 * The node lists with the ranking key of each list's head (score-key.ts),
 * computed when a hit becomes its list's head and is first compared: a page
 * of 20 out of 1,000 fetched hits only reads the score details of about
 * 20 + k of them.
 */
class RankedLists {
  private readonly keys: HeadKeys;
  /** The position whose key each list's HeadKeys slot holds, -1 before the first. */
  private readonly loaded: number[];
  private missingPrimaryKey = false;

  constructor(
    private readonly lists: readonly (readonly Hit[])[],
    private readonly primaryKey: string | null,
    rankedBy: RankingBasis,
  ) {
    this.keys = new HeadKeys(lists.length, rankedBy);
    this.loaded = lists.map(() => -1);
  }

  compare(la: number, a: number, lb: number, b: number): number {
    if (this.loaded[la] !== a) this.load(la, a);
    if (this.loaded[lb] !== b) this.load(lb, b);
    const c = this.keys.compare(la, lb);
    return c !== 0 ? c : comparePrimaryKeys(this.pkAt(la, a), this.pkAt(lb, b));
  }

  approximations(): Set<Approximation> {
    const all = new Set(this.keys.approximations);
    if (this.missingPrimaryKey) all.add('missing-primary-key');
    return all;
  }

  private load(list: number, at: number): void {
    this.keys.load(list, this.lists[list]![at]!);
    this.loaded[list] = at;
  }

  private pkAt(list: number, at: number): unknown {
    const pk = this.primaryKey === null ? undefined : this.lists[list]![at]![this.primaryKey];
    if (pk === undefined) this.missingPrimaryKey = true;
    return pk;
  }
}

function approximationsOf(ranking: RankedLists, distinct: DistinctFilter | null): Approximation[] {
  const all = ranking.approximations();
  if (distinct?.sawMultipleValues) all.add('multi-valued-distinct');
  return [...all].sort();
}

function mergeHits(
  lists: readonly (readonly Hit[])[],
  ranking: RankedLists,
  wanted: number,
  distinct: DistinctFilter | null,
  exhaust: boolean,
): Hit[] {
  const merged: Hit[] = [];
  if (wanted === 0 && !exhaust) return merged;
  kWayMerge(
    lists.map((l) => l.length),
    (la, a, lb, b) => ranking.compare(la, a, lb, b),
    (list, at) => {
      const hit = lists[list]![at]!;
      if ((distinct === null || distinct.accept(hit)) && merged.length < wanted) merged.push(hit);
      return exhaust || merged.length < wanted;
    },
  );
  return merged;
}

function buildResponse(
  input: MergeSearchInput,
  window: SearchWindow,
  hits: Record<string, unknown>[],
  distinctRejected: number,
): MergedSearchResponse {
  const { responses } = input;
  let processingTimeMs = 0;
  let total = 0;
  for (const r of responses) {
    processingTimeMs = Math.max(processingTimeMs, r.processingTimeMs);
    total += (window.mode === 'page' ? r.totalHits : r.estimatedTotalHits) ?? 0;
  }
  const response = { hits, query: input.query.q ?? '' } as MergedSearchResponse;
  const queryVector = responses.find((r) => r.queryVector !== undefined)?.queryVector;
  if (queryVector !== undefined) response.queryVector = queryVector;
  response.processingTimeMs = processingTimeMs;
  Object.assign(response, hitsInfo(window, Math.max(0, total - distinctRejected), input.maxTotalHits));
  // With every shard unavailable no node answered; the asked facets still get their keys.
  const facetsAsked = responses.length === 0 && (input.query.facets?.length ?? 0) > 0;
  if (facetsAsked || responses.some((r) => r.facetDistribution !== undefined)) {
    const candidates = candidatesOf(responses, input.faceting.maxValuesPerFacet);
    response.facetDistribution = mergeFacetDistributions(
      responses.map((r) => withoutCandidatesFacet(r.facetDistribution)),
      input.faceting,
      { requested: input.query.facets ?? [], candidates },
    );
  }
  if (facetsAsked || responses.some((r) => r.facetStats !== undefined)) {
    response.facetStats = mergeFacetStats(responses.map((r) => withoutCandidatesFacet(r.facetStats)));
  }
  response.requestUid = input.requestUid;
  return response;
}

/**
 * The search's candidates over every node, from the counts of
 * CANDIDATES_FACET (a node without documents, or a shard no node answered
 * for, counts none); null when a node's list of them may have been cut at
 * maxValuesPerFacet and the lower bound does not settle the threshold.
 */
function candidatesOf(responses: readonly NodeSearchResponse[], maxValuesPerFacet: number): number | null {
  let sum = 0;
  let cut = false;
  for (const r of responses) {
    const counts = r.facetDistribution?.[CANDIDATES_FACET];
    if (counts === undefined) continue;
    const values = Object.values(counts);
    if (values.length >= maxValuesPerFacet) cut = true;
    for (const n of values) sum += n;
  }
  return cut && sum <= LINEAR_SCAN_CANDIDATES_MAX ? null : sum;
}

function withoutCandidatesFacet<T>(map: Readonly<Record<string, T>> | undefined): Readonly<Record<string, T>> | undefined {
  if (map === undefined || !Object.hasOwn(map, CANDIDATES_FACET)) return map;
  const { [CANDIDATES_FACET]: _counted, ...rest } = map;
  return rest;
}
