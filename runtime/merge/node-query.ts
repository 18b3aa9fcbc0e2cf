// What Miroir sends each node for one client search (ARCHITECTURE §4.2), and
// what it must remember to undo in the merge:
// - the window becomes offset 0, limit offset+limit (page mode: page 1,
//   hitsPerPage offset+limit, so the node still counts totalHits exactly),
//   after the maxTotalHits clamps of API.md §4.3, so every hit that can reach
//   the client's page comes back from the node that holds it;
// - `showRankingScore` and `showRankingScoreDetails` are turned on, because
//   the merge compares hits rule by rule;
// - the primary key (final tiebreak) and the distinct attribute are added to
//   an explicit `attributesToRetrieve` that lacks them, and listed in
//   `addedFields` so the merge strips them again;
// - the shard restriction is ANDed with the client's filter (shard-filter.ts).
import { withShardRestriction } from '../routing/shard-filter.ts';
import type { FilterParam } from '../routing/shard-filter.ts';
import { searchWindow } from './pagination.ts';
import type { ClientSearchQuery } from './types.ts';

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
  const wanted = [options.primaryKey, options.distinctAttribute].filter((f): f is string => f !== null);
  const addedFields = missingFields(body['attributesToRetrieve'], wanted);
  if (addedFields.length > 0) {
    nodeBody['attributesToRetrieve'] = [...(body['attributesToRetrieve'] as string[]), ...addedFields];
  }
  return { nodeBody, addedFields };
}

/** The node body for one node: the plan's body with the shard restriction, if any. */
export function nodeSearchBody(plan: SearchPlan, restrictToShards: readonly number[] | null): Record<string, unknown> {
  if (restrictToShards === null) return plan.nodeBody;
  const filter = plan.nodeBody['filter'] as FilterParam | null | undefined;
  return { ...plan.nodeBody, filter: withShardRestriction(filter, restrictToShards) };
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
