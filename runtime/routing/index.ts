// Re-exports of the routing core (ARCHITECTURE §2), plus `createRouter`, which
// loads the hasher once and binds it so callers get plain synchronous functions.
import { loadHasher } from './hasher.ts';
import type { Hasher } from './hasher.ts';
import { placeGroup, placeShard, rendezvousScore } from './placement.ts';
import { shardOf } from './shard-hash.ts';
import type { PrimaryKeyValue } from './shard-hash.ts';

export { loadHasher } from './hasher.ts';
export type { Hasher } from './hasher.ts';
export { canonicalKey, shardOf } from './shard-hash.ts';
export type { PrimaryKeyValue } from './shard-hash.ts';
export { placeGroup, placeShard, rendezvousScore, shardsByNode } from './placement.ts';
export { coveringSet } from './covering-set.ts';
export type { CoveringSet, CoveringSetInput, GroupOwners, NodeAssignment } from './covering-set.ts';
export { SHARD_FIELD, shardRestriction, withShardRestriction } from './shard-filter.ts';
export type { FilterParam } from './shard-filter.ts';

export interface Router {
  readonly hasher: Hasher;
  shardOf(pk: PrimaryKeyValue, shardCount: number): number;
  rendezvousScore(shard: number, nodeId: string): bigint;
  placeShard(shard: number, nodeIds: readonly string[], rf: number): string[];
  placeGroup(shardCount: number, nodeIds: readonly string[], rf: number): string[][];
}

export async function createRouter(): Promise<Router> {
  const hasher = await loadHasher();
  return {
    hasher,
    shardOf: (pk, shardCount) => shardOf(hasher, pk, shardCount),
    rendezvousScore: (shard, nodeId) => rendezvousScore(hasher, shard, nodeId),
    placeShard: (shard, nodeIds, rf) => placeShard(hasher, shard, nodeIds, rf),
    placeGroup: (shardCount, nodeIds, rf) => placeGroup(hasher, shardCount, nodeIds, rf),
  };
}
