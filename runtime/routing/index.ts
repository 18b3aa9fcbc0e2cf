// Re-exports of the routing core (ARCHITECTURE §2).
export { createRouter } from './router.ts';
export type { Router } from './router.ts';
export { loadHasher } from './hasher.ts';
export type { Hasher } from './hasher.ts';
export { canonicalKey, shardOf } from './shard-hash.ts';
export type { PrimaryKeyValue } from './shard-hash.ts';
export { placeGroup, placeShard, rendezvousScore, shardsByNode } from './placement.ts';
export { coveringSet, shardOwnersInOrder } from './covering-set.ts';
export type { CoveringSet, CoveringSetInput, GroupOwners, NodeAssignment, OwnerChoice } from './covering-set.ts';
export { SHARD_FIELD, shardRestriction, withShardRestriction } from './shard-filter.ts';
export type { FilterParam } from './shard-filter.ts';
