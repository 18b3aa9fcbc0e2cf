// What Miroir sends each node for one client search (ARCHITECTURE §4.2) or
// document listing, and what it must remember to undo in the merge:
// - the window becomes offset 0, limit offset+limit (page mode: page 1,
//   hitsPerPage offset+limit, so the node still counts totalHits exactly),
//   after the maxTotalHits clamps of API.md §4.3, so every hit that can reach
//   the client's page comes back from the node that holds it;
// - `showRankingScore` and `showRankingScoreDetails` are turned on, because
//   the merge compares hits rule by rule;
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
}

export function planSearch(
  body: SearchBody,
  options: { readonly maxTotalHits: number; readonly primaryKey: string | null; readonly distinctAttribute: string | null },
): SearchPlan {
  const window = searchWindow(body, options.maxTotalHits);
  const fetch = window.offset + window.limit;
  const { offset: _o, limit: _l, page: _p, hitsPerPage: _h, ...rest } = body;
  const nodeBody: Record<string, unknown> = { ...rest, showRankingScore: true, showRankingScoreDetails: true };
  if (window.mode === 'page') Object.assign(nodeBody, { page: 1, hitsPerPage: fetch });
  else Object.assign(nodeBody, { offset: 0, limit: fetch });
  const facets = body['facets'];
  if (Array.isArray(facets) && facets.length > 0) nodeBody['facets'] = [...facets, CANDIDATES_FACET];
  const wanted = [options.primaryKey, options.distinctAttribute].filter((f): f is string => f !== null);
  const addedFields = missingFields(body['attributesToRetrieve'], wanted);
  if (addedFields.length > 0) {
    nodeBody['attributesToRetrieve'] = [...(body['attributesToRetrieve'] as string[]), ...addedFields];
  }
  return { nodeBody, addedFields };
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
