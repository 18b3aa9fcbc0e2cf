// The follower's side of replication (Raft §5.3, §7): appending with the
// consistency check and a back-tracking hint, heartbeats that advance the
// commit index, installing snapshots, and answering stale-term messages.
import { unreachable } from '../assert.ts';
import type { RaftCore } from './core.ts';
import type { RaftMessage } from './types.ts';

type Msg<K extends RaftMessage['kind']> = Extract<RaftMessage, { kind: K }>;

export function stepFollower(core: RaftCore, m: RaftMessage): void {
  switch (m.kind) {
    case 'raft.append':
      hearFromLeader(core, m.from);
      handleAppend(core, m);
      return;
    case 'raft.heartbeat':
      hearFromLeader(core, m.from);
      handleHeartbeat(core, m);
      return;
    case 'raft.snapshot':
      hearFromLeader(core, m.from);
      handleSnapshot(core, m);
      return;
    case 'raft.timeoutNow':
      // Leadership transfer (thesis §3.10): campaign now, skipping pre-vote.
      core.startElection(true);
      return;
    case 'raft.appendResponse':
    case 'raft.heartbeatResponse':
    case 'raft.voteResponse':
    case 'raft.preVoteResponse':
    case 'raft.vote':
    case 'raft.preVote':
    case 'raft.readIndex':
    case 'raft.readIndexResponse':
      return;
    default:
      unreachable(m, 'unknown message');
  }
}

function hearFromLeader(core: RaftCore, leader: string): void {
  core.electionElapsed = 0;
  core.lead = leader;
}

export function handleAppend(core: RaftCore, m: Msg<'raft.append'>): void {
  const log = core.log;
  if (m.prevLogIndex < log.committed) {
    // Everything up to our commit index is known to match: say so.
    core.send({ kind: 'raft.appendResponse', to: m.from, success: true, index: log.committed, rejectHint: null });
    return;
  }
  const lastNew = log.maybeAppend(m.prevLogIndex, m.prevLogTerm, m.commit, m.entries);
  if (lastNew !== null) {
    core.send({ kind: 'raft.appendResponse', to: m.from, success: true, index: lastNew, rejectHint: null });
    return;
  }
  // Fast back-tracking: tell the leader the last index at or before the probe
  // whose term is not newer than the probe's term, so it skips a whole term.
  const hint = log.findConflictByTerm(Math.min(m.prevLogIndex, log.lastIndex()), m.prevLogTerm);
  core.send({ kind: 'raft.appendResponse', to: m.from, success: false, index: m.prevLogIndex, rejectHint: hint });
}

export function handleHeartbeat(core: RaftCore, m: Msg<'raft.heartbeat'>): void {
  core.log.commitTo(m.commit);
  core.send({ kind: 'raft.heartbeatResponse', to: m.from, context: m.context });
}

export function handleSnapshot(core: RaftCore, m: Msg<'raft.snapshot'>): void {
  const { index, term } = m.snapshot.meta;
  const log = core.log;
  if (index <= log.committed) {
    core.send({ kind: 'raft.appendResponse', to: m.from, success: true, index: log.committed, rejectHint: null });
    return;
  }
  if (log.matchTerm(index, term)) {
    // We already hold the snapshot's entries: fast-forward the commit instead.
    log.commitTo(index);
  } else {
    log.restore(m.snapshot);
    core.restoreConf(m.snapshot);
  }
  // Only the committed prefix is known to match the leader; entries after it
  // may be leftovers of an older term, so they are not acknowledged.
  core.send({ kind: 'raft.appendResponse', to: m.from, success: true, index: log.committed, rejectHint: null });
}

/**
 * A message from an older term is ignored, except that a stale leader's
 * append or heartbeat is answered with our term so it steps down (needed with
 * check-quorum or pre-vote, where a partitioned peer's term does not rise),
 * and a stale pre-vote is refused explicitly so the pre-candidate moves on.
 */
export function rejectStaleTerm(core: RaftCore, m: RaftMessage): void {
  const checksLiveness = core.config.checkQuorum || core.config.preVote;
  if (checksLiveness && (m.kind === 'raft.append' || m.kind === 'raft.heartbeat')) {
    core.send({ kind: 'raft.appendResponse', to: m.from, success: false, index: 0, rejectHint: null });
  } else if (m.kind === 'raft.preVote') {
    core.send({ kind: 'raft.preVoteResponse', to: m.from, granted: false });
  }
}
