// How far each node is behind the replicated write log (ARCHITECTURE §3 steps
// 4–5), from the cluster state alone, so every peer reports the same numbers:
// a node owes every dispatch record that targets it at a log index above its
// committed dispatcher cursor. `entries` counts those records; `bytes` sums
// the Raft payload bytes of their log entries (the whole command, not the
// node's slice of it: it is what the log retention bound counts).
//
// Byte sizes are not part of the cluster state: the peer records them as it
// applies entries (EntryBytes below). Records applied before this process
// started from a snapshot have no recorded size; they count in `entries` and
// are left out of `bytes`, which is then a lower bound.
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
  /** Payload bytes of those entries whose size is known. */
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

/**
 * The payload size of every applied log entry that still has a dispatch
 * record. Bounded like the records themselves (STYLE G14): sizes of entries
 * whose record is gone are dropped every `pruneEveryEntries` applies and on
 * every restore.
 */
export class EntryBytes {
  readonly #bytes = new Map<number, number>();
  readonly #pruneEveryEntries: number;
  #sincePrune = 0;

  constructor(pruneEveryEntries = 1024) {
    this.#pruneEveryEntries = pruneEveryEntries;
  }

  /** Call after `logIndex` was applied to `state`. */
  applied(state: Readonly<ClusterState>, logIndex: number, bytes: number): void {
    if (state.dispatch.has(logIndex)) this.#bytes.set(logIndex, bytes);
    if (++this.#sincePrune >= this.#pruneEveryEntries) this.prune(state);
  }

  /** Forgets the sizes of entries that no longer have a record. */
  prune(state: Readonly<ClusterState>): void {
    this.#sincePrune = 0;
    for (const index of this.#bytes.keys()) if (!state.dispatch.has(index)) this.#bytes.delete(index);
  }

  get(logIndex: number): number | undefined {
    return this.#bytes.get(logIndex);
  }

  get size(): number {
    return this.#bytes.size;
  }
}
