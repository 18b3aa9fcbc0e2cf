// Elections (Raft §5.2, thesis §9.6 for pre-vote): the election timer of
// followers and candidates, campaigning, granting votes, and the candidate's
// step handler that counts them.
import { unreachable } from '../assert.ts';
import type { RaftCore } from './core.ts';
import { voteResult } from './quorum.ts';
import type { RaftMessage } from './types.ts';

/** Followers and candidates: start an election when no leader was heard from in time. */
export function tickElection(core: RaftCore): void {
  core.electionElapsed++;
  if (core.promotable() && core.electionElapsed >= core.randomizedElectionTimeout) {
    core.electionElapsed = 0;
    core.startElection(false);
  }
}

/**
 * Pre-vote asks for votes at term+1 without touching term or vote, so a peer
 * cut off from the majority cannot inflate the term and depose a healthy
 * leader when it returns. A real vote increments the term first.
 */
export function campaign(core: RaftCore, kind: 'preVote' | 'vote', transfer: boolean): void {
  if (kind === 'preVote') core.becomePreCandidate();
  else core.becomeCandidate();
  const voteTerm = kind === 'preVote' ? core.term + 1 : core.term;
  if (recordVote(core, core.id, true)) return;
  const lastLogIndex = core.log.lastIndex();
  const lastLogTerm = core.log.lastTerm();
  for (const voter of core.conf.voters) {
    if (voter === core.id) continue;
    if (kind === 'preVote') {
      core.send({ kind: 'raft.preVote', to: voter, term: voteTerm, lastLogIndex, lastLogTerm });
    } else {
      core.send({ kind: 'raft.vote', to: voter, term: voteTerm, lastLogIndex, lastLogTerm, transfer });
    }
  }
}

/** Records a vote; true when it decided the election (and the role changed accordingly). */
function recordVote(core: RaftCore, from: string, granted: boolean): boolean {
  if (!core.votes.has(from)) core.votes.set(from, granted);
  const result = voteResult(core.conf.voters, core.votes);
  if (result === 'pending') return false;
  if (result === 'lost') {
    core.becomeFollower(core.term, null);
  } else if (core.role === 'preCandidate') {
    campaign(core, 'vote', false);
  } else {
    core.becomeLeader();
  }
  return true;
}

/** §5.2, §5.4.1: one vote per term, only for a candidate whose log is at least as up to date. */
export function handleVoteRequest(core: RaftCore, m: Extract<RaftMessage, { kind: 'raft.vote' | 'raft.preVote' }>): void {
  const isPre = m.kind === 'raft.preVote';
  const canVote =
    core.vote === m.from ||
    (core.vote === null && core.lead === null) ||
    // A pre-vote for a future term binds nothing, so it may be granted freely.
    (isPre && m.term > core.term);
  const granted = canVote && core.log.isUpToDate(m.lastLogIndex, m.lastLogTerm);
  // A granted answer carries the asked term so the candidate counts it; a
  // refusal carries ours so a stale candidate learns it is behind.
  const term = granted ? m.term : core.term;
  if (isPre) {
    core.send({ kind: 'raft.preVoteResponse', to: m.from, term, granted });
    return;
  }
  if (granted) {
    core.electionElapsed = 0;
    core.vote = m.from;
  }
  core.send({ kind: 'raft.voteResponse', to: m.from, term, granted });
}

/** Pre-candidates and candidates: count votes, and yield to a leader of the current term. */
export function stepCandidate(core: RaftCore, m: RaftMessage): void {
  switch (m.kind) {
    case 'raft.append':
    case 'raft.heartbeat':
    case 'raft.snapshot':
      core.becomeFollower(m.term, m.from);
      core.stepRole(core, m);
      return;
    case 'raft.preVoteResponse':
      if (core.role === 'preCandidate') recordVote(core, m.from, m.granted);
      return;
    case 'raft.voteResponse':
      if (core.role === 'candidate') recordVote(core, m.from, m.granted);
      return;
    case 'raft.appendResponse':
    case 'raft.heartbeatResponse':
    case 'raft.timeoutNow':
    case 'raft.vote':
    case 'raft.preVote':
    case 'raft.readIndex':
    case 'raft.readIndexResponse':
      return;
    default:
      unreachable(m, 'unknown message');
  }
}

/**
 * A message from a newer term: adopt the term and follow, except that a
 * (pre-)vote request within the check-quorum lease is ignored (thesis §4.2.3:
 * a peer that heard from a live leader within the election timeout ignores
 * disruptive candidates, unless leadership is being transferred), and
 * pre-vote traffic never changes the term. Returns whether to go on stepping.
 */
export function acceptHigherTerm(core: RaftCore, m: RaftMessage): boolean {
  if (m.kind === 'raft.vote' || m.kind === 'raft.preVote') {
    const transfer = m.kind === 'raft.vote' && m.transfer;
    const inLease = core.config.checkQuorum && core.lead !== null && core.electionElapsed < core.config.electionTicks;
    if (inLease && !transfer) return false;
  }
  if (m.kind === 'raft.preVote' || (m.kind === 'raft.preVoteResponse' && m.granted)) return true;
  const fromLeader = m.kind === 'raft.append' || m.kind === 'raft.heartbeat' || m.kind === 'raft.snapshot';
  core.becomeFollower(m.term, fromLeader ? m.from : null);
  return true;
}
