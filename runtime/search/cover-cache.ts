// The covering set of a read (runtime/routing/covering-set.ts), cached per
// index topology. coveringSet walks the owners of every shard and checks each
// owner's health (S × RF lookups) and builds a restriction per node, on every
// search, though its answer depends on three things only:
// - the topology (TopologyView hands out the same object until placement
//   changes, so the cache hangs off it in a WeakMap and dies with it);
// - which of the topology's nodes are healthy (asked once per node per read);
// - the turn modulo RG × lcm(1..n), n the largest owner count of a shard: the
//   preferred group is turn mod RG, and a shard with h healthy owners in it
//   picks owner (⌊turn / RG⌋ + shard) mod h, so turn and turn + RG·lcm(1..n)
//   choose alike for every h ≤ n.
// At most ENTRIES_MAX covering sets are kept per topology; past that the map
// starts over (health flapping across many nodes).
import { coveringSet, type CoveringSet } from '../routing/covering-set.ts';
import type { IndexTopology } from './topology-view.ts';

const ENTRIES_MAX = 64;

interface TopologyCovers {
  /** Every node owning a shard in some group, in a fixed order. */
  readonly nodeIds: readonly string[];
  readonly period: number;
  readonly covers: Map<string, CoveringSet>;
}

const caches = new WeakMap<IndexTopology, TopologyCovers>();

/** coveringSet({ shardCount, groups, isHealthy, turn }) of `topology`, from the cache when seen before. */
export function cachedCoveringSet(topology: IndexTopology, isHealthy: (nodeId: string) => boolean, turn: number): CoveringSet {
  let entry = caches.get(topology);
  if (entry === undefined) caches.set(topology, (entry = coversOf(topology)));
  let key = String(turn % entry.period);
  for (const nodeId of entry.nodeIds) if (!isHealthy(nodeId)) key += `|${nodeId}`;
  let cover = entry.covers.get(key);
  if (cover === undefined) {
    if (entry.covers.size >= ENTRIES_MAX) entry.covers.clear();
    cover = coveringSet({ shardCount: topology.shardCount, groups: topology.groups, isHealthy, turn });
    entry.covers.set(key, cover);
  }
  return cover;
}

function coversOf(topology: IndexTopology): TopologyCovers {
  const nodeIds = new Set<string>();
  let ownersMax = 1;
  for (const group of topology.groups) {
    for (const owners of group.owners) {
      for (const nodeId of owners) nodeIds.add(nodeId);
      ownersMax = Math.max(ownersMax, owners.length);
    }
  }
  return { nodeIds: [...nodeIds].sort(), period: Math.max(1, topology.groups.length) * lcmUpTo(ownersMax), covers: new Map() };
}

/** lcm(1, 2, …, n). */
function lcmUpTo(n: number): number {
  let lcm = 1;
  for (let k = 2; k <= n; k++) lcm = (lcm * k) / gcd(lcm, k);
  return lcm;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
