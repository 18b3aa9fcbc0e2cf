// Which shards move in a topology change (ARCHITECTURE §6): for every index,
// group and shard, the future owners (placement over the group's active and
// joining nodes) that are not serving owners (placement over its active and
// draining nodes) must receive a copy. Pure: the state and a placement
// function in, the list of moves out, in a fixed order (index uid, group,
// shard, target) so every replica plans the same migrations at apply.
//
// A group with no serving node (a group being added) is synced from the
// first serving group in id order: the sources are that group's owners.
//
// Rendezvous placement makes this the minimum: adding a node to a group of Ng
// moves only the shard slots the new node wins (about 1/(Ng+1) of them);
// draining one moves only the slots it held (test/unit/runtime/topology).
import { compareKeys } from '../cluster/decode-fields.ts';
import { futureByGroup, servingByGroup } from '../cluster/topology-sets.ts';
import type { ClusterState } from '../cluster/state.ts';

export type PlaceShard = (shard: number, nodeIds: readonly string[], rf: number) => string[];

export interface PlannedMove {
  indexUid: string;
  shard: number;
  group: string;
  /** The serving owners of the shard (the copy's sources, best first). */
  from: string[];
  to: string;
}

export function planMoves(state: Readonly<ClusterState>, place: PlaceShard): PlannedMove[] {
  const serving = servingByGroup(state);
  const future = futureByGroup(state);
  const rf = state.settings.rf;
  const moves: PlannedMove[] = [];
  for (const index of [...state.indexes.values()].sort((a, b) => compareKeys(a.uid, b.uid))) {
    for (const [group, futureIds] of future) {
      const servingIds = serving.get(group) ?? [];
      const sourceIds = servingIds.length > 0 ? servingIds : [...serving.values()][0];
      // Nothing serves anywhere: there is no copy to take the shards from.
      if (sourceIds === undefined) continue;
      for (let shard = 0; shard < index.shards; shard++) {
        const owners = servingIds.length === 0 ? [] : place(shard, servingIds, rf);
        const from = servingIds.length === 0 ? place(shard, sourceIds, rf) : owners;
        for (const to of place(shard, futureIds, rf).sort(compareKeys)) {
          if (!owners.includes(to)) moves.push({ indexUid: index.uid, shard, group, from, to });
        }
      }
    }
  }
  return moves;
}
