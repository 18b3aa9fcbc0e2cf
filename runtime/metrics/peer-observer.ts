// Builds a running peer's metrics (peer-metrics.ts) and feeds them from the
// peer: Raft readings from the driver the host runs now (last readings kept
// while it restarts), leader changes and driver failures from the host's
// driver events, node health and the cluster state from the peer services,
// and the sizes of the log entries nodes still owe from the driver's log.
// runtime/peer/peer.ts calls it once per peer runtime.
import { LogCompactedError } from '../errors.ts';
import { entrySizeBytes } from '../raft/log.ts';
import type { DriverHost } from '../peer/driver-host.ts';
import type { PeerServices } from '../peer/services.ts';
import type { ClusterStateMachine } from '../peer/state-machine.ts';
import { createPeerMetrics, type PeerMetrics } from './peer-metrics.ts';
import type { RaftSample } from './raft-metrics.ts';

export interface ObservedPeer {
  readonly host: DriverHost;
  readonly stateMachine: ClusterStateMachine;
  /** The peer's services; read at scrape time only (they are built after the metrics). */
  services(): PeerServices;
}

function raftSample(peer: ObservedPeer): RaftSample {
  const view = peer.services().raft();
  const status = peer.host.driver?.status() ?? null;
  return {
    term: view.term,
    commit: view.commit,
    applied: view.applied,
    isLeader: view.role === 'leader',
    driver: status === null ? null : { lastIndex: status.lastIndex, snapshotIndex: status.snapshotIndex, proposalsPending: status.proposalsPending },
  };
}

/** The size of one committed entry, when this peer's log still holds it and a driver runs. */
function entryBytes(host: DriverHost, logIndex: number): number | undefined {
  try {
    const entry = host.driver?.readCommitted(logIndex, 1)[0];
    return entry?.index === logIndex ? entrySizeBytes(entry) : undefined;
  } catch (error) {
    if (error instanceof LogCompactedError) return undefined;
    throw error;
  }
}

/** The peer's metrics, subscribed to its driver host's events for the peer's life. */
export function observePeer(peer: ObservedPeer): PeerMetrics {
  const metrics = createPeerMetrics(
    {
      state: () => peer.stateMachine.state,
      isNodeHealthy: (nodeId) => peer.services().isNodeHealthy(nodeId),
      entryBytes: (logIndex) => entryBytes(peer.host, logIndex),
      raft: () => raftSample(peer),
    },
    { processMetrics: true },
  );
  peer.host.subscribe((event) => {
    if (event.type === 'raft.leader.changed') metrics.raft.leaderChanged();
    else if (event.type === 'raft.failed') metrics.raft.driverFailed();
  });
  return metrics;
}
