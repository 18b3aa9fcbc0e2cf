// Builds a running peer's metrics (peer-metrics.ts) and feeds them from the
// peer: Raft readings from the driver the host runs now (last readings kept
// while it restarts), leader changes and driver failures from the host's
// driver events, node health and the cluster state from the peer services,
// and the payload size of every applied entry for the dispatcher lag.
// runtime/peer/peer.ts calls it once per peer runtime.
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

/** The peer's metrics, subscribed to its driver host and state machine for the peer's life. */
export function observePeer(peer: ObservedPeer): PeerMetrics {
  const metrics = createPeerMetrics(
    {
      state: () => peer.stateMachine.state,
      isNodeHealthy: (nodeId) => peer.services().isNodeHealthy(nodeId),
      raft: () => raftSample(peer),
    },
    { processMetrics: true },
  );
  peer.host.subscribe((event) => {
    if (event.type === 'raft.leader.changed') metrics.raft.leaderChanged();
    else if (event.type === 'raft.failed') metrics.raft.driverFailed();
  });
  peer.stateMachine.onApplied((index, _command, _result, entryBytes) => metrics.entryBytes.applied(peer.stateMachine.state, index, entryBytes));
  peer.stateMachine.onRestored((state) => metrics.entryBytes.prune(state));
  return metrics;
}
