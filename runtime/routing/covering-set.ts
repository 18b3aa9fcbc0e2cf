// The covering set of one search (ARCHITECTURE §1, §2, §4.1): which nodes to
// ask, and for exactly which shards each one answers.
//
// Rules:
// - The preferred group is groups[turn mod RG], where `turn` is the peer's
//   round-robin counter (taken as input: this module keeps no state).
// - Each shard is answered by one healthy owner of the preferred group. The
//   replicas take turns: shard s uses healthyOwners[(replicaTurn + s) mod n]
//   with replicaTurn = floor(turn / RG), so the group and the replica rotate
//   independently (with turn alone, RG = RF = 2 would pin each group to one
//   replica per shard).
// - A shard with no healthy owner in the preferred group falls back to the
//   next groups in order (g+1, g+2, ... mod RG), per shard.
// - A shard with no healthy owner anywhere is reported in `unavailableShards`.
// - Each node query carries `_miroir_shard IN [...]` unless the shards the node
//   holds for the index are known and equal its assignment exactly.
//
// `shardOwnersInOrder` lists, for one shard, every healthy owner in the order
// these rules prefer them; the covering set takes the first. The rest are the
// candidates for retrying a failed node's shards within the same request.
//
// Invariants (asserted): every shard is assigned to at most one node, and
// every shard is either assigned or unavailable.
import { assert } from '../assert.ts';
import { isNonNegativeInteger, isPositiveInteger } from './counts.ts';
import { shardRestriction } from './shard-filter.ts';

export interface GroupOwners {
  readonly groupId: string;
  /** owners[s]: the nodes of this group that own shard s, in placement order. */
  readonly owners: ReadonlyArray<ReadonlyArray<string>>;
}

export interface CoveringSetInput {
  readonly shardCount: number;
  /** The groups readable for this index, in a fixed order shared by all peers. */
  readonly groups: ReadonlyArray<GroupOwners>;
  readonly isHealthy: (nodeId: string) => boolean;
  /** The peer's round-robin counter for this search. */
  readonly turn: number;
  /**
   * Every shard each node holds documents of for this index, when known
   * (placement plus migrations in flight). A node missing here is restricted.
   */
  readonly heldShards?: ReadonlyMap<string, ReadonlyArray<number>>;
}

export interface NodeAssignment {
  readonly nodeId: string;
  readonly groupId: string;
  /** The shards this node answers for, ascending. */
  readonly shards: readonly number[];
  /** Whether the node query needs the shard restriction. */
  readonly restrict: boolean;
  /** The restriction expression, or null when not needed. */
  readonly restriction: string | null;
}

export interface CoveringSet {
  /** The preferred group of this search. */
  readonly groupId: string | null;
  /** One entry per node asked, ordered by the node's smallest shard. */
  readonly nodes: readonly NodeAssignment[];
  readonly unavailableShards: readonly number[];
}

export function coveringSet(input: CoveringSetInput): CoveringSet {
  const { shardCount, groups, turn } = input;
  assert(isPositiveInteger(shardCount), `shardCount ${shardCount} must be a positive integer`);
  assert(isNonNegativeInteger(turn), `turn ${turn} must be a non-negative integer`);
  for (const g of groups) assert(g.owners.length === shardCount, `group ${g.groupId} must list owners of every shard`);
  if (groups.length === 0) return { groupId: null, nodes: [], unavailableShards: range(shardCount) };
  const byNode = new Map<string, { groupId: string; shards: number[] }>();
  const unavailableShards: number[] = [];
  for (let shard = 0; shard < shardCount; shard++) {
    const pick = ownersInOrder(input, shard, 1)[0];
    if (pick === undefined) {
      unavailableShards.push(shard);
      continue;
    }
    const entry = byNode.get(pick.nodeId);
    if (entry) entry.shards.push(shard);
    else byNode.set(pick.nodeId, { groupId: pick.groupId, shards: [shard] });
  }
  const nodes = [...byNode].map(([nodeId, e]) => toAssignment(nodeId, e.groupId, e.shards, input.heldShards));
  nodes.sort((a, b) => a.shards[0]! - b.shards[0]!);
  assertCovers(nodes, unavailableShards, shardCount);
  return { groupId: groups[turn % groups.length]!.groupId, nodes, unavailableShards };
}

export interface OwnerChoice {
  readonly nodeId: string;
  readonly groupId: string;
}

/**
 * Every healthy owner of one shard, in the order a request should try them:
 * the covering set's choice first, then the other replicas of that group in
 * rotation, then the other groups in order. For GET /documents/{id} and for
 * retrying a failed node's shard on another replica within the same request.
 */
export function shardOwnersInOrder(
  input: Omit<CoveringSetInput, 'shardCount' | 'heldShards'>,
  shard: number,
): OwnerChoice[] {
  assert(isNonNegativeInteger(input.turn), `turn ${input.turn} must be a non-negative integer`);
  return ownersInOrder(input, shard, Number.POSITIVE_INFINITY);
}

/** The first `max` healthy owners of `shard` in preference order. */
function ownersInOrder(
  input: Omit<CoveringSetInput, 'shardCount' | 'heldShards'>,
  shard: number,
  max: number,
): OwnerChoice[] {
  const { groups, isHealthy, turn } = input;
  const out: OwnerChoice[] = [];
  if (groups.length === 0) return out;
  const preferred = turn % groups.length;
  const replicaTurn = Math.floor(turn / groups.length);
  for (let step = 0; step < groups.length && out.length < max; step++) {
    const group = groups[(preferred + step) % groups.length]!;
    const owners = group.owners[shard];
    assert(owners !== undefined, `group ${group.groupId} lists the owners of shard ${shard}`);
    const healthy = owners.filter(isHealthy);
    for (let i = 0; i < healthy.length && out.length < max; i++) {
      out.push({ nodeId: healthy[(replicaTurn + shard + i) % healthy.length]!, groupId: group.groupId });
    }
  }
  return out;
}

function toAssignment(
  nodeId: string,
  groupId: string,
  shards: number[],
  heldShards: ReadonlyMap<string, ReadonlyArray<number>> | undefined,
): NodeAssignment {
  const held = heldShards?.get(nodeId);
  const restrict = held === undefined || !sameSet(held, shards);
  return { nodeId, groupId, shards, restrict, restriction: restrict ? shardRestriction(shards) : null };
}

function sameSet(held: ReadonlyArray<number>, assigned: readonly number[]): boolean {
  const heldSet = new Set(held);
  return heldSet.size === assigned.length && assigned.every((s) => heldSet.has(s));
}

function assertCovers(nodes: readonly NodeAssignment[], unavailable: readonly number[], shardCount: number): void {
  const seen = new Set<number>(unavailable);
  let count = unavailable.length;
  for (const node of nodes) {
    for (const shard of node.shards) seen.add(shard);
    count += node.shards.length;
  }
  assert(seen.size === shardCount, 'every shard is assigned or reported unavailable');
  assert(count === shardCount, 'no shard is assigned twice');
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
