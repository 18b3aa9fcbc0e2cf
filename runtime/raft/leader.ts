// The leader (Raft §5.3, §5.4.2, §6.2, §7; thesis §3.10, §6.4): appending
// proposals, replicating with batching and pipelining under per-follower flow
// control (progress.ts), fast back-tracking on rejection, committing only
// entries of its own term by counting, heartbeats, check-quorum, snapshots
// for followers behind the compaction point, leadership transfer and
// ReadIndex.
import { assert, unreachable } from '../assert.ts';
import { NotLeaderError, ProposalDroppedError } from '../errors.ts';
import type { PendingRead, RaftCore } from './core.ts';
import { members, refusal } from './membership.ts';
import { committedIndex, hasQuorum } from './quorum.ts';
import type { ConfChange, EntryPayload, PeerId, ProposalReceipt, RaftMessage } from './types.ts';

type Msg<K extends RaftMessage['kind']> = Extract<RaftMessage, { kind: K }>;

function checkCanPropose(core: RaftCore): void {
  if (core.role !== 'leader') throw new NotLeaderError(core.lead);
  if (core.leadTransferee !== null) throw new ProposalDroppedError(`leadership transfer to ${core.leadTransferee}`);
  if (core.log.lastIndex() - core.log.committed >= core.config.maxUncommittedEntries) {
    throw new ProposalDroppedError(`${core.config.maxUncommittedEntries} entries already uncommitted`);
  }
}

/** Appends a proposal and sends it out; throws NotLeaderError or ProposalDroppedError. */
export function propose(core: RaftCore, payload: EntryPayload): ProposalReceipt {
  checkCanPropose(core);
  const index = appendEntry(core, payload);
  bcastAppend(core);
  return { index, term: core.term };
}

/** Thesis §4.1: one membership change at a time, each adding or removing one server. */
export function proposeConfChange(core: RaftCore, change: ConfChange): ProposalReceipt {
  checkCanPropose(core);
  if (core.pendingConfIndex > core.log.applied) throw new ProposalDroppedError('a membership change is still pending');
  const why = refusal(core.conf, change);
  if (why !== null) throw new ProposalDroppedError(why);
  const receipt = propose(core, { kind: 'conf', change });
  core.pendingConfIndex = receipt.index;
  return receipt;
}

/** Appends one entry of the current term to the leader's log; returns its index. */
export function appendEntry(core: RaftCore, payload: EntryPayload): number {
  const index = core.log.lastIndex() + 1;
  core.log.append([{ index, term: core.term, payload }]);
  core.progress.get(core.id)?.maybeUpdate(index);
  // A single voter commits on its own; the caller broadcasts either way.
  maybeCommit(core);
  return index;
}

/** Recomputes the commit index from the voters' matches; true when it moved. */
function maybeCommit(core: RaftCore): boolean {
  if (!core.log.maybeCommit(committedIndex(core.conf.voters, core.progress), core.term)) return false;
  releasePendingReads(core);
  return true;
}

/** Recomputes the commit index; when it moved, tells everyone. */
export function maybeCommitAndBroadcast(core: RaftCore): boolean {
  if (!maybeCommit(core)) return false;
  bcastAppend(core);
  return true;
}

export function bcastAppend(core: RaftCore): void {
  for (const peer of core.progress.keys()) {
    if (peer !== core.id) sendAppend(core, peer, true);
  }
}

/**
 * Sends `to` the entries after its `next` (one message, bounded by
 * maxSizePerMsgBytes), or a snapshot when those entries were compacted.
 * Returns whether a message went out.
 */
export function sendAppend(core: RaftCore, to: PeerId, sendIfEmpty: boolean): boolean {
  const pr = core.progress.get(to);
  if (pr === undefined || pr.isPaused()) return false;
  const log = core.log;
  const prevLogIndex = pr.next - 1;
  const prevLogTerm = log.term(prevLogIndex);
  const entries = prevLogTerm === null ? null : log.slice(pr.next, log.lastIndex() + 1, core.config.maxSizePerMsgBytes);
  if (prevLogTerm === null || entries === null) {
    const snapshot = core.snapshot;
    assert(snapshot !== null, 'entries were compacted, so a snapshot exists');
    core.send({ kind: 'raft.snapshot', to, snapshot });
    pr.becomeSnapshot(snapshot.meta.index);
    return true;
  }
  if (entries.length === 0 && !sendIfEmpty) return false;
  core.send({ kind: 'raft.append', to, prevLogIndex, prevLogTerm, entries, commit: log.committed });
  const last = entries[entries.length - 1];
  if (pr.state === 'replicate' && last !== undefined) {
    pr.optimisticUpdate(last.index);
    pr.inflights.add(last.index);
  } else if (pr.state === 'probe') {
    pr.probeSent = true;
  }
  return true;
}

function bcastHeartbeat(core: RaftCore, context: string | null): void {
  for (const [peer, pr] of core.progress) {
    if (peer === core.id) continue;
    // Never let a follower commit past what it is known to hold.
    const commit = Math.min(pr.match, core.log.committed);
    core.send({ kind: 'raft.heartbeat', to: peer, commit, context });
  }
}

export function sendTimeoutNow(core: RaftCore, to: PeerId): void {
  core.send({ kind: 'raft.timeoutNow', to });
}

export function tickLeader(core: RaftCore): void {
  core.heartbeatElapsed++;
  core.electionElapsed++;
  if (core.electionElapsed >= core.config.electionTicks) {
    core.electionElapsed = 0;
    if (core.config.checkQuorum && !quorumActive(core)) {
      // §6.2 / thesis §9.6 check-quorum: a leader cut off from a majority steps down.
      core.becomeFollower(core.term, null);
      return;
    }
    // A transfer that did not finish within an election timeout is abandoned.
    core.leadTransferee = null;
  }
  for (const pr of core.progress.values()) {
    if (pr.state === 'snapshot') pr.snapshotTicks++;
  }
  if (core.heartbeatElapsed >= core.config.heartbeatTicks) {
    core.heartbeatElapsed = 0;
    bcastHeartbeat(core, core.readOnly.lastContext());
  }
}

/** Whether a majority of voters was heard from since the last check; resets the marks. */
function quorumActive(core: RaftCore): boolean {
  const active = new Set<PeerId>();
  for (const [peer, pr] of core.progress) {
    if (peer === core.id || pr.recentActive) active.add(peer);
    if (peer !== core.id) pr.recentActive = false;
  }
  return hasQuorum(core.conf.voters, active);
}

export function stepLeader(core: RaftCore, m: RaftMessage): void {
  switch (m.kind) {
    case 'raft.appendResponse':
      handleAppendResponse(core, m);
      return;
    case 'raft.heartbeatResponse':
      handleHeartbeatResponse(core, m);
      return;
    case 'raft.append':
    case 'raft.heartbeat':
    case 'raft.snapshot':
      assert(false, `two leaders in term ${core.term}: ${core.id} and ${m.from}`);
      return;
    case 'raft.voteResponse':
    case 'raft.preVoteResponse':
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

function handleAppendResponse(core: RaftCore, m: Msg<'raft.appendResponse'>): void {
  const pr = core.progress.get(m.from);
  if (pr === undefined) return;
  pr.recentActive = true;
  if (!m.success) {
    const hint = m.rejectHint;
    // The follower's hint names its last index at or before the probe with a
    // term <= the probe's; skip back over our entries of newer terms as well.
    const matchHint = hint === null ? m.index - 1 : hint.term > 0 ? core.log.findConflictByTerm(hint.index, hint.term).index : hint.index;
    if (pr.maybeDecrTo(m.index, matchHint)) {
      if (pr.state === 'replicate') pr.becomeProbe();
      sendAppend(core, m.from, true);
    }
    return;
  }
  assert(m.index <= core.log.lastIndex(), `${m.from} acknowledged ${m.index} beyond the leader's last index`);
  const wasPaused = pr.isPaused();
  if (!pr.maybeUpdate(m.index)) return;
  if (pr.state === 'probe') pr.becomeReplicate();
  else if (pr.state === 'snapshot' && pr.match >= pr.pendingSnapshot) {
    pr.becomeProbe();
    pr.becomeReplicate();
  } else if (pr.state === 'replicate') pr.inflights.freeLE(m.index);
  if (!maybeCommitAndBroadcast(core) && wasPaused) sendAppend(core, m.from, true);
  // Fill the pipeline.
  while (sendAppend(core, m.from, false)) {
    // each call sends one batch
  }
  if (m.from === core.leadTransferee && pr.match === core.log.lastIndex()) sendTimeoutNow(core, m.from);
}

function handleHeartbeatResponse(core: RaftCore, m: Msg<'raft.heartbeatResponse'>): void {
  const pr = core.progress.get(m.from);
  if (pr === undefined) return;
  pr.recentActive = true;
  pr.probeSent = false;
  // A snapshot that stays unacknowledged for an election timeout was probably
  // lost: fall back to probing, which resends it if still needed.
  if (pr.state === 'snapshot' && pr.snapshotTicks >= core.config.electionTicks) pr.becomeProbe();
  if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirstOne();
  if (pr.match < core.log.lastIndex()) sendAppend(core, m.from, true);
  if (m.context === null || core.conf.voters.length === 0) return;
  const acks = core.readOnly.recvAck(m.from, m.context);
  if (acks === null || !hasQuorum(core.conf.voters, acks)) return;
  for (const request of core.readOnly.advance(m.context)) answerRead(core, request, request.index);
}

/**
 * Thesis §6.4: the read point is the commit index, valid once the leader has
 * committed an entry of its term and confirmed it still leads.
 */
export function handleReadIndex(core: RaftCore, read: PendingRead): void {
  if (core.conf.voters.length === 1 && core.conf.voters[0] === core.id) {
    answerRead(core, read, core.log.committed);
    return;
  }
  if (core.readOnly.full() || core.pendingReads.length >= core.readOnly.maxPending) return;
  if (core.log.term(core.log.committed) !== core.term) {
    core.pendingReads.push(read);
    return;
  }
  const added = core.readOnly.add({ ...read, index: core.log.committed, acks: new Set([core.id]) });
  // The confirming heartbeat round goes out with the next Ready, once for all
  // reads queued until then: its context is the newest request's, and a
  // quorum for it confirms every request before it too.
  if (added) core.readRoundPending = true;
}

/** Sends the heartbeat round that confirms the reads queued since the last Ready. */
export function flushReadRound(core: RaftCore): void {
  if (!core.readRoundPending) return;
  core.readRoundPending = false;
  if (core.role === 'leader') bcastHeartbeat(core, core.readOnly.lastContext());
}

function releasePendingReads(core: RaftCore): void {
  if (core.pendingReads.length === 0 || core.log.term(core.log.committed) !== core.term) return;
  const reads = core.pendingReads;
  core.pendingReads = [];
  for (const read of reads) handleReadIndex(core, read);
}

function answerRead(core: RaftCore, read: PendingRead, index: number): void {
  if (read.from === core.id) core.readStates.push({ index, requestId: read.requestId });
  else core.send({ kind: 'raft.readIndexResponse', to: read.from, requestId: read.requestId, index });
}

/** Thesis §3.10: catch the transferee up, then tell it to campaign at once. */
export function startTransfer(core: RaftCore, to: PeerId): void {
  if (to === core.id || to === core.leadTransferee) return;
  if (!core.conf.voters.includes(to)) throw new ProposalDroppedError(`transferee ${to} is not a voter`);
  const pr = core.progress.get(to);
  assert(pr !== undefined, 'a voter has progress on the leader');
  // The transfer must finish within an election timeout or be abandoned (tickLeader).
  core.electionElapsed = 0;
  core.leadTransferee = to;
  if (pr.match === core.log.lastIndex()) sendTimeoutNow(core, to);
  else sendAppend(core, to, true);
}

/** Brings the leader's Progress map in line with a membership change it applied. */
export function leaderAppliedConfChange(core: RaftCore): void {
  const now = members(core.conf);
  for (const peer of [...core.progress.keys()]) {
    if (!now.includes(peer)) core.progress.delete(peer);
  }
  const added: PeerId[] = [];
  for (const peer of now) {
    const pr = core.progress.get(peer);
    if (pr === undefined) {
      added.push(peer);
      core.addProgress(peer);
    } else {
      pr.isLearner = !core.conf.voters.includes(peer);
    }
  }
  if (core.leadTransferee !== null && !core.conf.voters.includes(core.leadTransferee)) core.leadTransferee = null;
  // A smaller quorum may commit more right away; otherwise probe new members
  // now rather than a heartbeat later, and top up anyone behind.
  if (maybeCommitAndBroadcast(core)) return;
  for (const peer of core.progress.keys()) {
    if (peer !== core.id) sendAppend(core, peer, added.includes(peer));
  }
}
