// Goal: the cached covering set is always the one coveringSet computes for
// the same topology, health and turn (its period argument in cover-cache.ts
// holds), and it follows health changes at once.
// Method: seeded random topologies (1-3 groups, RF 1-3, 1-5 nodes per group,
// 1-32 shards, placements as rendezvous would give: RF distinct owners per
// shard), random unhealthy sets and turns up to 10,000, each answer compared
// with coveringSet's; one topology object is reused across many reads, as
// TopologyView reuses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cachedCoveringSet } from '../../../../runtime/search/cover-cache.ts';
import { coveringSet, type GroupOwners } from '../../../../runtime/routing/covering-set.ts';
import type { IndexTopology } from '../../../../runtime/search/topology-view.ts';
import { seededRng } from '../../../../runtime/env/rng.ts';
import type { Rng } from '../../../../runtime/env/clock.ts';

function randomTopology(rng: Rng): { topology: IndexTopology; nodeIds: string[] } {
  const shardCount = 1 + rng.int(32);
  const rf = 1 + rng.int(3);
  const nodeIds: string[] = [];
  const groups: GroupOwners[] = [];
  for (let g = 0; g < 1 + rng.int(3); g++) {
    const members = Array.from({ length: 1 + rng.int(5) }, (_, i) => `g${g}n${i}`);
    nodeIds.push(...members);
    const owners = Array.from({ length: shardCount }, () => {
      const pool = [...members];
      return Array.from({ length: Math.min(rf, members.length) }, () => pool.splice(rng.int(pool.length), 1)[0]!);
    });
    groups.push({ groupId: `g${g}`, owners });
  }
  return { topology: { shardCount, groups }, nodeIds };
}

test('the cached covering set equals coveringSet for every topology, health and turn', () => {
  const rng = seededRng(11);
  let reads = 0;
  for (let t = 0; t < 60; t++) {
    const { topology, nodeIds } = randomTopology(rng);
    for (let read = 0; read < 120; read++) {
      const down = new Set(nodeIds.filter(() => rng.next() < 0.2));
      const isHealthy = (nodeId: string): boolean => !down.has(nodeId);
      const turn = rng.int(10_000);
      const want = coveringSet({ shardCount: topology.shardCount, groups: topology.groups, isHealthy, turn });
      assert.deepEqual(cachedCoveringSet(topology, isHealthy, turn), want, `topology ${t}, turn ${turn}, down ${[...down].join(',')}`);
      reads++;
    }
  }
  assert.equal(reads, 7_200);
});

test('a node turning unhealthy changes the cached answer on the next read', () => {
  const topology: IndexTopology = { shardCount: 4, groups: [{ groupId: 'g', owners: [['a', 'b'], ['a', 'b'], ['a', 'b'], ['a', 'b']] }] };
  const all = cachedCoveringSet(topology, () => true, 0);
  assert.deepEqual(all.nodes.map((n) => n.nodeId).sort(), ['a', 'b']);
  const withoutA = cachedCoveringSet(topology, (id) => id !== 'a', 0);
  assert.deepEqual(withoutA.nodes.map((n) => [n.nodeId, n.shards]), [['b', [0, 1, 2, 3]]]);
});
