// What a running peer offers to its HTTP edge (api/) and to its actors: the
// seam between "a Raft peer with a replica of the cluster state" (built by
// runtime/peer/ and actors/) and "the Meilisearch API on top of it" (api/).
// The edge never touches Raft, LevelDB or sockets; it reads the local replica,
// proposes commands, and talks to nodes through the node clients.
//
// Consistency contract:
// - `state()` is this peer's replica; it may trail the leader by a little.
// - `propose()` resolves only once the command is applied on THIS peer, so a
//   client that wrote through a peer reads its own write from that peer
//   (e.g. GET /tasks/{uid} right after the 202).
// - `syncRead()` (ReadIndex) makes the replica at least as new as everything
//   committed before the call; the edge uses it before answering "not found"
//   for something another peer may just have created (a task uid, an index).
import type { Clock, Rng } from '../env/clock.ts';
import type { PeerConfig } from '../config/schema.ts';
import type { ClusterState } from '../cluster/state.ts';
import type { ClusterCommand } from '../cluster/commands.ts';
import type { ApplyResult } from '../cluster/apply-result.ts';
import type { Router } from '../routing/router.ts';
import type { NodeClient } from '../../transport/node-client/node-client.ts';
import type { PeerId, Role } from '../raft/types.ts';
import type { NodeHealthReport } from '../health/view.ts';
import type { SearchMetrics } from '../metrics/search-metrics.ts';
import type { WriteQuorum } from '../writes/write-quorum.ts';
import type { MembershipAnswer, MembershipOp } from './membership.ts';

export interface RaftView {
  role: Role;
  term: number;
  leader: PeerId | null;
  commit: number;
  applied: number;
}

export interface PeerServices {
  readonly peerId: string;
  readonly config: PeerConfig;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly router: Router;
  /** This peer's replica of the cluster state. Callers must not mutate it. */
  state(): Readonly<ClusterState>;
  /**
   * Commits `command` through the Raft log, forwarding it to the leader when
   * this peer is not the leader, and resolves with its apply result once it is
   * applied here. Rejects with NotLeaderError / ProposalDroppedError /
   * TimeoutError / OverloadedError (runtime/errors.ts); the edge answers those
   * with a retriable 503.
   */
  propose(command: ClusterCommand): Promise<ApplyResult>;
  /** Resolves once this peer applied everything committed before the call. */
  syncRead(): Promise<void>;
  /**
   * The `quorum` write acknowledgement wait (runtime/writes/write-quorum.ts);
   * absent in edge test harnesses that run no dispatchers.
   */
  readonly writeQuorum?: WriteQuorum;
  /** The client towards a node of the cluster state (throws for an unknown id). */
  node(nodeId: string): NodeClient;
  /** Whether searches may be routed to the node now. */
  isNodeHealthy(nodeId: string): boolean;
  /** The merged health observation routing follows for the node, null when none is fresh (absent: no health view). */
  nodeHealth?(nodeId: string): NodeHealthReport | null;
  /** Round-robin counter for the group a search uses (per peer). */
  nextSearchCounter(): number;
  raft(): RaftView;
  /** Where the read path reports fan-out and node latencies (runtime/metrics/); absent in edge test harnesses. */
  readonly metrics?: SearchMetrics;
  /** Raft membership operations behind /_miroir/peers (runtime/peer/membership.ts); absent in edge test harnesses. */
  readonly membership?: { run(op: MembershipOp): Promise<MembershipAnswer> };
}
