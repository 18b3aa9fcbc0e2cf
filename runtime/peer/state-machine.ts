// The Raft driver's StateMachine over the replicated cluster state
// (runtime/cluster/): every committed entry is applied here, in log order, on
// every peer. It also tells the rest of the peer what was applied:
// - `onApplied(listener)` hears every applied command with its log index and
//   apply result (the leader's dispatchers follow the log through it);
// - `onRestored(listener)` hears that the state was replaced wholesale (an
//   installed snapshot, or a rebuild), so followers of the log re-read it;
// - `waitApplied(index)` resolves once the local replica reached `index`
//   (a proposal forwarded to the leader resolves on the leader first).
//
// One adapter outlives the drivers its supervisor restarts, so the replica
// the edge reads never goes back in time across a restart: a restarted driver
// re-delivers entries from its snapshot on, and entries at or below the
// applied index are skipped (committed entries never change, so applying them
// again would give the same state). A snapshot older than the replica is
// ignored for the same reason. The exception is an apply that threw: the state
// may be half-changed, so the next start rebuilds it from scratch
// (`prepareForStart`).
//
// Invariants: the applied index only grows, except in `prepareForStart` after
// a failed apply; listeners run after the state changed, synchronously, in
// the driver's apply loop: they must be quick and must not throw (a throw
// fails the driver, whose supervisor restarts it).
import { AssertionError, assert } from '../assert.ts';
import type { Clock, TimerHandle } from '../env/clock.ts';
import { ClosedError, TimeoutError } from '../errors.ts';
import type { StateMachine } from '../raft/driver.ts';
import type { Entry } from '../raft/types.ts';
import {
  apply, applyEntry, decodeCommand, emptyState, restoreState, serializeState, skipEntry,
  type ApplyContext, type ApplyResult, type ClusterCommand, type ClusterState,
} from '../cluster/index.ts';

/** Hears one applied entry; `command` is null for entries without one (the leader's no-op, conf changes). */
export type AppliedListener = (index: number, command: ClusterCommand | null, result: ApplyResult) => void;

/** Hears that the state was replaced (snapshot installed or rebuilt); read `state` again. */
export type RestoredListener = (state: Readonly<ClusterState>) => void;

interface Waiter {
  index: number;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: TimerHandle;
}

const ALREADY_APPLIED: ApplyResult = Object.freeze({ kind: 'ignored', reason: 'already applied before the driver restarted' });
const CONF_ENTRY: ApplyResult = Object.freeze({ kind: 'ignored', reason: 'membership change' });

export class ClusterStateMachine implements StateMachine {
  readonly #clock: Clock;
  #state: ClusterState = emptyState();
  /** False after an apply threw: the state may be half-changed until rebuilt. */
  #intact = true;
  #closed = false;
  readonly #applied = new Set<AppliedListener>();
  readonly #restored = new Set<RestoredListener>();
  /** Sorted by index, smallest first. */
  #waiters: Waiter[] = [];

  /** The placement apply records dispatch targets with (runtime/cluster/apply-dispatch.ts). */
  readonly #ctx: ApplyContext | undefined;

  constructor(clock: Clock, ctx?: ApplyContext) {
    this.#clock = clock;
    this.#ctx = ctx;
  }

  get state(): Readonly<ClusterState> {
    return this.#state;
  }

  get appliedIndex(): number {
    return this.#state.appliedIndex;
  }

  apply(entry: Entry): ApplyResult {
    assert(this.#intact, 'apply after a failed apply needs prepareForStart() first');
    if (entry.index <= this.#state.appliedIndex) return ALREADY_APPLIED;
    let command: ClusterCommand | null = null;
    let result: ApplyResult;
    try {
      if (entry.payload.kind === 'conf') {
        skipEntry(this.#state, entry.index);
        result = CONF_ENTRY;
      } else if (entry.payload.data.length === 0) {
        result = applyEntry(this.#state, entry.payload.data, entry.index);
      } else {
        command = decode(entry.payload.data, entry.index);
        result = apply(this.#state, command, entry.index, this.#ctx);
      }
    } catch (error) {
      this.#intact = false;
      throw error;
    }
    for (const listener of this.#applied) listener(entry.index, command, result);
    this.#releaseWaiters();
    return result;
  }

  snapshot(): Uint8Array {
    assert(this.#intact, 'no snapshot of a state whose last apply failed');
    return serializeState(this.#state);
  }

  restore(data: Uint8Array): void {
    const restored = restoreState(data);
    // A restarted driver restores its last snapshot, which the replica already passed.
    if (this.#intact && restored.appliedIndex <= this.#state.appliedIndex) return;
    this.#replace(restored);
  }

  /** Called before a driver starts: rebuilds from scratch when the last apply failed. */
  prepareForStart(): void {
    if (this.#intact) return;
    this.#replace(emptyState());
  }

  onApplied(listener: AppliedListener): () => void {
    this.#applied.add(listener);
    return () => this.#applied.delete(listener);
  }

  onRestored(listener: RestoredListener): () => void {
    this.#restored.add(listener);
    return () => this.#restored.delete(listener);
  }

  /** Resolves once the replica applied `index`; TimeoutError after `timeoutMs`, ClosedError on close. */
  waitApplied(index: number, timeoutMs: number): Promise<void> {
    if (this.#state.appliedIndex >= index) return Promise.resolve();
    if (this.#closed) return Promise.reject(new ClosedError('cluster state machine'));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        index, resolve, reject,
        timer: this.#clock.setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          reject(new TimeoutError(`applying log index ${index} on this peer`, timeoutMs));
        }, timeoutMs),
      };
      const at = this.#waiters.findIndex((w) => w.index > index);
      if (at === -1) this.#waiters.push(waiter);
      else this.#waiters.splice(at, 0, waiter);
    });
  }

  /** Fails every waiter; listeners stay (the peer is going away). */
  close(): void {
    this.#closed = true;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) {
      this.#clock.clearTimeout(waiter.timer);
      waiter.reject(new ClosedError('cluster state machine'));
    }
  }

  #replace(state: ClusterState): void {
    this.#state = state;
    this.#intact = true;
    for (const listener of this.#restored) listener(state);
    this.#releaseWaiters();
  }

  #releaseWaiters(): void {
    const applied = this.#state.appliedIndex;
    let released = 0;
    while (released < this.#waiters.length && this.#waiters[released]!.index <= applied) released++;
    if (released === 0) return;
    const done = this.#waiters.slice(0, released);
    this.#waiters = this.#waiters.slice(released);
    for (const waiter of done) {
      this.#clock.clearTimeout(waiter.timer);
      waiter.resolve();
    }
  }
}

/** Same contract as applyEntry: an undecodable committed payload stops the peer rather than diverge. */
function decode(data: Uint8Array, index: number): ClusterCommand {
  try {
    return decodeCommand(data);
  } catch (error) {
    throw new AssertionError(`log entry ${index} does not decode as a cluster command`, { cause: error });
  }
}
