// The `_miroir_shard IN [...]` restriction added to a node's search or
// document query (ARCHITECTURE §2): a node may hold more shards than it is
// asked to answer for (RF > 1, migrations in flight), and without the
// restriction its hits, facet counts and totals would be counted twice.
//
// The restriction is ANDed with the client's filter through Meilisearch's
// array form, whose top-level elements are ANDed: a string filter `f` becomes
// [f, r]; an array filter [a, [b, c]] becomes [a, [b, c], r]; no filter
// becomes [r]. Each element keeps its own meaning (a string element is a full
// expression, an inner array is an OR group), so the client's filter is never
// re-parsed or re-written.
import { assert } from '../assert.ts';
import { isNonNegativeInteger } from './counts.ts';

export const SHARD_FIELD = '_miroir_shard';

/** What a Meilisearch `filter` parameter may hold. */
export type FilterParam = string | ReadonlyArray<string | ReadonlyArray<string>>;

/** `_miroir_shard IN [1, 5]` for the shards listed (sorted, without duplicates). */
export function shardRestriction(shards: readonly number[]): string {
  assert(shards.length > 0, 'a shard restriction needs at least one shard');
  const sorted = [...new Set(shards)].sort((a, b) => a - b);
  assert(sorted.every(isNonNegativeInteger), 'shard ids must be non-negative integers');
  return `${SHARD_FIELD} IN [${sorted.join(', ')}]`;
}

/** The client's filter ANDed with the restriction to `shards`, in array form. */
export function withShardRestriction(
  userFilter: FilterParam | null | undefined,
  shards: readonly number[],
): Array<string | ReadonlyArray<string>> {
  const restriction = shardRestriction(shards);
  if (userFilter === null || userFilter === undefined) return [restriction];
  if (typeof userFilter === 'string') {
    // Meilisearch treats a blank filter string as no filter.
    return userFilter.trim() === '' ? [restriction] : [userFilter, restriction];
  }
  return [...userFilter, restriction];
}
