// Rendezvous (highest-random-weight) placement of shards on the nodes of one
// replica group (ARCHITECTURE §2).
//
//   score(shard, nodeId) = xxh64( utf8(decimal(shard)) ‖ 0x00 ‖ utf8(nodeId) ), seed 0
//
// ‖ is byte concatenation: the shard number in base-10 ASCII without leading
// zeros, one NUL byte, then the node id's UTF-8 bytes. The NUL separator keeps
// (1, "2x") and (12, "x") apart; node ids therefore must not contain NUL.
// The placement of a shard in a group is the `rf` nodes with the highest
// scores, compared as unsigned 64-bit integers, ties broken by the smaller
// node id (code-unit order). No virtual nodes.
//
// Consequences the tests check: adding a node only moves shard slots to the
// new node (about 1/(Ng+1) of them); removing a node only moves the slots it
// held; other groups are never affected because each group is placed alone.
import { assert } from '../assert.ts';
import { isNonNegativeInteger, isPositiveInteger } from './counts.ts';
import type { Hasher } from './hasher.ts';

export function rendezvousScore(hasher: Hasher, shard: number, nodeId: string): bigint {
  return hasher.h64(`${shard}\u0000${nodeId}`);
}

/** The owners of `shard` among `nodeIds`, best score first; at most `rf` of them. */
export function placeShard(hasher: Hasher, shard: number, nodeIds: readonly string[], rf: number): string[] {
  assertPlacementInput(shard, nodeIds, rf);
  const scored = nodeIds.map((nodeId) => ({ nodeId, score: rendezvousScore(hasher, shard, nodeId) }));
  scored.sort((a, b) => (a.score > b.score ? -1 : a.score < b.score ? 1 : a.nodeId < b.nodeId ? -1 : 1));
  return scored.slice(0, rf).map((s) => s.nodeId);
}

/** owners[s] = placeShard(s) for every shard of an index with `shardCount` shards. */
export function placeGroup(hasher: Hasher, shardCount: number, nodeIds: readonly string[], rf: number): string[][] {
  assert(isPositiveInteger(shardCount), `shardCount ${shardCount} must be a positive integer`);
  const owners: string[][] = [];
  for (let shard = 0; shard < shardCount; shard++) owners.push(placeShard(hasher, shard, nodeIds, rf));
  return owners;
}

/** The shards each node owns under `owners` (from placeGroup), ascending. */
export function shardsByNode(owners: readonly (readonly string[])[]): Map<string, number[]> {
  const byNode = new Map<string, number[]>();
  owners.forEach((nodes, shard) => {
    for (const nodeId of nodes) {
      const list = byNode.get(nodeId);
      if (list) list.push(shard);
      else byNode.set(nodeId, [shard]);
    }
  });
  return byNode;
}

function assertPlacementInput(shard: number, nodeIds: readonly string[], rf: number): void {
  assert(isNonNegativeInteger(shard), `shard ${shard} must be a non-negative integer`);
  assert(isPositiveInteger(rf), `rf ${rf} must be a positive integer`);
  assert(new Set(nodeIds).size === nodeIds.length, 'node ids of a group must be distinct');
  assert(nodeIds.every((id) => id.length > 0), 'node ids must be non-empty');
  assert(nodeIds.every((id) => !id.includes('\u0000')), 'node ids must be NUL-free');
}
