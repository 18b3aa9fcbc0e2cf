// How far each node is behind the replicated write log (ARCHITECTURE §3 steps
// 4–5), from the cluster state, so every peer reports the same numbers: a
// node owes every dispatch record that targets it at a log index above its
// committed dispatcher cursor. `entries` counts those records; `bytes` sums
// the sizes of their log entries (the whole command, not the node's slice of
// it: what the log retention bound counts), looked up in the Raft log by the
// caller. An entry the log no longer holds (cut by retention: the node then
// needs a rebuild anyway) or cannot be read now (driver restarting) counts in
// `entries` but not in `bytes`, which is then a lower bound.
//
// Pure: no clock, no I/O.
import type { ClusterState } from '../cluster/state.ts';

export interface NodeLag {
  readonly nodeId: string;
  readonly group: string;
  /** The node's committed dispatcher cursor (0: nothing acknowledged yet). */
  readonly cursor: number;
  /** Log entries with writes for the node that it has not acknowledged. */
  readonly entries: number;
  /** Log bytes of those entries whose size is known. */
  readonly bytes: number;
}

/** Lag of every live node (removed nodes owe nothing), in node id order. */
export function dispatchLag(state: Readonly<ClusterState>, entryBytes: (logIndex: number) => number | undefined): NodeLag[] {
  const lag = new Map<string, { entries: number; bytes: number }>();
  for (const node of state.nodes.values()) if (node.state !== 'removed') lag.set(node.id, { entries: 0, bytes: 0 });
  for (const record of state.dispatch.values()) {
    for (const target of record.targets) {
      const owed = lag.get(target.nodeId);
      if (owed === undefined || record.logIndex <= (state.cursors.get(target.nodeId) ?? 0)) continue;
      owed.entries += 1;
      owed.bytes += entryBytes(record.logIndex) ?? 0;
    }
  }
  return [...lag]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([nodeId, owed]) => ({
      nodeId,
      group: state.nodes.get(nodeId)?.group ?? '',
      cursor: state.cursors.get(nodeId) ?? 0,
      ...owed,
    }));
}
