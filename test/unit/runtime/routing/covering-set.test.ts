// Goal: a covering set asks each shard of exactly one healthy owner, prefers
// the round-robin group, rotates replicas, falls back per shard to other
// groups, reports shards nobody can serve, and restricts a node to its shards
// unless it holds exactly them. Method: hand-built topologies for each rule,
// then seeded random topologies and health views checked against a brute-force
// statement of the same rules; the filter combination is checked on the string,
// array and absent forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coveringSet, shardOwnersInOrder } from '../../../../runtime/routing/covering-set.ts';
import type { GroupOwners } from '../../../../runtime/routing/covering-set.ts';
import { shardRestriction, withShardRestriction } from '../../../../runtime/routing/shard-filter.ts';
import { loadHasher } from '../../../../runtime/routing/hasher.ts';
import { placeGroup, shardsByNode } from '../../../../runtime/routing/placement.ts';
import { seededRng } from '../../../../runtime/env/rng.ts';

const hasher = await loadHasher();
const all = (): boolean => true;

function group(groupId: string, owners: string[][]): GroupOwners {
  return { groupId, owners };
}

test('one group, RF 1, all healthy: each node answers exactly its shards, unrestricted when it holds only them', () => {
  const owners = [['a'], ['b'], ['a'], ['c']];
  const held = new Map([['a', [0, 2]], ['b', [1]], ['c', [3, 7]]]);
  const cs = coveringSet({ shardCount: 4, groups: [group('g0', owners)], isHealthy: all, turn: 0, heldShards: held });
  assert.equal(cs.groupId, 'g0');
  assert.deepEqual(cs.unavailableShards, []);
  assert.deepEqual(
    cs.nodes.map((n) => [n.nodeId, n.shards, n.restrict, n.restriction]),
    [
      ['a', [0, 2], false, null],
      ['b', [1], false, null],
      ['c', [3], true, '_miroir_shard IN [3]'], // c also holds shard 7 (a migration in flight)
    ],
  );
  const unknown = coveringSet({ shardCount: 4, groups: [group('g0', owners)], isHealthy: all, turn: 0 });
  assert.ok(unknown.nodes.every((n) => n.restrict), 'without knowledge of held shards every node is restricted');
});

test('groups take turns and, independently, replicas take turns', () => {
  const groups = [group('g0', [['a', 'b']]), group('g1', [['c', 'd']])];
  const used = Array.from({ length: 8 }, (_, turn) => {
    const cs = coveringSet({ shardCount: 1, groups, isHealthy: all, turn });
    return `${cs.groupId}:${cs.nodes[0]!.nodeId}`;
  });
  assert.deepEqual(used, ['g0:a', 'g1:c', 'g0:b', 'g1:d', 'g0:a', 'g1:c', 'g0:b', 'g1:d']);
});

test('a shard whose owners in the preferred group are down falls back to the next group; none anywhere is unavailable', () => {
  const groups = [group('g0', [['a'], ['b'], ['x']]), group('g1', [['c'], ['d'], ['y']])];
  const down = new Set(['b', 'x', 'y']);
  const cs = coveringSet({ shardCount: 3, groups, isHealthy: (n) => !down.has(n), turn: 0 });
  assert.deepEqual(cs.nodes.map((n) => [n.nodeId, n.groupId, n.shards]), [['a', 'g0', [0]], ['d', 'g1', [1]]]);
  assert.deepEqual(cs.unavailableShards, [2]);
  const none = coveringSet({ shardCount: 2, groups: [], isHealthy: all, turn: 3 });
  assert.deepEqual([none.groupId, none.nodes, none.unavailableShards], [null, [], [0, 1]]);
});

test('random topologies: the covering set follows the rules exactly', () => {
  const rng = seededRng(23);
  for (let trial = 0; trial < 300; trial++) {
    const S = 1 + rng.int(40);
    const rg = 1 + rng.int(3);
    const groups: GroupOwners[] = [];
    for (let g = 0; g < rg; g++) {
      const nodes = Array.from({ length: 1 + rng.int(5) }, (_, i) => `g${g}n${i}`);
      groups.push(group(`g${g}`, placeGroup(hasher, S, nodes, 1 + rng.int(nodes.length))));
    }
    const down = new Set(groups.flatMap((g) => g.owners.flat()).filter(() => rng.next() < 0.3));
    const turn = rng.int(1000);
    const held = new Map<string, number[]>();
    for (const g of groups) for (const [n, shards] of shardsByNode(g.owners)) held.set(n, shards);
    const isHealthy = (n: string): boolean => !down.has(n);
    const cs = coveringSet({ shardCount: S, groups, isHealthy, turn, heldShards: held });
    const assigned = new Map<number, string>();
    for (const node of cs.nodes) {
      assert.ok(isHealthy(node.nodeId));
      assert.equal(node.restrict, held.get(node.nodeId)!.join() !== node.shards.join());
      for (const s of node.shards) assigned.set(s, node.nodeId);
    }
    for (let s = 0; s < S; s++) {
      // Brute force: first group from the preferred one with a healthy owner, rotated replica.
      const order = groups.map((_, i) => groups[(turn + i) % rg]!);
      const g = order.find((gr) => gr.owners[s]!.some(isHealthy));
      if (!g) {
        assert.ok(cs.unavailableShards.includes(s));
        continue;
      }
      const healthy = g.owners[s]!.filter(isHealthy);
      assert.equal(assigned.get(s), healthy[(Math.floor(turn / rg) + s) % healthy.length]);
    }
  }
});

test('the restriction is ANDed with the client filter in each filter form', () => {
  assert.equal(shardRestriction([5, 1, 5]), '_miroir_shard IN [1, 5]');
  assert.deepEqual(withShardRestriction(undefined, [1, 5]), ['_miroir_shard IN [1, 5]']);
  assert.deepEqual(withShardRestriction(null, [2]), ['_miroir_shard IN [2]']);
  assert.deepEqual(withShardRestriction('  ', [2]), ['_miroir_shard IN [2]']);
  assert.deepEqual(withShardRestriction('genre = horror OR year > 2000', [0, 3]), [
    'genre = horror OR year > 2000',
    '_miroir_shard IN [0, 3]',
  ]);
  assert.deepEqual(withShardRestriction(['a = 1', ['b = 2', 'c = 3']], [4]), [
    'a = 1',
    ['b = 2', 'c = 3'],
    '_miroir_shard IN [4]',
  ]);
  assert.throws(() => shardRestriction([]), /at least one/);
});

test('owners in order: the covering set choice first, then the group replicas in rotation, then other groups', () => {
  const groups = [group('g0', [['a', 'b', 'c']]), group('g1', [['d', 'e']])];
  const isHealthy = (n: string): boolean => n !== 'b';
  for (let turn = 0; turn < 6; turn++) {
    const order = shardOwnersInOrder({ groups, isHealthy, turn }, 0);
    const cs = coveringSet({ shardCount: 1, groups, isHealthy, turn });
    assert.equal(order[0]!.nodeId, cs.nodes[0]!.nodeId, `turn ${turn}`);
    assert.deepEqual(new Set(order.map((o) => o.nodeId)), new Set(['a', 'c', 'd', 'e']));
    assert.equal(order.length, 4);
  }
  assert.deepEqual(shardOwnersInOrder({ groups, isHealthy, turn: 0 }, 0), [
    { nodeId: 'a', groupId: 'g0' }, { nodeId: 'c', groupId: 'g0' }, { nodeId: 'd', groupId: 'g1' }, { nodeId: 'e', groupId: 'g1' },
  ]);
  assert.deepEqual(shardOwnersInOrder({ groups: [], isHealthy, turn: 0 }, 0), []);
});
