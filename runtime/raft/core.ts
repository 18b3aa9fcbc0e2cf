// The deterministic Raft core (STYLE G3, G4): a plain class that changes only
// its own fields. It takes ticks, messages and proposals and hands back, in a
// Ready, what to persist, send and apply; it does no I/O, reads no clock and
// draws randomness only from the injected Rng. Role-specific behaviour lives
// in election.ts (follower, pre-candidate, candidate) and leader.ts; a role
// change swaps the step and tick handlers, and an illegal change (follower or
// pre-candidate straight to leader, leader to candidate) fails an assertion.
//
// Ready protocol: after ready() the driver persists hardState, entries and
// snapshot (fsync when mustSync), then sends messages, then applies committed
// entries and the snapshot, then calls advance(ready). Until advance(),
// hasReady() is false and ready() must not be called again.
//
// Membership changes take effect when applied (see membership.ts). Every
// peer replays membership changes from its snapshot (or from index 1 on top
// of PersistedState.confState), so a peer that joins later must be started
// with the founders' bootstrap membership, not an empty one.
// On restart, `applied` starts at the restored snapshot's index: the
// application restores its state machine from PersistedState.snapshot and is
// handed every committed entry after it again.
import { assert } from '../assert.ts';
import { NotLeaderError } from '../errors.ts';
import type { Rng } from '../env/clock.ts';
import { acceptHigherTerm, campaign, handleVoteRequest, stepCandidate, tickElection } from './election.ts';
import { rejectStaleTerm, stepFollower } from './follower.ts';
import {
  appendEntry,
  bcastAppend,
  flushReadRound,
  handleReadIndex,
  leaderAppliedConfChange,
  propose,
  proposeConfChange,
  startTransfer,
  stepLeader,
  tickLeader,
} from './leader.ts';
import { RaftLog } from './log.ts';
import { ConfTracker, cloneConfState, members } from './membership.ts';
import { Progress } from './progress.ts';
import { ReadOnly } from './read-only.ts';
import type {
  ConfChange,
  ConfState,
  Entry,
  HardState,
  PeerId,
  PersistedState,
  ProposalReceipt,
  RaftConfig,
  RaftMessage,
  RaftNode,
  RaftStatus,
  ReadState,
  Ready,
  Role,
  Snapshot,
  SoftState,
} from './types.ts';

/** Bound on read requests a leader queues (G14). */
export const MAX_PENDING_READS = 4096;
/** Bound on committed entries handed out in one Ready (G14). */
export const MAX_COMMITTED_PER_READY = 1024;

type Distribute<T> = T extends unknown ? Omit<T, 'from' | 'term'> & { term?: number } : never;
/** A message as the role handlers write it; send() stamps `from` and the term. */
export type OutgoingMessage = Distribute<RaftMessage>;

export interface PendingRead {
  requestId: string;
  from: PeerId;
}

const legalTransitions: Record<Role, readonly Role[]> = {
  follower: ['follower', 'preCandidate', 'candidate'],
  preCandidate: ['follower', 'preCandidate', 'candidate'],
  candidate: ['follower', 'preCandidate', 'candidate', 'leader'],
  leader: ['follower'],
};

export class RaftCore implements RaftNode {
  readonly id: PeerId;
  readonly config: RaftConfig;
  readonly rng: Rng;
  readonly log: RaftLog;

  term: number;
  vote: PeerId | null;
  lead: PeerId | null = null;
  role: Role = 'follower';
  readonly confs: ConfTracker;
  snapshot: Snapshot | null;

  electionElapsed = 0;
  heartbeatElapsed = 0;
  randomizedElectionTimeout = 0;
  votes = new Map<PeerId, boolean>();
  progress = new Map<PeerId, Progress>();
  leadTransferee: PeerId | null = null;
  /** Index of the latest conf change the leader appended; another waits until it is applied. */
  pendingConfIndex = 0;
  readonly readOnly = new ReadOnly(MAX_PENDING_READS);
  /** Reads that arrived before the leader committed an entry of its term (thesis §6.4 step 1). */
  pendingReads: PendingRead[] = [];
  /** Reads were queued since the last Ready: a confirming heartbeat round is due. */
  readRoundPending = false;

  msgs: RaftMessage[] = [];
  readStates: ReadState[] = [];
  private prevSoftState: SoftState;
  private prevHardState: HardState;
  private readyOutstanding = false;

  stepRole: (core: RaftCore, m: RaftMessage) => void = stepFollower;
  tickRole: (core: RaftCore) => void = tickElection;

  constructor(config: RaftConfig, restored: PersistedState, rng: Rng) {
    assert(config.electionTicks > config.heartbeatTicks, 'electionTicks must exceed heartbeatTicks');
    assert(config.heartbeatTicks > 0, 'heartbeatTicks must be positive');
    assert(config.maxInflightMessages > 0, 'maxInflightMessages must be positive');
    this.id = config.id;
    this.config = config;
    this.rng = rng;
    this.snapshot = restored.snapshot;
    this.log = new RaftLog(restored.snapshot, restored.entries, restored.hardState.commit);
    this.confs = new ConfTracker(restored.snapshot?.meta.confState ?? restored.confState);
    this.term = restored.hardState.term;
    this.vote = restored.hardState.vote;
    this.prevHardState = { ...restored.hardState, commit: this.log.committed };
    this.prevSoftState = { leader: null, role: 'follower' };
    this.becomeFollower(this.term, null);
  }

  // ---- public surface (RaftNode) ----

  tick(): void {
    this.tickRole(this);
  }

  step(m: RaftMessage): void {
    assert(m.to === this.id, `message for ${m.to} stepped into ${this.id}`);
    if (m.kind === 'raft.readIndex' || m.kind === 'raft.readIndexResponse') {
      // Read requests carry no term obligations: only the current leader answers,
      // and it does so only after confirming its leadership.
      this.stepRead(m);
      return;
    }
    if (m.term > this.term && !acceptHigherTerm(this, m)) return;
    if (m.term < this.term) {
      rejectStaleTerm(this, m);
      return;
    }
    if (m.kind === 'raft.vote' || m.kind === 'raft.preVote') handleVoteRequest(this, m);
    else this.stepRole(this, m);
  }

  propose(data: Uint8Array): ProposalReceipt {
    return propose(this, { kind: 'command', data });
  }

  proposeConfChange(change: ConfChange): ProposalReceipt {
    return proposeConfChange(this, change);
  }

  transferLeadership(to: PeerId): void {
    if (this.role !== 'leader') throw new NotLeaderError(this.lead);
    startTransfer(this, to);
  }

  /** Throws NotLeaderError when no leader is known to forward the request to. */
  readIndex(requestId: string): void {
    if (this.role === 'leader') handleReadIndex(this, { requestId, from: this.id });
    else if (this.lead !== null) this.send({ kind: 'raft.readIndex', to: this.lead, requestId });
    else throw new NotLeaderError(null);
  }

  hasReady(): boolean {
    if (this.readyOutstanding) return false;
    return (
      this.softStateChanged() ||
      this.hardStateChanged() ||
      this.msgs.length > 0 ||
      this.readRoundPending ||
      this.readStates.length > 0 ||
      this.log.stableIndex < this.log.lastIndex() ||
      this.log.pendingSnapshot !== null ||
      this.log.hasNextCommitted()
    );
  }

  ready(): Ready {
    assert(!this.readyOutstanding, 'ready() called again before advance()');
    flushReadRound(this);
    const hardState = this.hardStateChanged() ? this.hardState() : null;
    const softState = this.softStateChanged() ? this.softState() : null;
    const entries = this.log.unstableEntries();
    const snapshot = this.log.pendingSnapshot;
    const rd: Ready = {
      softState,
      hardState,
      entries,
      snapshot,
      messages: this.msgs,
      committed: this.log.nextCommitted(MAX_COMMITTED_PER_READY),
      readStates: this.readStates,
      mustSync: entries.length > 0 || snapshot !== null || this.votingStateChanged(),
    };
    this.msgs = [];
    this.readStates = [];
    if (softState !== null) this.prevSoftState = softState;
    this.readyOutstanding = true;
    return rd;
  }

  advance(rd: Ready): void {
    assert(this.readyOutstanding, 'advance() without ready()');
    this.readyOutstanding = false;
    if (rd.hardState !== null) this.prevHardState = rd.hardState;
    if (rd.snapshot !== null) {
      this.log.stableSnapshotTo(rd.snapshot.meta.index);
      this.log.appliedTo(Math.max(this.log.applied, rd.snapshot.meta.index));
    }
    const last = rd.entries[rd.entries.length - 1];
    if (last !== undefined) this.log.stableTo(last.index, last.term);
    for (const entry of rd.committed) {
      this.log.appliedTo(entry.index);
      if (entry.payload.kind === 'conf') this.applyConfChange(entry.index, entry.payload.change);
    }
  }

  /**
   * The application applied up to `index` and serialized its state machine as
   * `data`: the log before `index` is dropped and the snapshot kept, to be sent
   * to followers that fall behind (§7). The driver persists the returned
   * snapshot itself (LogStore.save with only `snapshot`) — Ready.snapshot is
   * only for snapshots received from a leader, which must be applied.
   */
  compact(index: number, data: Uint8Array): Snapshot {
    if (index <= this.log.snapshotIndex && this.snapshot !== null) return this.snapshot;
    assert(index <= this.log.applied, `compacting ${index} beyond applied ${this.log.applied}`);
    const term = this.log.term(index);
    assert(term !== null, `compaction point ${index} is in the log`);
    const snapshot: Snapshot = { meta: { index, term, confState: this.confs.at(index) }, data };
    this.log.compact(index);
    this.confs.compact(index, snapshot.meta.confState);
    this.snapshot = snapshot;
    return snapshot;
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] | null {
    return this.log.slice(lo, hi, maxBytes);
  }

  status(): RaftStatus {
    return {
      id: this.id,
      term: this.term,
      role: this.role,
      leader: this.lead,
      commit: this.log.committed,
      applied: this.log.applied,
      lastIndex: this.log.lastIndex(),
      confState: cloneConfState(this.conf),
    };
  }

  /** The leader's view of each member's replication, e.g. to promote a learner that caught up. */
  progressOf(peer: PeerId): { match: number; state: Progress['state'] } | null {
    const pr = this.role === 'leader' ? this.progress.get(peer) : undefined;
    return pr === undefined ? null : { match: pr.match, state: pr.state };
  }

  /** A snapshot received from the leader replaces the membership too. */
  restoreConf(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    this.confs.restore(snapshot.meta.confState);
  }

  // ---- role transitions ----

  becomeFollower(term: number, lead: PeerId | null): void {
    this.transition('follower');
    this.reset(term);
    this.lead = lead;
    this.stepRole = stepFollower;
    this.tickRole = tickElection;
  }

  becomePreCandidate(): void {
    // Pre-vote (thesis §9.6) asks for votes at term+1 without changing term or vote.
    this.transition('preCandidate');
    this.votes.clear();
    this.lead = null;
    this.stepRole = stepCandidate;
    this.tickRole = tickElection;
  }

  becomeCandidate(): void {
    this.transition('candidate');
    this.reset(this.term + 1);
    this.vote = this.id;
    this.stepRole = stepCandidate;
    this.tickRole = tickElection;
  }

  becomeLeader(): void {
    this.transition('leader');
    this.reset(this.term);
    this.lead = this.id;
    this.stepRole = stepLeader;
    this.tickRole = tickLeader;
    const self = this.progress.get(this.id);
    if (self !== undefined) self.becomeReplicate();
    // A new leader may not know which of its entries are committed; a config
    // change among them counts as pending until applied.
    this.pendingConfIndex = this.log.lastIndex();
    // §5.4.2 / §8: commit an entry of the new term, which commits the log before it.
    appendEntry(this, { kind: 'command', data: new Uint8Array(0) });
    bcastAppend(this);
  }

  private transition(to: Role): void {
    assert(legalTransitions[this.role].includes(to), `illegal role change ${this.role} -> ${to}`);
    this.role = to;
  }

  private reset(term: number): void {
    assert(term >= this.term, `term went back from ${this.term} to ${term}`);
    if (term !== this.term) {
      this.term = term;
      this.vote = null;
    }
    this.lead = null;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.config.electionTicks + this.rng.int(this.config.electionTicks);
    this.leadTransferee = null;
    this.votes.clear();
    this.resetProgress();
    this.pendingConfIndex = 0;
    this.readOnly.reset();
    this.pendingReads = [];
    this.readRoundPending = false;
  }

  resetProgress(): void {
    this.progress.clear();
    for (const peer of members(this.conf)) this.addProgress(peer);
  }

  addProgress(peer: PeerId): void {
    const pr = new Progress(this.log.lastIndex() + 1, this.config.maxInflightMessages, !this.conf.voters.includes(peer));
    if (peer === this.id) pr.match = this.log.lastIndex();
    pr.recentActive = true;
    this.progress.set(peer, pr);
  }

  // ---- shared helpers for the role handlers ----

  send(m: OutgoingMessage): void {
    // Spreading a union member keeps its kind and fields; TypeScript cannot see
    // that through the spread, hence the cast.
    const message = { ...m, from: this.id, term: m.term ?? this.term } as RaftMessage;
    assert(message.to !== this.id, 'a peer never messages itself');
    this.msgs.push(message);
  }

  /** The membership in effect (changes take effect when applied). */
  get conf(): ConfState {
    return this.confs.current;
  }

  promotable(): boolean {
    return this.conf.voters.includes(this.id);
  }

  hasUnappliedConfChange(): boolean {
    return this.log.unapplied().some((e) => e.payload.kind === 'conf');
  }

  startElection(transfer: boolean): void {
    if (this.role === 'leader' || !this.promotable() || this.hasUnappliedConfChange()) return;
    campaign(this, this.config.preVote && !transfer ? 'preVote' : 'vote', transfer);
  }

  private stepRead(m: Extract<RaftMessage, { kind: 'raft.readIndex' | 'raft.readIndexResponse' }>): void {
    if (m.kind === 'raft.readIndexResponse') {
      this.readStates.push({ index: m.index, requestId: m.requestId });
    } else if (this.role === 'leader') {
      handleReadIndex(this, { requestId: m.requestId, from: m.from });
    }
  }

  private applyConfChange(index: number, change: ConfChange): void {
    this.confs.apply(index, change);
    if (this.role !== 'leader') return;
    if (!this.conf.voters.includes(this.id)) {
      // The leader removed itself: it steps down once the change is applied (thesis §4.2.2).
      this.becomeFollower(this.term, null);
      return;
    }
    leaderAppliedConfChange(this);
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  softState(): SoftState {
    return { leader: this.lead, role: this.role };
  }

  private hardStateChanged(): boolean {
    const hs = this.prevHardState;
    return hs.term !== this.term || hs.vote !== this.vote || hs.commit !== this.log.committed;
  }

  private votingStateChanged(): boolean {
    return this.prevHardState.term !== this.term || this.prevHardState.vote !== this.vote;
  }

  private softStateChanged(): boolean {
    return this.prevSoftState.leader !== this.lead || this.prevSoftState.role !== this.role;
  }
}

