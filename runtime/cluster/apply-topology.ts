// Applies topology commands: peers (addresses for the transport; Raft
// membership itself is a Raft conf change), replica groups, nodes and their
// hard states (cursors and node outcomes: apply-dispatch.ts).
//
// Node lifecycle (ARCHITECTURE §6):
//   joining → active | draining | removed
//   active  → draining
//   draining → active (drain cancelled) | removed
//   removed is final; a removed node's cursor is dropped.
// The admin API validates before proposing; a command that lost a race with
// another change is `rejected` here with the same error, never half-applied.

import type {
  GroupAddCommand,
  GroupRemoveCommand,
  NodeAddCommand,
  NodeState,
  NodeStateCommand,
  PeerAddCommand,
  PeerRemoveCommand,
} from './commands.ts';
import { APPLIED, ignored, rejected, type ApplyResult } from './apply-result.ts';
import type { ClusterState } from './state.ts';
import { forgetTargets, pruneUndispatchable } from './apply-dispatch.ts';

const NEXT_STATES: Readonly<Record<NodeState, readonly NodeState[]>> = {
  joining: ['active', 'draining', 'removed'],
  active: ['draining'],
  draining: ['active', 'removed'],
  removed: [],
};

export function canTransition(from: NodeState, to: NodeState): boolean {
  return NEXT_STATES[from].includes(to);
}

export function applyPeerAdd(state: ClusterState, c: PeerAddCommand): ApplyResult {
  if (state.peers.get(c.id)?.address === c.address) return ignored(`peer ${c.id} already at ${c.address}`);
  state.peers.set(c.id, { id: c.id, address: c.address });
  return APPLIED;
}

export function applyPeerRemove(state: ClusterState, c: PeerRemoveCommand): ApplyResult {
  if (!state.peers.delete(c.id)) return ignored(`peer ${c.id} is not known`);
  return APPLIED;
}

export function applyGroupAdd(state: ClusterState, c: GroupAddCommand): ApplyResult {
  if (state.groups.has(c.id)) return rejected('miroir_invalid_topology', `Group \`${c.id}\` already exists.`);
  state.groups.set(c.id, { id: c.id, createdAtMs: c.nowMs });
  return APPLIED;
}

/** Removing a group stops reads from it at once; its nodes and their cursors go with it. */
export function applyGroupRemove(state: ClusterState, c: GroupRemoveCommand): ApplyResult {
  if (!state.groups.delete(c.id)) return rejected('miroir_unknown_group', `Group \`${c.id}\` not found.`);
  const gone = new Set<string>();
  for (const node of [...state.nodes.values()]) {
    if (node.group !== c.id) continue;
    state.nodes.delete(node.id);
    state.cursors.delete(node.id);
    gone.add(node.id);
  }
  forgetTargets(state, gone, c.nowMs);
  pruneUndispatchable(state);
  return APPLIED;
}

/**
 * A new node owes nothing of the log before it: its dispatcher starts right
 * after the entry that added it (not at 0, which the log may have cut long ago).
 */
export function applyNodeAdd(state: ClusterState, c: NodeAddCommand, logIndex: number): ApplyResult {
  if (!state.groups.has(c.group)) return rejected('miroir_unknown_group', `Group \`${c.group}\` not found.`);
  if (state.nodes.has(c.id)) return rejected('miroir_invalid_topology', `Node id \`${c.id}\` is already in use.`);
  state.nodes.set(c.id, {
    id: c.id, url: c.url, group: c.group, state: 'joining', addedAtMs: c.nowMs, stateChangedAtMs: c.nowMs,
  });
  state.cursors.set(c.id, logIndex);
  return APPLIED;
}

export function applyNodeState(state: ClusterState, c: NodeStateCommand): ApplyResult {
  const node = state.nodes.get(c.id);
  if (node === undefined) return rejected('miroir_unknown_node', `Node \`${c.id}\` not found.`);
  if (node.state === c.state) return ignored(`node ${c.id} is already ${c.state}`);
  if (!canTransition(node.state, c.state)) {
    return rejected('miroir_invalid_topology', `Node \`${c.id}\` cannot go from ${node.state} to ${c.state}.`);
  }
  node.state = c.state;
  node.stateChangedAtMs = c.nowMs;
  if (c.state === 'removed') {
    state.cursors.delete(c.id);
    forgetTargets(state, new Set([c.id]), c.nowMs);
    pruneUndispatchable(state);
  }
  return APPLIED;
}
