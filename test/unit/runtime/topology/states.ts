// Cluster states for the topology unit tests, built by applying real
// commands (groups of active nodes, indexes) with real rendezvous placement.
import { apply, emptyState, type ClusterCommand, type ClusterState } from '../../../../runtime/cluster/index.ts';
import { loadHasher } from '../../../../runtime/routing/index.ts';
import { placeShard } from '../../../../runtime/routing/placement.ts';
import type { PlaceShard } from '../../../../runtime/topology/plan.ts';

export const T = 1_700_000_000_000;
const hasher = await loadHasher();
export const place: PlaceShard = (shard, ids, rf) => placeShard(hasher, shard, ids, rf);

export function stateWith(groups: Record<string, string[]>, indexes: Record<string, number>, rf = 1): ClusterState {
  const state = emptyState({ rf });
  let index = 0;
  const run = (c: ClusterCommand): void => void apply(state, c, ++index, { placeShard: place });
  for (const [group, ids] of Object.entries(groups)) {
    run({ v: 1, kind: 'group.add', id: group, nowMs: T });
    for (const id of ids) {
      run({ v: 1, kind: 'node.add', id, url: `http://127.0.0.1/${id}`, group, nowMs: T });
      run({ v: 1, kind: 'node.state', id, state: 'active', nowMs: T });
    }
  }
  for (const [uid, shards] of Object.entries(indexes)) run({ v: 1, kind: 'index.create', uid, primaryKey: 'id', shards, nowMs: T });
  return state;
}
