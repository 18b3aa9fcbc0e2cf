// The Raft vocabulary shared by the pure core (runtime/raft/core.ts), the
// driver that does its I/O (runtime/raft/driver.ts), the log stores (LevelDB
// and the simulator's in-memory one) and the peer transport. Shapes follow
// etcd-raft: the core takes messages, ticks and proposals, and hands back a
// Ready of things to persist, send and apply (STYLE G4).

export type PeerId = string;

export type Role = 'follower' | 'preCandidate' | 'candidate' | 'leader';

/** A membership change, one server at a time (Raft thesis §4.1). */
export type ConfChange =
  | { kind: 'addVoter'; peer: PeerId }
  | { kind: 'addLearner'; peer: PeerId }
  | { kind: 'removePeer'; peer: PeerId };

export type EntryPayload =
  /** An opaque state-machine command; the leader appends an empty one on election. */
  | { kind: 'command'; data: Uint8Array }
  | { kind: 'conf'; change: ConfChange };

export interface Entry {
  index: number;
  term: number;
  payload: EntryPayload;
}

export interface HardState {
  term: number;
  vote: PeerId | null;
  commit: number;
}

export interface ConfState {
  voters: PeerId[];
  learners: PeerId[];
}

export interface SnapshotMeta {
  index: number;
  term: number;
  confState: ConfState;
}

export interface Snapshot {
  meta: SnapshotMeta;
  /** The serialized state machine at `meta.index`. */
  data: Uint8Array;
}

/** The outcome of a ReadIndex request: reads at `index` or later are linearizable. */
export interface ReadState {
  index: number;
  requestId: string;
}

interface Envelope {
  from: PeerId;
  to: PeerId;
  term: number;
}

export type RaftMessage =
  | (Envelope & { kind: 'raft.preVote'; lastLogIndex: number; lastLogTerm: number })
  | (Envelope & { kind: 'raft.preVoteResponse'; granted: boolean })
  | (Envelope & { kind: 'raft.vote'; lastLogIndex: number; lastLogTerm: number; transfer: boolean })
  | (Envelope & { kind: 'raft.voteResponse'; granted: boolean })
  | (Envelope & { kind: 'raft.append'; prevLogIndex: number; prevLogTerm: number; entries: Entry[]; commit: number })
  | (Envelope & {
      kind: 'raft.appendResponse';
      success: boolean;
      /** On success: the last index now matching the leader. On rejection: the index probed. */
      index: number;
      /** On rejection, a hint for fast back-tracking: follower's last index and the term there. */
      rejectHint: { index: number; term: number } | null;
    })
  | (Envelope & { kind: 'raft.heartbeat'; commit: number; context: string | null })
  | (Envelope & { kind: 'raft.heartbeatResponse'; context: string | null })
  | (Envelope & { kind: 'raft.snapshot'; snapshot: Snapshot })
  | (Envelope & { kind: 'raft.timeoutNow' })
  /** A follower forwarding a ReadIndex request to the leader, and the leader's answer. */
  | (Envelope & { kind: 'raft.readIndex'; requestId: string })
  | (Envelope & { kind: 'raft.readIndexResponse'; requestId: string; index: number });

export type RaftMessageKind = RaftMessage['kind'];

export interface SoftState {
  leader: PeerId | null;
  role: Role;
}

/**
 * What the core asks its driver to do, in this order: persist `hardState`,
 * `entries` and `snapshot` (fsync when `mustSync`), then send `messages`,
 * then apply `committed` (and `snapshot` if present), then call advance().
 */
export interface Ready {
  softState: SoftState | null;
  hardState: HardState | null;
  /** Entries to append; any stored entry at or after entries[0].index is replaced. */
  entries: Entry[];
  snapshot: Snapshot | null;
  messages: RaftMessage[];
  committed: Entry[];
  readStates: ReadState[];
  mustSync: boolean;
}

/** What a peer restores from its log store on start. */
export interface PersistedState {
  hardState: HardState;
  snapshot: Snapshot | null;
  /** Entries after the snapshot, in index order. */
  entries: Entry[];
  /** The membership before any entry was written (bootstrap). */
  confState: ConfState;
}

/**
 * Durable storage of one peer's Raft state. The LevelDB implementation and
 * the simulator's in-memory one implement the same contract, including what
 * survives a crash: everything a resolved save() wrote, and nothing torn.
 */
export interface LogStore {
  load(): Promise<PersistedState>;
  /**
   * Atomically: replace entries from entries[0].index on, set the hard state,
   * install the snapshot (dropping entries it covers). Resolves once durable
   * when `sync` is true. A snapshot whose (index, term) does not match the
   * stored entry at its index (a follower installing the leader's snapshot)
   * replaces the whole log: later stored entries are dropped as well.
   */
  save(update: { hardState: HardState | null; entries: Entry[]; snapshot: Snapshot | null; sync: boolean }): Promise<void>;
  /** Drops entries up to and including `index` (they are covered by a snapshot). */
  compact(index: number): Promise<void>;
  close(): Promise<void>;
}

/** Tunables of one core; ticks are the only notion of time it has (STYLE G5). */
export interface RaftConfig {
  id: PeerId;
  /** Base election timeout; the effective one is drawn from [electionTicks, 2·electionTicks). */
  electionTicks: number;
  heartbeatTicks: number;
  /** Upper bound on the bytes of entries in one append message (batching). */
  maxSizePerMsgBytes: number;
  /** Append messages in flight per follower before the leader waits (pipelining, flow control). */
  maxInflightMessages: number;
  /** Proposals the leader buffers before refusing with ProposalDroppedError. */
  maxUncommittedEntries: number;
  checkQuorum: boolean;
  preVote: boolean;
}

export interface ProposalReceipt {
  index: number;
  term: number;
}

export interface RaftStatus {
  id: PeerId;
  term: number;
  role: Role;
  leader: PeerId | null;
  commit: number;
  applied: number;
  lastIndex: number;
  confState: ConfState;
}

/**
 * The public surface of the pure core (runtime/raft/core.ts implements it as
 * `new RaftCore(config, restored, rng)`). No method does I/O or reads a clock.
 * propose/proposeConfChange/transferLeadership throw NotLeaderError off the
 * leader and ProposalDroppedError when a bound is hit or a transfer is under
 * way; a receipt's entry is committed when an applied entry has the same
 * index and term, and lost if another term's entry shows up at that index.
 */
export interface RaftNode {
  tick(): void;
  step(message: RaftMessage): void;
  propose(data: Uint8Array): ProposalReceipt;
  proposeConfChange(change: ConfChange): ProposalReceipt;
  transferLeadership(to: PeerId): void;
  /**
   * Asks for a linearizable read point; the answer arrives in Ready.readStates
   * (on a follower, after a round trip to the leader). Throws NotLeaderError
   * when no leader is known. `requestId` must be unique for the peer's whole
   * life, restarts included: a late answer to an old request carries its id.
   */
  readIndex(requestId: string): void;
  /** False while a Ready is out (between ready() and advance()). */
  hasReady(): boolean;
  ready(): Ready;
  advance(ready: Ready): void;
  /** The application applied up to `index`; snapshot `data` may replace the log before it. */
  compact(index: number, data: Uint8Array): void;
  /**
   * Entries [lo, hi) still in the log, at most `maxBytes` of them but at least
   * one, or null when `lo` was compacted away. `hi` may not pass the last index + 1.
   */
  entries(lo: number, hi: number, maxBytes: number): Entry[] | null;
  status(): RaftStatus;
  /** The leader's view of a member's replication (its match index); null off the leader or for a non-member. */
  progressOf(peer: PeerId): { match: number } | null;
}
