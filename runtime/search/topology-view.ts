// Who owns which shard of an index, per replica group, as every peer computes
// it from its replica of the cluster state (ARCHITECTURE §2): for each group,
// placement of every shard over the group's SERVING nodes (active and
// draining: runtime/cluster/topology-sets.ts) with the cluster RF. This is the
// `groups` input of the covering set.
//
// The view is on the hot path of every read, and placement costs S × Ng
// hashes, so it is cached. The cache key has two levels: the state's
// `appliedIndex` (nothing changed since the last read: no work at all), then a
// signature of what placement depends on (RF, S and the serving nodes of each
// group): most applied entries are tasks and cursors, which leave it alone.
//
// Groups are listed in id order, the fixed order every peer shares; a group
// with no serving node is left out (it can answer for nothing). A `joining`
// node is not an owner here (it is still being filled); a `draining` one is,
// until its migrations are cut over (it holds its shards until then).
import type { ClusterState, IndexRecord } from '../cluster/state.ts';
import { servingByGroup } from '../cluster/topology-sets.ts';
import type { GroupOwners } from '../routing/covering-set.ts';
import type { Router } from '../routing/router.ts';

export interface IndexTopology {
  readonly shardCount: number;
  readonly groups: readonly GroupOwners[];
}

interface CacheEntry {
  appliedIndex: number;
  signature: string;
  topology: IndexTopology;
}

/** The owners of every shard of an index, cached per index (one instance per peer). */
export class TopologyView {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(private readonly router: Router) {}

  of(state: Readonly<ClusterState>, index: Readonly<IndexRecord>): IndexTopology {
    const cached = this.cache.get(index.uid);
    if (cached !== undefined && cached.appliedIndex === state.appliedIndex && cached.topology.shardCount === index.shards) {
      return cached.topology;
    }
    const activeByGroup = servingByGroup(state);
    const signature = signatureOf(state.settings.rf, index.shards, activeByGroup);
    if (cached !== undefined && cached.signature === signature) {
      cached.appliedIndex = state.appliedIndex;
      return cached.topology;
    }
    const groups: GroupOwners[] = [];
    for (const [groupId, nodeIds] of activeByGroup) {
      groups.push({ groupId, owners: this.router.placeGroup(index.shards, nodeIds, state.settings.rf) });
    }
    const topology: IndexTopology = { shardCount: index.shards, groups };
    this.cache.set(index.uid, { appliedIndex: state.appliedIndex, signature, topology });
    this.forgetDeletedIndexes(state);
    return topology;
  }

  /** Drops cached views of indexes that no longer exist (bounded by the index count). */
  private forgetDeletedIndexes(state: Readonly<ClusterState>): void {
    if (this.cache.size <= state.indexes.size) return;
    for (const uid of this.cache.keys()) if (!state.indexes.has(uid)) this.cache.delete(uid);
  }
}

function signatureOf(rf: number, shards: number, activeByGroup: ReadonlyMap<string, readonly string[]>): string {
  let out = `${rf}/${shards}`;
  for (const [groupId, ids] of activeByGroup) out += `|${groupId}:${ids.join(',')}`;
  return out;
}
