// The two node sets placement runs over during a topology change
// (ARCHITECTURE §2, §6), per replica group:
// - SERVING: the group's `active` and `draining` nodes. Reads (covering sets)
//   and the cluster's own counters follow it: a draining node answers for its
//   shards until its migrations are cut over, a joining one not before.
// - FUTURE: the group's `active` and `joining` nodes: where every shard must
//   sit once the running job is done. A write reaches the serving owners and
//   the future owners (a future owner that is a migration target receives its
//   shard's writes only once the migration is released: apply-dispatch.ts).
// Outside a topology change both sets are the group's active nodes.
//
// Groups and node ids are in id order (the placement input every peer shares);
// a group with no node in the set is left out.
import { compareKeys } from './decode-fields.ts';
import type { NodeState } from './commands.ts';
import type { ClusterState } from './state.ts';

export const SERVING_STATES: readonly NodeState[] = ['active', 'draining'];
export const FUTURE_STATES: readonly NodeState[] = ['active', 'joining'];

/** Group → the ids of its nodes in one of `states`, groups and ids in id order; empty groups left out. */
export function nodesByGroup(state: Readonly<ClusterState>, states: readonly NodeState[]): Map<string, string[]> {
  const byGroup = new Map<string, string[]>();
  for (const groupId of [...state.groups.keys()].sort(compareKeys)) byGroup.set(groupId, []);
  for (const node of state.nodes.values()) {
    if (states.includes(node.state)) byGroup.get(node.group)?.push(node.id);
  }
  for (const [groupId, ids] of byGroup) {
    if (ids.length === 0) byGroup.delete(groupId);
    else ids.sort(compareKeys);
  }
  return byGroup;
}

export const servingByGroup = (state: Readonly<ClusterState>): Map<string, string[]> => nodesByGroup(state, SERVING_STATES);
export const futureByGroup = (state: Readonly<ClusterState>): Map<string, string[]> => nodesByGroup(state, FUTURE_STATES);

/** Whether a node in this committed state answers reads (undefined: unknown node). */
export function isServing(state: NodeState | undefined): boolean {
  return state !== undefined && SERVING_STATES.includes(state);
}

/** A group reads use (some node serving) is `active`; one whose nodes all still join is `initializing`. */
export function groupState(state: Readonly<ClusterState>, groupId: string): 'active' | 'initializing' {
  for (const node of state.nodes.values()) if (node.group === groupId && isServing(node.state)) return 'active';
  return 'initializing';
}
