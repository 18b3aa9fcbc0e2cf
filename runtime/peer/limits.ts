// Bounds and timeouts of a running peer that the config schema does not hold
// yet (STYLE G14: every bound is named). They belong in
// runtime/config/schema.ts; until that file grows them, they live here, in
// one place, derived from the Raft tunables where time matters.
import type { PeerConfig } from '../config/schema.ts';

const MiB = 1024 * 1024;

export interface PeerLimits {
  /** Driver: proposals waiting for their apply. */
  proposalsPendingMax: number;
  proposalTimeoutMs: number;
  readsPendingMax: number;
  readTimeoutMs: number;
  incomingMessagesMax: number;
  /** How long propose()/syncRead() wait for a leader to be known before NotLeaderError. */
  leaderWaitMs: number;
  /** Mesh. A frame must hold an append of maxSizePerMsgBytes and a whole snapshot. */
  frameBytesMax: number;
  sendBufferBytesMax: number;
  handshakeTimeoutMs: number;
  pingIntervalMs: number;
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  requestTimeoutMs: number;
  requestsPendingMax: number;
  /** How long POST /_miroir/peers waits for a new learner's log to catch up before leaving it a learner. */
  memberCatchUpTimeoutMs: number;
  /** How long the mesh keeps the link to a peer removed from the cluster (answers in flight to it). */
  removedPeerGraceMs: number;
}

export function peerLimits(config: PeerConfig): PeerLimits {
  const electionMs = config.raft.electionTicks * config.raft.tickMs;
  return {
    proposalsPendingMax: config.raft.maxUncommittedEntries,
    // Long enough to ride out one election (at most 2 × the election timeout) plus a commit.
    proposalTimeoutMs: Math.max(5_000, 4 * electionMs),
    readsPendingMax: 4_096,
    readTimeoutMs: Math.max(2_000, 3 * electionMs),
    incomingMessagesMax: 10_000,
    leaderWaitMs: Math.max(1_000, 4 * electionMs),
    frameBytesMax: Math.max(64 * MiB, 4 * config.raft.maxSizePerMsgBytes),
    sendBufferBytesMax: Math.max(64 * MiB, 4 * config.raft.maxSizePerMsgBytes),
    handshakeTimeoutMs: 5_000,
    pingIntervalMs: Math.max(1_000, electionMs),
    reconnectBaseMs: Math.max(20, config.raft.tickMs),
    reconnectMaxMs: Math.max(1_000, electionMs),
    requestTimeoutMs: Math.max(5_000, 4 * electionMs),
    requestsPendingMax: 10_000,
    memberCatchUpTimeoutMs: Math.max(60_000, 20 * electionMs),
    removedPeerGraceMs: Math.max(1_000, electionMs),
  };
}
