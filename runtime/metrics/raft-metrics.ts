// This peer's Raft progress (issue 6 §1): term, commit and apply indexes,
// last and snapshot indexes, pending proposals and whether it leads, read
// from the running driver at each scrape; leader changes and driver failures
// counted from the driver's events (runtime/raft/driver.ts), which the peer
// forwards through `RaftEvents`.
import { Counter, Gauge, type Registry } from 'prom-client';

export interface RaftSample {
  readonly term: number;
  readonly commit: number;
  readonly applied: number;
  readonly isLeader: boolean;
  /** From the running driver; null while none runs (starting, restarting). */
  readonly driver: { readonly lastIndex: number; readonly snapshotIndex: number; readonly proposalsPending: number } | null;
}

export interface RaftEvents {
  /** The leader this peer knows changed (a new leader, or none). */
  leaderChanged(): void;
  /** The driver failed; its supervisor restarts it from the log. */
  driverFailed(): void;
}

type Read = (sample: RaftSample) => number | null;

/** Gauges set at each scrape; a null reading (no driver running) keeps the last value seen. */
const GAUGES: readonly { name: string; help: string; read: Read }[] = [
  { name: 'miroir_raft_term', help: 'Current Raft term of this peer.', read: (s) => s.term },
  { name: 'miroir_raft_commit_index', help: 'Highest log index this peer knows to be committed.', read: (s) => s.commit },
  { name: 'miroir_raft_applied_index', help: 'Highest log index applied to this peer\'s cluster state.', read: (s) => s.applied },
  { name: 'miroir_raft_last_log_index', help: 'Last index of this peer\'s Raft log.', read: (s) => s.driver?.lastIndex ?? null },
  { name: 'miroir_raft_snapshot_index', help: 'Log index of this peer\'s latest snapshot.', read: (s) => s.driver?.snapshotIndex ?? null },
  { name: 'miroir_raft_proposals_pending', help: 'Proposals waiting for their commit on this peer.', read: (s) => s.driver?.proposalsPending ?? null },
  { name: 'miroir_raft_is_leader', help: '1 when this peer is the Raft leader, else 0.', read: (s) => (s.isLeader ? 1 : 0) },
  { name: 'miroir_raft_driver_running', help: '1 while a Raft driver runs on this peer, 0 while it starts or restarts.', read: (s) => (s.driver === null ? 0 : 1) },
];

export function registerRaftMetrics(registry: Registry, sample: () => RaftSample): RaftEvents {
  for (const { name, help, read } of GAUGES) {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect(this: Gauge) {
        const value = read(sample());
        if (value !== null) this.set(value);
      },
    });
  }
  const leaderChanges = new Counter({
    name: 'miroir_raft_leader_changes_total',
    help: 'Times the leader this peer knows changed (elections seen, including losing the leader).',
    registers: [registry],
  });
  const failures = new Counter({
    name: 'miroir_raft_driver_failures_total',
    help: 'Raft driver failures on this peer (each followed by a restart from the log).',
    registers: [registry],
  });
  return { leaderChanged: () => leaderChanges.inc(), driverFailed: () => failures.inc() };
}
