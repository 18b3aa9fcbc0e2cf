// RaftDriver: runs the pure Raft core for real (STYLE G4). It owns the core,
// the LogStore and a ticker on the injected Clock, and uses the peer mesh for
// Raft messages and for forwarding proposals to the leader.
//
// The Ready loop, one Ready at a time:
//   1. persist hard state, entries and snapshot in one LogStore.save (one
//      LevelDB batch), synced when Ready.mustSync;
//   2. only then send the messages (a vote or an acknowledgement never leaves
//      before what it promises is durable). A Ready whose only change is the
//      commit index is written without waiting: nothing depends on it;
//   3. restore a received snapshot, apply committed entries in index order,
//      settle proposal and ReadIndex futures;
//   4. advance the core, then snapshot the state machine every
//      `snapshotEveryEntries` applied entries.
// Ticks, incoming messages and proposals keep stepping the core while a
// save is in flight; they come out batched in the next Ready, which is how
// many proposals share one fsync. Incoming messages are collected and stepped
// once per event-loop turn (STYLE G14).
//
// Invariants: applied entries are contiguous (applied + 1 each time);
// `applied` never passes the core's commit; a proposal future settles exactly
// once: with the result of applying its (index, term), ProposalDroppedError
// when another term's entry took its index, or TimeoutError when the outcome
// is unknown. A store failure or a core assertion stops the driver
// ('raft.failed'): its supervisor restarts the peer from the log.
//
// What the cluster layer uses: RaftDriver.start(options); propose(data) and
// proposeConfChange(change) → Promise<{index, result}> on the leader
// (NotLeaderError with leaderHint elsewhere); proposeAnywhere(data) forwards
// one hop to the leader over the mesh; readIndex() → Promise<void> for a
// linearizable read; transferLeadership(to); status(); isLeader / leader;
// subscribe(listener) for raft.role.changed, raft.leader.changed,
// raft.leader.gained, raft.leader.lost, raft.message.refused, raft.failed;
// readCommitted(from, maxBytes) for the node dispatchers (CommittedLog of
// runtime/dispatch/services.ts); close().
//
// Retention (ARCHITECTURE §3 step 5): the committed log is the dispatchers'
// queue, so with `retention` set a snapshot cuts the log only up to the
// retention floor (what every dispatcher has passed), or further when the
// entries kept would exceed `bytesMax` or `ageMs`. The snapshot's data is the
// state at `applied`, which may be past its index: the state machine skips
// re-delivered entries it already applied (runtime/peer/state-machine.ts), as
// etcd does with its consistent index. The mesh is not the driver's to close: gossip and forwarded
// client requests share it; close() only removes the driver's handlers.
import { Packr } from 'msgpackr';
import { assert } from '../assert.ts';
import type { Clock, Rng, TimerHandle } from '../env/clock.ts';
import {
  ClosedError, LogCompactedError, MiroirError, OverloadedError, ProposalDroppedError, TimeoutError,
} from '../errors.ts';
import { entrySizeBytes } from './log.ts';
import type {
  ConfChange, Entry, LogStore, PeerId, PersistedState, ProposalReceipt, RaftConfig, RaftMessage, RaftNode, RaftStatus,
  Ready, Role, Snapshot,
} from './types.ts';

/** The part of the peer mesh the driver uses (transport/peer/mesh.ts implements it). */
export interface RaftTransport {
  sendRaft(message: RaftMessage): boolean;
  /** Registers the handler; the returned function removes it (close() calls it). */
  onRaftMessage(handler: (message: RaftMessage) => void): () => void;
  request(peer: PeerId, method: string, body: Uint8Array, timeoutMs?: number): Promise<Uint8Array>;
  handle(method: string, handler: (from: PeerId, body: Uint8Array) => Promise<Uint8Array> | Uint8Array): () => void;
}

/** The replicated application. `apply` sees every committed entry, the leader's empty no-op included. */
export interface StateMachine {
  apply(entry: Entry): unknown;
  snapshot(): Uint8Array;
  restore(data: Uint8Array): void;
}

export interface RaftDriverOptions {
  config: RaftConfig;
  store: LogStore;
  transport: RaftTransport;
  stateMachine: StateMachine;
  clock: Clock;
  rng: Rng;
  createNode(config: RaftConfig, restored: PersistedState, rng: Rng): RaftNode;
  tickMs: number;
  snapshotEveryEntries: number;
  proposalsPendingMax: number;
  proposalTimeoutMs: number;
  readsPendingMax: number;
  readTimeoutMs: number;
  /** Raft messages buffered between two event-loop turns; more are dropped (Raft retransmits). */
  incomingMessagesMax: number;
  /** Keeps committed entries readers still need; without it a snapshot cuts the log at `applied`. */
  retention?: LogRetention;
}

/** What the log keeps for its readers (the node dispatchers), and its bounds (STYLE G14). */
export interface LogRetention {
  /** The highest log index every reader can do without (runtime/cluster compactionFloor). */
  floor(): number;
  /** Bytes of entries kept above the floor at most; past it the oldest are cut anyway. */
  bytesMax: number;
  /** Entries applied longer ago than this are cut anyway. */
  ageMs: number;
}

export type RaftDriverEvent =
  | { type: 'raft.role.changed'; role: Role; term: number }
  | { type: 'raft.leader.changed'; leader: PeerId | null; term: number }
  | { type: 'raft.leader.gained'; term: number }
  | { type: 'raft.leader.lost'; term: number }
  /** A message the transport refused outright (above the frame bound, e.g. a snapshot too large for one frame). */
  | { type: 'raft.message.refused'; to: PeerId; kind: RaftMessage['kind']; reason: string }
  | { type: 'raft.failed'; error: Error };

export interface DriverStatus extends RaftStatus {
  proposalsPending: number;
  readsPending: number;
  messagesDropped: number;
  snapshotIndex: number;
}

export interface Applied {
  index: number;
  result: unknown;
}

interface PendingProposal {
  term: number;
  resolve: (applied: Applied) => void;
  reject: (error: Error) => void;
  timer: TimerHandle;
}

interface PendingRead {
  /** The read point, once the leader answered. */
  index: number | null;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: TimerHandle;
}

/** The request method a follower uses to hand a proposal to the leader. */
export const PROPOSE_METHOD = 'raft.propose';

const packr = new Packr({ useRecords: false, moreTypes: false });

/** Ticks one late timer may make up for (see #armTicker). */
const TICK_CATCH_UP_MAX = 3;

export class RaftDriver {
  readonly id: PeerId;
  readonly #o: RaftDriverOptions;
  readonly #core: RaftNode;
  readonly #proposals = new Map<number, PendingProposal>();
  readonly #reads = new Map<string, PendingRead>();
  readonly #listeners = new Set<(event: RaftDriverEvent) => void>();
  #inbox: RaftMessage[] = [];
  #flushScheduled = false;
  #ticker: TimerHandle | null = null;
  #nextTickAtMs = 0;
  #loop: Promise<void> = Promise.resolve();
  #looping = false;
  #applied: number;
  #appliedTerm: number;
  #snapshotIndex: number;
  /** `applied` at the last snapshot attempt (the snapshot itself may have cut less). */
  #snapshotAttemptAt: number;
  /** (index, when applied) at each snapshot attempt, above the cut: the age bound's clock. */
  #appliedMarks: { index: number; atMs: number }[] = [];
  #role: Role = 'follower';
  #leader: PeerId | null = null;
  #readSeq = 0;
  #messagesDropped = 0;
  #state: 'running' | 'closed' | 'failed' = 'running';
  #failure: Error | null = null;
  /** Removes this driver's handlers from the transport, so a new driver can take the mesh over. */
  #unregister: Array<() => void> = [];

  private constructor(options: RaftDriverOptions, core: RaftNode, restored: PersistedState) {
    this.id = options.config.id;
    this.#o = options;
    this.#core = core;
    this.#snapshotIndex = restored.snapshot?.meta.index ?? 0;
    this.#applied = this.#snapshotIndex;
    this.#appliedTerm = restored.snapshot?.meta.term ?? 0;
    this.#snapshotAttemptAt = this.#snapshotIndex;
  }

  /** Loads the store, restores the state machine from the snapshot, and starts ticking. */
  static async start(options: RaftDriverOptions): Promise<RaftDriver> {
    assert(options.tickMs > 0, 'tickMs is positive');
    assert(options.snapshotEveryEntries > 0, 'snapshotEveryEntries is positive');
    const restored = await options.store.load();
    if (restored.snapshot !== null) options.stateMachine.restore(restored.snapshot.data);
    const core = options.createNode(options.config, restored, options.rng);
    const driver = new RaftDriver(options, core, restored);
    driver.#unregister = [
      options.transport.onRaftMessage((message) => driver.#receive(message)),
      options.transport.handle(PROPOSE_METHOD, (_from, body) => driver.#serveForwardedProposal(body)),
    ];
    driver.#armTicker();
    driver.#kick();
    return driver;
  }

  subscribe(listener: (event: RaftDriverEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get isLeader(): boolean {
    return this.#role === 'leader';
  }

  get leader(): PeerId | null {
    return this.#leader;
  }

  status(): DriverStatus {
    return {
      ...this.#core.status(),
      applied: this.#applied,
      proposalsPending: this.#proposals.size,
      readsPending: this.#reads.size,
      messagesDropped: this.#messagesDropped,
      snapshotIndex: this.#snapshotIndex,
    };
  }

  /**
   * Proposes a command on this peer, which must lead (NotLeaderError carries
   * the leader hint otherwise). Resolves with the state machine's result once
   * the entry is applied here.
   */
  propose(data: Uint8Array): Promise<Applied> {
    return this.#track(() => this.#core.propose(data));
  }

  proposeConfChange(change: ConfChange): Promise<Applied> {
    return this.#track(() => this.#core.proposeConfChange(change));
  }

  /** Proposes here when leading, else forwards to the known leader over the mesh (one hop). */
  async proposeAnywhere(data: Uint8Array): Promise<Applied> {
    this.#checkRunning();
    if (this.#role === 'leader' || this.#leader === null) return this.propose(data);
    const reply = await this.#o.transport.request(this.#leader, PROPOSE_METHOD, data, this.#o.proposalTimeoutMs);
    const decoded: unknown = packr.unpack(reply);
    const applied = decoded as Applied;
    assert(typeof applied === 'object' && applied !== null && Number.isSafeInteger(applied.index), 'a forwarded proposal answers {index, result}');
    return { index: applied.index, result: applied.result };
  }

  /** The leader's view of a member's replication (its match index); null off the leader or for a non-member. */
  progressOf(peer: PeerId): { match: number } | null {
    return this.#core.progressOf(peer);
  }

  transferLeadership(to: PeerId): void {
    this.#checkRunning();
    this.#core.transferLeadership(to);
    this.#kick();
  }

  /** Resolves once this peer applied everything committed before the call (Raft thesis §6.4). */
  readIndex(): Promise<void> {
    if (this.#state !== 'running') return Promise.reject(this.#stoppedError());
    if (this.#reads.size >= this.#o.readsPendingMax) return Promise.reject(new OverloadedError('pending reads', this.#o.readsPendingMax));
    const requestId = `${this.id}:${++this.#readSeq}`;
    // Registered before the core sees the request: a lone voter answers in the
    // very Ready that #kick() handles synchronously, and an answer to an
    // unknown request would be dropped.
    const answered = new Promise<void>((resolve, reject) => {
      const timer = this.#o.clock.setTimeout(() => {
        this.#reads.delete(requestId);
        reject(new TimeoutError('read index', this.#o.readTimeoutMs));
      }, this.#o.readTimeoutMs);
      this.#reads.set(requestId, { index: null, resolve, reject, timer });
    });
    try {
      this.#core.readIndex(requestId);
    } catch (error) {
      const read = this.#reads.get(requestId)!;
      this.#reads.delete(requestId);
      this.#o.clock.clearTimeout(read.timer);
      read.reject(error instanceof Error ? error : new Error(String(error)));
      return answered;
    }
    this.#kick();
    return answered;
  }

  /**
   * Committed (and applied) entries from `fromIndex` on, in order, at most
   * `maxBytes` of them but at least one when any is there; [] when none is
   * yet. LogCompactedError when `fromIndex` was cut by a snapshot.
   */
  readCommitted(fromIndex: number, maxBytes: number): Entry[] {
    assert(Number.isSafeInteger(fromIndex) && fromIndex >= 1, 'log indexes start at 1');
    if (fromIndex > this.#applied) return [];
    const entries = this.#core.entries(fromIndex, this.#applied + 1, maxBytes);
    if (entries === null) throw new LogCompactedError(fromIndex);
    return entries;
  }

  /** The last index cut from the log (0: none): readers below it get LogCompactedError. */
  get compactedThrough(): number {
    return this.#snapshotIndex;
  }

  /** Stops ticking, lets the Ready in flight finish, fails what is pending, closes the store. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#clearTicker();
    for (const unregister of this.#unregister) unregister();
    await this.#loop;
    this.#failAll(new ClosedError('raft driver'));
    await this.#o.store.close();
  }

  // ---- the Ready loop ----

  #kick(): void {
    if (this.#looping || this.#state !== 'running') return;
    this.#looping = true;
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    try {
      while (this.#state === 'running' && this.#core.hasReady()) {
        const rd = this.#core.ready();
        await this.#handleReady(rd);
        this.#core.advance(rd);
        await this.#maybeSnapshot();
      }
    } catch (error) {
      this.#fail(error instanceof Error ? error : new Error(String(error)));
    } finally {
      // Cleared in the same synchronous step as the last hasReady() check, so a
      // kick() right after always starts a new loop instead of waiting for a tick.
      this.#looping = false;
    }
  }

  async #handleReady(rd: Ready): Promise<void> {
    const update = { hardState: rd.hardState, entries: rd.entries, snapshot: rd.snapshot, sync: rd.mustSync };
    if (rd.entries.length > 0 || rd.snapshot !== null || rd.mustSync) {
      await this.#o.store.save(update);
    } else if (rd.hardState !== null) {
      // Only the commit index moved (term and vote did not, or mustSync would be set).
      // Nothing sent or applied below depends on it being durable (a restarted peer
      // learns the commit again from the leader), so it is written without waiting:
      // the store keeps writes in order, and a failure still stops the driver.
      this.#o.store.save(update).catch((error: unknown) => this.#fail(error instanceof Error ? error : new Error(String(error))));
    }
    // A close() that began during the save still sends and applies this Ready: it is durable.
    for (const message of rd.messages) this.#send(message);
    if (rd.snapshot !== null) this.#restore(rd.snapshot);
    for (const entry of rd.committed) this.#apply(entry);
    for (const read of rd.readStates) this.#readAnswered(read.requestId, read.index);
    this.#releaseReads();
    if (rd.softState !== null) this.#softStateChanged(rd.softState.role, rd.softState.leader);
  }

  #send(message: RaftMessage): void {
    try {
      if (!this.#o.transport.sendRaft(message)) this.#messagesDropped++;
    } catch (error) {
      // A message above the frame bound (a snapshot too large for one frame) cannot go;
      // Raft treats it as lost and retries, so count it rather than stop the peer.
      if (!(error instanceof OverloadedError)) throw error;
      this.#messagesDropped++;
      this.#emit({ type: 'raft.message.refused', to: message.to, kind: message.kind, reason: error.message });
    }
  }

  #restore(snapshot: Snapshot): void {
    assert(snapshot.meta.index > this.#applied, `snapshot ${snapshot.meta.index} does not advance applied ${this.#applied}`);
    this.#o.stateMachine.restore(snapshot.data);
    // Proposals the snapshot covers may or may not have committed: their outcome is unknown here.
    for (const [index, pending] of this.#proposals) {
      if (index <= snapshot.meta.index) this.#settleProposal(index, pending, new TimeoutError('proposal outcome (covered by an installed snapshot)', 0));
    }
    this.#applied = snapshot.meta.index;
    this.#appliedTerm = snapshot.meta.term;
    this.#snapshotIndex = snapshot.meta.index;
  }

  #apply(entry: Entry): void {
    assert(entry.index === this.#applied + 1, `applying ${entry.index} after ${this.#applied}`);
    const result = this.#o.stateMachine.apply(entry);
    this.#applied = entry.index;
    this.#appliedTerm = entry.term;
    const pending = this.#proposals.get(entry.index);
    if (pending === undefined) return;
    if (pending.term === entry.term) this.#settleProposal(entry.index, pending, { index: entry.index, result });
    else this.#settleProposal(entry.index, pending, new ProposalDroppedError(`entry ${entry.index} was replaced by one of term ${entry.term}`));
  }

  #settleProposal(index: number, pending: PendingProposal, outcome: Applied | Error): void {
    this.#proposals.delete(index);
    this.#o.clock.clearTimeout(pending.timer);
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome);
  }

  #readAnswered(requestId: string, index: number): void {
    const read = this.#reads.get(requestId);
    if (read !== undefined) read.index = index;
  }

  #releaseReads(): void {
    for (const [requestId, read] of this.#reads) {
      if (read.index === null || read.index > this.#applied) continue;
      this.#reads.delete(requestId);
      this.#o.clock.clearTimeout(read.timer);
      read.resolve();
    }
  }

  async #maybeSnapshot(): Promise<void> {
    if (this.#applied - this.#snapshotAttemptAt < this.#o.snapshotEveryEntries) return;
    this.#snapshotAttemptAt = this.#applied;
    this.#appliedMarks.push({ index: this.#applied, atMs: this.#o.clock.nowMs() });
    const index = this.#compactionPoint();
    if (index <= this.#snapshotIndex) return;
    const data = this.#o.stateMachine.snapshot();
    this.#core.compact(index, data);
    // The core changes membership when a conf entry is applied, so its conf now is the conf at `index`.
    const snapshot: Snapshot = { meta: { index, term: this.#appliedTerm, confState: this.#core.status().confState }, data };
    // Not synced: losing it to a power cut loses the snapshot and the log cut together (one batch).
    await this.#o.store.save({ hardState: null, entries: [], snapshot, sync: false });
    this.#snapshotIndex = index;
  }

  /** Where a snapshot may cut the log now: `applied`, or the retention floor within its bounds. */
  #compactionPoint(): number {
    const retention = this.#o.retention;
    if (retention === undefined) return this.#applied;
    let cut = Math.min(this.#applied, Math.max(this.#snapshotIndex, retention.floor()));
    const kept = this.#core.entries(cut + 1, this.#applied + 1, Number.POSITIVE_INFINITY) ?? [];
    let bytes = kept.reduce((sum, e) => sum + entrySizeBytes(e), 0);
    for (const entry of kept) {
      if (bytes <= retention.bytesMax) break;
      bytes -= entrySizeBytes(entry);
      cut = entry.index;
    }
    const oldMs = this.#o.clock.nowMs() - retention.ageMs;
    for (const mark of this.#appliedMarks) if (mark.atMs <= oldMs) cut = Math.max(cut, mark.index);
    this.#appliedMarks = this.#appliedMarks.filter((m) => m.index > cut);
    assert(cut <= this.#applied, 'the log is never cut past applied');
    return cut;
  }

  #softStateChanged(role: Role, leader: PeerId | null): void {
    const term = this.#core.status().term;
    const wasLeader = this.#role === 'leader';
    if (role !== this.#role) {
      this.#role = role;
      this.#emit({ type: 'raft.role.changed', role, term });
    }
    if (leader !== this.#leader) {
      this.#leader = leader;
      this.#emit({ type: 'raft.leader.changed', leader, term });
    }
    if (!wasLeader && role === 'leader') this.#emit({ type: 'raft.leader.gained', term });
    if (wasLeader && role !== 'leader') this.#emit({ type: 'raft.leader.lost', term });
  }

  // ---- inputs ----

  #receive(message: RaftMessage): void {
    if (this.#state !== 'running') return;
    if (this.#inbox.length >= this.#o.incomingMessagesMax) {
      this.#messagesDropped++;
      return;
    }
    this.#inbox.push(message);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // setImmediate runs after this turn's I/O callbacks, so every frame read in the turn steps together.
    setImmediate(() => this.#flushInbox());
  }

  #flushInbox(): void {
    this.#flushScheduled = false;
    const batch = this.#inbox;
    this.#inbox = [];
    if (this.#state !== 'running') return;
    try {
      for (const message of batch) this.#core.step(message);
    } catch (error) {
      this.#fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.#kick();
  }

  /**
   * Ticks on the wall clock, not on timer callbacks: a busy event loop fires
   * timers late, and counting callbacks would stretch the election timeout
   * by the lag. A late timer catches up at most TICK_CATCH_UP_MAX ticks, so a
   * long stall (GC, swap) does not burst into an election before the
   * messages queued during the stall are stepped.
   */
  #armTicker(): void {
    this.#nextTickAtMs = this.#o.clock.nowMs() + this.#o.tickMs;
    this.#scheduleTick();
  }

  #scheduleTick(): void {
    const delayMs = Math.max(0, this.#nextTickAtMs - this.#o.clock.nowMs());
    this.#ticker = this.#o.clock.setTimeout(() => this.#onTick(), delayMs);
  }

  #onTick(): void {
    if (this.#state !== 'running') return;
    const tickMs = this.#o.tickMs;
    const nowMs = this.#o.clock.nowMs();
    const due = Math.min(TICK_CATCH_UP_MAX, Math.max(1, Math.floor((nowMs - this.#nextTickAtMs) / tickMs) + 1));
    try {
      for (let i = 0; i < due; i++) this.#core.tick();
    } catch (error) {
      this.#fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.#nextTickAtMs += due * tickMs;
    // Ticks beyond the catch-up bound are dropped rather than owed.
    if (this.#nextTickAtMs <= nowMs) this.#nextTickAtMs = nowMs + tickMs;
    this.#kick();
    this.#scheduleTick();
  }

  #clearTicker(): void {
    if (this.#ticker !== null) this.#o.clock.clearTimeout(this.#ticker);
    this.#ticker = null;
  }

  #track(propose: () => ProposalReceipt): Promise<Applied> {
    if (this.#state !== 'running') return Promise.reject(this.#stoppedError());
    if (this.#proposals.size >= this.#o.proposalsPendingMax) {
      return Promise.reject(new OverloadedError('pending proposals', this.#o.proposalsPendingMax));
    }
    let receipt: ProposalReceipt;
    try {
      receipt = propose();
    } catch (error) {
      return Promise.reject(error);
    }
    const stale = this.#proposals.get(receipt.index);
    if (stale !== undefined) {
      // An earlier term's proposal at this index was truncated away (this peer lost and
      // regained leadership before applying that far): it is lost for certain.
      assert(stale.term < receipt.term, `index ${receipt.index} proposed twice in term ${receipt.term}`);
      this.#settleProposal(receipt.index, stale, new ProposalDroppedError(`entry ${receipt.index} was replaced in term ${receipt.term}`));
    }
    this.#kick();
    return new Promise<Applied>((resolve, reject) => {
      const timer = this.#o.clock.setTimeout(() => {
        this.#proposals.delete(receipt.index);
        reject(new TimeoutError(`proposal at index ${receipt.index}`, this.#o.proposalTimeoutMs));
      }, this.#o.proposalTimeoutMs);
      this.#proposals.set(receipt.index, { term: receipt.term, resolve, reject, timer });
    });
  }

  async #serveForwardedProposal(body: Uint8Array): Promise<Uint8Array> {
    const applied = await this.propose(body);
    return packr.pack({ index: applied.index, result: applied.result });
  }

  #checkRunning(): void {
    if (this.#state !== 'running') throw this.#stoppedError();
  }

  #stoppedError(): Error {
    return this.#state === 'failed' && this.#failure !== null
      ? new ClosedError('raft driver (failed)', { cause: this.#failure })
      : new ClosedError('raft driver');
  }

  #fail(error: Error): void {
    if (this.#state !== 'running') return;
    this.#state = 'failed';
    this.#failure = error;
    this.#clearTicker();
    this.#failAll(new ClosedError('raft driver (failed)', { cause: error }));
    this.#emit({ type: 'raft.failed', error });
  }

  #failAll(error: MiroirError): void {
    for (const [index, pending] of this.#proposals) this.#settleProposal(index, pending, error);
    for (const [requestId, read] of this.#reads) {
      this.#reads.delete(requestId);
      this.#o.clock.clearTimeout(read.timer);
      read.reject(error);
    }
  }

  #emit(event: RaftDriverEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
