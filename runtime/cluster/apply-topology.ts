// Applies topology commands: peers (addresses for the transport; Raft
// membership itself is a Raft conf change), replica groups, nodes and their
// hard states, and the dispatcher cursors.
//
// Node lifecycle (ARCHITECTURE §6):
//   joining → active | draining | removed
//   active  → draining
//   draining → active (drain cancelled) | removed
//   removed is final; a removed node's cursor is dropped.
// The admin API validates before proposing; a command that lost a race with
// another change is `rejected` here with the same error, never half-applied.

import type {
  DispatcherCursorCommand,
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
  for (const node of [...state.nodes.values()]) {
    if (node.group !== c.id) continue;
    state.nodes.delete(node.id);
    state.cursors.delete(node.id);
  }
  pruneUndispatchable(state);
  return APPLIED;
}

export function applyNodeAdd(state: ClusterState, c: NodeAddCommand): ApplyResult {
  if (!state.groups.has(c.group)) return rejected('miroir_unknown_group', `Group \`${c.group}\` not found.`);
  if (state.nodes.has(c.id)) return rejected('miroir_invalid_topology', `Node id \`${c.id}\` is already in use.`);
  state.nodes.set(c.id, {
    id: c.id, url: c.url, group: c.group, state: 'joining', addedAtMs: c.nowMs, stateChangedAtMs: c.nowMs,
  });
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
    pruneUndispatchable(state);
  }
  return APPLIED;
}

/**
 * Cursors only move forward (a new leader may re-propose an older one) and
 * never past the entry that carries them; cursors of unknown or removed
 * nodes are dropped. Both are replay-safe no-ops, not errors.
 */
/** Forgets undispatchable entries every live node's dispatcher has moved past. */
function pruneUndispatchable(state: ClusterState): void {
  let low = Number.POSITIVE_INFINITY;
  for (const node of state.nodes.values()) {
    if (node.state !== 'removed') low = Math.min(low, state.cursors.get(node.id) ?? 0);
  }
  for (const index of state.undispatchable) if (index <= low) state.undispatchable.delete(index);
}

export function applyDispatcherCursor(state: ClusterState, c: DispatcherCursorCommand, logIndex: number): ApplyResult {
  let moved = 0;
  for (const { nodeId, index } of c.cursors) {
    const node = state.nodes.get(nodeId);
    if (node === undefined || node.state === 'removed' || index >= logIndex) continue;
    if (index <= (state.cursors.get(nodeId) ?? 0)) continue;
    state.cursors.set(nodeId, index);
    moved += 1;
  }
  pruneUndispatchable(state);
  return moved > 0 ? APPLIED : ignored('no cursor moved forward');
}
