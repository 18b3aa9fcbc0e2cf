// What Miroir sends each node for one client search (ARCHITECTURE §4.2) or
// document listing, and what it must remember to undo in the merge:
// - the window becomes offset 0, limit offset+limit (page mode: page 1,
//   hitsPerPage offset+limit, so the node still counts totalHits exactly),
//   after the maxTotalHits clamps of API.md §4.3, so every hit that can reach
//   the client's page comes back from the node that holds it;
// - `showRankingScore` is turned on, and `showRankingScoreDetails` too unless
//   the score alone orders hits as the rules do (rankingBasis below): the
//   details double the size of a node's answer, which the node serializes and
//   the peer parses on every search;
// - the primary key (final tiebreak) and the distinct attribute are added to
//   an explicit `attributesToRetrieve` that lacks them, and listed in
//   `addedFields` so the merge strips them again;
// - the shard restriction is ANDed with the client's filter (shard-filter.ts);
// - a search asking for facets also asks for CANDIDATES_FACET: every document
//   carries exactly one `_miroir_shard` value, so its counts sum to the node's
//   candidates, which decide how one node would order the facet values
//   (merge-facets.ts). The client's own mention of the name was renamed
//   before (reserved-names.ts), so the merge takes it out again.
import { withShardRestriction } from '../routing/shard-filter.ts';
import type { FilterParam } from '../routing/shard-filter.ts';
import { searchWindow } from './pagination.ts';
import type { ClientSearchQuery } from './types.ts';

/** The facet whose counts sum to a node's candidates; filterable on every node. */
export const CANDIDATES_FACET = '_miroir_shard';

/** Meilisearch's default `limit` for document lists (API.md §1.2). */
export const DEFAULT_DOCUMENTS_LIMIT = 20;

export type SearchBody = Readonly<Record<string, unknown>> & ClientSearchQuery;

export interface SearchPlan {
  /** The node search body before the per-node shard restriction. */
  readonly nodeBody: Record<string, unknown>;
  /** Fields to strip from hits again (MergeSearchInput.addedFields). */
  readonly addedFields: readonly string[];
  /** What the merge compares hits of different nodes by (MergeSearchInput.rankedBy). */
  readonly rankedBy: RankingBasis;
}

/**
 * What the merge orders hits by (score-key.ts):
 * - `score`: `_rankingScore` alone. It is milli's fold of the ranks of the
 *   scored rules, in rule order, into one mixed-radix fraction (API.md §5.1),
 *   so for hits whose rules share their max ranks, comparing scores is
 *   comparing the ranks rule by rule: a score lies in ((r₁−1)/m₁, r₁/m₁], so
 *   the first rule decides unless equal, then the next. The max ranks come
 *   from the query and the settings alone (API.md §5.3), the same on every
 *   node, and their product stays far below 2^52 (ten terms at most), so two
 *   different folds are different doubles and equal folds mean equal ranks.
 * - `details`: `_rankingScoreDetails`, rule by rule. Needed whenever a sort
 *   takes part in the order (the `sort` parameter, a custom `field:asc|desc`
 *   rule: sorts are left out of the score), for vector and hybrid searches
 *   (the similarity replaces the score), under matchingStrategy `frequency`
 *   (the words rule's max rank then comes from each node's frequencies), and
 *   when the client asked for the details anyway.
 */
export type RankingBasis = 'score' | 'details';

export function rankingBasis(body: SearchBody, rankingRules: readonly string[] | null): RankingBasis {
  const sort = body['sort'];
  const sorted = (Array.isArray(sort) && sort.length > 0) || typeof sort === 'string';
  const customRule = rankingRules === null || rankingRules.some((rule) => /:(asc|desc)$/.test(rule));
  const vector = body['vector'] != null || body['hybrid'] != null;
  const details = body.showRankingScoreDetails === true || body['matchingStrategy'] === 'frequency';
  const long = typeof body.q === 'string' && termCountBound(body.q) > SCORE_TERMS_MAX;
  return sorted || customRule || vector || details || long ? 'details' : 'score';
}

/**
 * Beyond this many query terms the product of the max ranks could approach
 * 2^52 (with 24 terms and 1,000 searchable attributes it stays below 10^14),
 * so longer queries are merged on the details.
 */
const SCORE_TERMS_MAX = 24;

/**
 * An upper bound on the terms the node's tokenizer makes of `q`: every run of
 * letters and every run of digits is one term, and every character of a
 * script written without spaces (CJK, Thai…) may be a term of its own.
 */
export function termCountBound(q: string): number {
  let terms = 0;
  for (const run of q.match(/\p{L}+|\p{N}+/gu) ?? []) {
    terms += /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{N}]+$/u.test(run) ? 1 : [...run].length;
  }
  return terms;
}

export function planSearch(
  body: SearchBody,
  options: {
    readonly maxTotalHits: number;
    readonly primaryKey: string | null;
    readonly distinctAttribute: string | null;
    /** The index's ranking rules; null when unknown (then the merge reads the details). */
    readonly rankingRules?: readonly string[] | null;
  },
): SearchPlan {
  const window = searchWindow(body, options.maxTotalHits);
  // Page mode with distinct: totalHits counts distinct values, and a value
  // held by several nodes is found twice only among the hits fetched. Asking
  // each node for maxTotalHits hits makes the count exact: a node with fewer
  // sends its whole list, one with more makes the capped total maxTotalHits.
  const exactDistinctTotal = window.mode === 'page' && options.distinctAttribute !== null;
  const fetch = exactDistinctTotal ? Math.max(window.offset + window.limit, options.maxTotalHits) : window.offset + window.limit;
  const { offset: _o, limit: _l, page: _p, hitsPerPage: _h, ...rest } = body;
  const rankedBy = rankingBasis(body, options.rankingRules ?? null);
  const nodeBody: Record<string, unknown> = { ...rest, showRankingScore: true, showRankingScoreDetails: rankedBy === 'details' };
  if (window.mode === 'page') Object.assign(nodeBody, { page: 1, hitsPerPage: fetch });
  else Object.assign(nodeBody, { offset: 0, limit: fetch });
  const facets = body['facets'];
  if (Array.isArray(facets) && facets.length > 0) nodeBody['facets'] = [...facets, CANDIDATES_FACET];
  const wanted = [options.primaryKey, options.distinctAttribute].filter((f): f is string => f !== null);
  const addedFields = missingFields(body['attributesToRetrieve'], wanted);
  if (addedFields.length > 0) {
    nodeBody['attributesToRetrieve'] = [...(body['attributesToRetrieve'] as string[]), ...addedFields];
  }
  return { nodeBody, addedFields, rankedBy };
}

/** The body for one node (search or document fetch): the plan's body with the shard restriction, if any. */
export function nodeRequestBody(
  plan: { readonly nodeBody: Record<string, unknown> },
  restrictToShards: readonly number[] | null,
): Record<string, unknown> {
  if (restrictToShards === null) return plan.nodeBody;
  const filter = plan.nodeBody['filter'] as FilterParam | null | undefined;
  return { ...plan.nodeBody, filter: withShardRestriction(filter, restrictToShards) };
}

/** The client's document-list request, GET query strings already split into arrays. */
export interface DocumentsQuery {
  readonly offset?: number;
  readonly limit?: number;
  readonly fields?: readonly string[];
  readonly sort?: readonly string[];
  readonly filter?: FilterParam;
  readonly ids?: ReadonlyArray<string | number>;
  readonly retrieveVectors?: boolean;
}

export interface DocumentsPlan {
  /** The POST /documents/fetch body for every node, before the shard restriction. */
  readonly nodeBody: Record<string, unknown>;
  /** Fields to strip again (MergeDocumentsInput.addedFields). */
  readonly addedFields: readonly string[];
  readonly offset: number;
  readonly limit: number;
}

/**
 * GET /documents and POST /documents/fetch: each node is asked for offset 0,
 * limit offset+limit, with the primary key and the sort fields added to an
 * explicit `fields` list. With `sortByPrimaryKey` and no client sort, nodes
 * sort by the primary key (it must be sortable on the nodes), so the merged
 * listing is in global key order; without it the merge interleaves node orders.
 */
export function planDocuments(
  query: DocumentsQuery,
  options: { readonly primaryKey: string | null; readonly sortByPrimaryKey: boolean },
): DocumentsPlan {
  const offset = query.offset ?? 0;
  const limit = query.limit ?? DEFAULT_DOCUMENTS_LIMIT;
  const { offset: _o, limit: _l, ...rest } = query;
  const nodeBody: Record<string, unknown> = { ...rest, offset: 0, limit: offset + limit };
  const { primaryKey } = options;
  if ((query.sort ?? []).length === 0 && options.sortByPrimaryKey && primaryKey !== null) {
    nodeBody['sort'] = [`${primaryKey}:asc`];
  }
  const sortFields = (query.sort ?? []).map((s) => (s.lastIndexOf(':') < 0 ? s : s.slice(0, s.lastIndexOf(':'))));
  const wanted = primaryKey === null ? sortFields : [primaryKey, ...sortFields];
  const addedFields = missingFields(query.fields, wanted);
  if (addedFields.length > 0) nodeBody['fields'] = [...(query.fields ?? []), ...addedFields];
  return { nodeBody, addedFields, offset, limit };
}

/** The fields of `wanted` an explicit attribute list would not return (none for `*` or no list). */
function missingFields(attributesToRetrieve: unknown, wanted: readonly string[]): string[] {
  if (!Array.isArray(attributesToRetrieve)) return [];
  const listed = attributesToRetrieve.filter((a): a is string => typeof a === 'string');
  if (listed.includes('*')) return [];
  const covered = (field: string): boolean =>
    listed.some((a) => a === field || field.startsWith(`${a}.`) || (a.endsWith('*') && field.startsWith(a.slice(0, -1))));
  return [...new Set(wanted.filter((f) => !covered(f)))];
}
