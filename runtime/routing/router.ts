// `createRouter` loads the hasher once (xxhash-wasm instantiates
// asynchronously) and binds it, so the cluster layer gets plain synchronous
// routing functions for the rest of the process's life.
import { loadHasher } from './hasher.ts';
import type { Hasher } from './hasher.ts';
import { placeGroup, placeShard, rendezvousScore } from './placement.ts';
import { shardOf } from './shard-hash.ts';
import type { PrimaryKeyValue } from './shard-hash.ts';

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
