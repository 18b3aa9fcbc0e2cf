// What a node dispatcher needs from its peer (injected, STYLE G5/G8): the
// committed log, the local replica of the cluster state, the client towards
// its node, a way to propose commands, and its bounds. The peer builds one
// DispatchServices (runtime/peer/) and the leader-only dispatchers actor
// (actors/dispatchers.machine.ts) hands it to every node dispatcher.
import type { Clock, Rng } from '../env/clock.ts';
import type { ClusterCommand, ClusterState } from '../cluster/index.ts';
import type { Entry } from '../raft/types.ts';
import type { NodeClient } from '../../transport/node-client/node-client.ts';

/**
 * The committed Raft log as dispatchers read it (runtime/raft/driver.ts
 * implements it). `readCommitted` returns committed entries from `fromIndex`
 * on, in order, at most `maxBytes` of them but at least one when any is
 * there; it throws LogCompactedError when `fromIndex` was compacted away.
 */
export interface CommittedLog {
  readCommitted(fromIndex: number, maxBytes: number): Entry[];
  /** The last index readCommitted can return now. */
  appliedIndex(): number;
  /** The last index cut from the log (0: none); a dispatcher below it is behind retention. */
  compactedThrough(): number;
}

export interface DispatchLimits {
  /** Entries in one node's window (sent, not yet finished): config `dispatcher.inflightMax`. */
  inflightMax: number;
  /** Bytes of planned requests in one window: config `dispatcher.batchBytesMax`. */
  batchBytesMax: number;
  /** Bytes of log read at once. */
  readBytesMax: number;
  pollIntervalMs: number;
  pollIntervalMaxMs: number;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
  /** How often an idle dispatcher looks at the log when no append was heard. */
  idleIntervalMs: number;
  /** Outcomes that make a cursor batch due at once. */
  cursorBatchEntriesMax: number;
  /** Longest a finished entry waits for its cursor batch. */
  cursorIntervalMs: number;
  /** Polls in a row that miss an acknowledged node task before the dispatcher replays from its cursor. */
  lostTaskPollsMax: number;
  /** Node tasks read at most when a dispatcher resumes (runtime/dispatch/resume.ts). */
  resumeTasksMax: number;
}

export function dispatchLimits(config: { inflightMax: number; batchBytesMax: number }): DispatchLimits {
  return {
    inflightMax: config.inflightMax,
    batchBytesMax: config.batchBytesMax,
    readBytesMax: Math.max(1 << 20, config.batchBytesMax),
    pollIntervalMs: 10,
    pollIntervalMaxMs: 100,
    retryBackoffMs: 50,
    retryBackoffMaxMs: 5_000,
    idleIntervalMs: 1_000,
    cursorBatchEntriesMax: 256,
    cursorIntervalMs: 50,
    lostTaskPollsMax: 20,
    resumeTasksMax: 10_000,
  };
}

export interface DispatchServices {
  readonly log: CommittedLog;
  /** This peer's replica (the leader's: dispatchers run only there). */
  state(): Readonly<ClusterState>;
  /** The client towards `nodeId` (throws NodeUnavailableError for a node the state no longer has). */
  client(nodeId: string): NodeClient;
  /** Commits a command through Raft; resolves once applied here. */
  propose(command: ClusterCommand): Promise<unknown>;
  /** Hears every applied entry (the dispatchers wake up on new entries and topology changes). */
  onApplied(listener: () => void): () => void;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly limits: DispatchLimits;
  /** Hears that `nodeId` enqueued its part of these entries (the `quorum` ack mode); absent: nobody listens. */
  enqueued?(nodeId: string, logIndexes: readonly number[]): void;
}
