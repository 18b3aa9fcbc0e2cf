// LevelLogStore: one peer's durable Raft state in LevelDB (the LogStore
// contract of runtime/raft/types.ts). It holds the log entries, the hard
// state, the bootstrap membership and the latest snapshot (the snapshot store
// is this same database, so installing a snapshot and dropping the entries it
// covers is one atomic batch; see runtime/raft/snapshot-level.ts).
//
// Invariants (asserted on every write and again on every read, STYLE G16):
// - stored entries are contiguous, firstIndex..lastIndex, each under the key
//   of its own index, and all of them come after the snapshot's index once
//   load() filters what a lost compaction left behind;
// - the hard state's term never decreases and its commit never decreases;
// - one save() is one LevelDB batch: after a crash the store holds either all
//   of it or none of it (LevelDB writes a batch as one checksummed record of
//   its write-ahead log and drops a torn record on recovery).
//
// Durability: save({ sync: true }) passes `sync: true` to LevelDB's write,
// which appends the batch's record to the write-ahead log (the *.log file)
// and fdatasync()s that file before the write resolves. With `sync: false`
// the record is only in the OS page cache: it survives a killed process
// (kill -9) but not a kernel crash or a power loss. compact() never syncs:
// losing it only leaves entries that load() already ignores.
import { Level } from 'level';
import { Packr } from 'msgpackr';
import { assert } from '../assert.ts';
import type { ConfState, Entry, HardState, LogStore, PersistedState, Snapshot, SnapshotMeta } from './types.ts';
import { decodeConfState, decodeSnapshot, encodeSnapshot, SNAPSHOT_KEY } from './snapshot-level.ts';

type Db = Level<Uint8Array, Uint8Array>;
type BatchOp = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array };

const packr = new Packr({ useRecords: false, moreTypes: false });

// Keys are one prefix byte; entries add the index as 8 big-endian bytes so
// LevelDB's bytewise order is index order.
const ENTRY_PREFIX = 0x65; // 'e'
const HARD_STATE_KEY = Uint8Array.of(0x68); // 'h'
const CONF_STATE_KEY = Uint8Array.of(0x63); // 'c'

export function entryKey(index: number): Uint8Array {
  assert(Number.isSafeInteger(index) && index >= 0, `entry index must be a non-negative safe integer, got ${index}`);
  const key = Buffer.alloc(9);
  key[0] = ENTRY_PREFIX;
  key.writeBigUInt64BE(BigInt(index), 1);
  return key;
}

const ENTRY_KEY_END = Uint8Array.of(ENTRY_PREFIX + 1);

const EMPTY_HARD_STATE: HardState = { term: 0, vote: null, commit: 0 };

export interface LevelLogStoreOptions {
  /** Directory of the LevelDB database; created when missing. */
  path: string;
  /** The membership written on first open (bootstrap); ignored when the store already has one. */
  bootstrap: ConfState;
}

export class LevelLogStore implements LogStore {
  readonly #db: Db;
  #hardState: HardState = EMPTY_HARD_STATE;
  #snapshotMeta: SnapshotMeta | null = null;
  /** First stored entry index; equals lastIndex + 1 when no entry is stored. */
  #firstIndex = 1;
  #lastIndex = 0;
  #closed = false;
  /** save() and compact() run one at a time so the cached indices stay true. */
  #queue: Promise<void> = Promise.resolve();

  private constructor(db: Db) {
    this.#db = db;
  }

  static async open(options: LevelLogStoreOptions): Promise<LevelLogStore> {
    const db: Db = new Level<Uint8Array, Uint8Array>(options.path, { keyEncoding: 'view', valueEncoding: 'view' });
    await db.open();
    const store = new LevelLogStore(db);
    const existing = await db.get(CONF_STATE_KEY);
    if (existing === undefined) {
      // The bootstrap membership is written synced and alone, before any entry,
      // so every later crash finds it.
      await db.put(CONF_STATE_KEY, packr.pack(options.bootstrap), { sync: true });
    }
    return store;
  }

  async load(): Promise<PersistedState> {
    assert(!this.#closed, 'load() on a closed store');
    const confRaw = await this.#db.get(CONF_STATE_KEY);
    assert(confRaw !== undefined, 'the bootstrap conf state is written at open');
    const confState = decodeConfState(packr.unpack(confRaw));
    const hardRaw = await this.#db.get(HARD_STATE_KEY);
    const hardState = hardRaw === undefined ? EMPTY_HARD_STATE : decodeHardState(packr.unpack(hardRaw));
    const snapRaw = await this.#db.get(SNAPSHOT_KEY);
    const snapshot = snapRaw === undefined ? null : decodeSnapshot(snapRaw);
    const after = snapshot?.meta.index ?? 0;
    const entries: Entry[] = [];
    for await (const [key, value] of this.#db.iterator({ gt: entryKey(after), lt: ENTRY_KEY_END })) {
      const entry = decodeEntry(packr.unpack(value));
      // Paired with save(): the key names the entry's own index, and indices are contiguous.
      assert(Buffer.from(key).equals(entryKey(entry.index)), `entry stored under the wrong key (index ${entry.index})`);
      const expected = entries.length === 0 ? after + 1 : entries[entries.length - 1]!.index + 1;
      assert(entry.index === expected, `stored log has a gap: expected ${expected}, found ${entry.index}`);
      entries.push(entry);
    }
    const lastIndex = entries.length > 0 ? entries[entries.length - 1]!.index : after;
    assert(hardState.commit <= lastIndex, `stored commit ${hardState.commit} beyond stored last index ${lastIndex}`);
    this.#hardState = hardState;
    this.#snapshotMeta = snapshot?.meta ?? null;
    this.#firstIndex = after + 1;
    this.#lastIndex = lastIndex;
    return { hardState, snapshot, entries, confState };
  }

  save(update: { hardState: HardState | null; entries: Entry[]; snapshot: Snapshot | null; sync: boolean }): Promise<void> {
    return this.#serial(() => this.#save(update));
  }

  compact(index: number): Promise<void> {
    return this.#serial(() => this.#compact(index));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Let queued writes finish so a resolved save() is never cut short by close().
    await this.#queue.catch(() => undefined);
    await this.#db.close();
  }

  /** The indices this store holds, for tests and status. */
  bounds(): { firstIndex: number; lastIndex: number; snapshotIndex: number } {
    return { firstIndex: this.#firstIndex, lastIndex: this.#lastIndex, snapshotIndex: this.#snapshotMeta?.index ?? 0 };
  }

  #serial(work: () => Promise<void>): Promise<void> {
    assert(!this.#closed, 'write to a closed store');
    const run = this.#queue.then(work);
    // The chain must survive a failed write; the caller still sees the failure through `run`.
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #save(update: { hardState: HardState | null; entries: Entry[]; snapshot: Snapshot | null; sync: boolean }): Promise<void> {
    const ops: BatchOp[] = [];
    let first = this.#firstIndex;
    let last = this.#lastIndex;
    let snapshotMeta = this.#snapshotMeta;
    if (update.snapshot !== null) {
      ({ first, last } = await this.#snapshotOps(update.snapshot, ops));
      snapshotMeta = update.snapshot.meta;
    }
    if (update.entries.length > 0) {
      ({ first, last } = this.#entryOps(update.entries, first, last, ops));
    }
    let hardState = this.#hardState;
    if (update.hardState !== null) {
      hardState = update.hardState;
      assert(hardState.term >= this.#hardState.term, `hard state term decreases: ${this.#hardState.term} -> ${hardState.term}`);
      assert(hardState.commit >= this.#hardState.commit, `hard state commit decreases: ${this.#hardState.commit} -> ${hardState.commit}`);
      ops.push({ type: 'put', key: HARD_STATE_KEY, value: packr.pack(hardState) });
    }
    assert(hardState.commit <= last, `commit ${hardState.commit} beyond last index ${last} after save`);
    if (ops.length === 0) return;
    await this.#db.batch(ops, { sync: update.sync });
    this.#firstIndex = first;
    this.#lastIndex = last;
    this.#snapshotMeta = snapshotMeta;
    this.#hardState = hardState;
  }

  /**
   * Installs a snapshot. When the stored entry at the snapshot's index has the
   * snapshot's term, the log agrees with it: only the covered prefix goes (a
   * local compaction). Otherwise the log is stale and every entry goes (a
   * snapshot received from the leader replaces the log, Raft §7).
   */
  async #snapshotOps(snapshot: Snapshot, ops: BatchOp[]): Promise<{ first: number; last: number }> {
    const { index, term } = snapshot.meta;
    const previous = this.#snapshotMeta?.index ?? 0;
    assert(index >= previous, `snapshot index goes back: ${previous} -> ${index}`);
    let keepTail = false;
    if (index >= this.#firstIndex && index <= this.#lastIndex) {
      const raw = await this.#db.get(entryKey(index));
      assert(raw !== undefined, `entry ${index} within stored bounds is missing`);
      keepTail = decodeEntry(packr.unpack(raw)).term === term;
    }
    const dropUpTo = keepTail ? index : this.#lastIndex;
    for (let i = this.#firstIndex; i <= dropUpTo; i++) ops.push({ type: 'del', key: entryKey(i) });
    ops.push({ type: 'put', key: SNAPSHOT_KEY, value: encodeSnapshot(snapshot) });
    return keepTail ? { first: index + 1, last: this.#lastIndex } : { first: index + 1, last: index };
  }

  /** Writes entries from entries[0].index on, deleting any stored tail beyond the new last one. */
  #entryOps(entries: Entry[], first: number, last: number, ops: BatchOp[]): { first: number; last: number } {
    const start = entries[0]!.index;
    assert(start >= first, `entries start at ${start}, before the first stored index ${first}`);
    assert(start <= last + 1, `entries start at ${start}, leaving a gap after ${last}`);
    let previousTerm = 0;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      assert(entry.index === start + i, `entries not contiguous at ${entry.index}`);
      assert(entry.term >= previousTerm, `entry terms decrease at ${entry.index}`);
      previousTerm = entry.term;
      ops.push({ type: 'put', key: entryKey(entry.index), value: packr.pack(entry) });
    }
    const newLast = start + entries.length - 1;
    for (let i = newLast + 1; i <= last; i++) ops.push({ type: 'del', key: entryKey(i) });
    return { first, last: newLast };
  }

  async #compact(index: number): Promise<void> {
    const snapshotIndex = this.#snapshotMeta?.index ?? 0;
    assert(index <= snapshotIndex, `compact(${index}) beyond the snapshot at ${snapshotIndex}`);
    if (index < this.#firstIndex) return;
    const upTo = Math.min(index, this.#lastIndex);
    const ops: BatchOp[] = [];
    for (let i = this.#firstIndex; i <= upTo; i++) ops.push({ type: 'del', key: entryKey(i) });
    if (ops.length > 0) await this.#db.batch(ops, { sync: false });
    this.#firstIndex = upTo + 1;
  }
}

// Decoders for what this store itself wrote: a mismatch is a broken
// invariant (corruption or a bug), so they assert rather than validate.

function decodeHardState(value: unknown): HardState {
  const v = value as HardState;
  assert(typeof v === 'object' && v !== null, 'stored hard state is not an object');
  assert(Number.isSafeInteger(v.term) && v.term >= 0, 'stored hard state term is invalid');
  assert(v.vote === null || typeof v.vote === 'string', 'stored hard state vote is invalid');
  assert(Number.isSafeInteger(v.commit) && v.commit >= 0, 'stored hard state commit is invalid');
  return { term: v.term, vote: v.vote, commit: v.commit };
}

function decodeEntry(value: unknown): Entry {
  const v = value as Entry;
  assert(typeof v === 'object' && v !== null, 'stored entry is not an object');
  assert(Number.isSafeInteger(v.index) && v.index > 0, 'stored entry index is invalid');
  assert(Number.isSafeInteger(v.term) && v.term >= 0, 'stored entry term is invalid');
  const p = v.payload;
  assert(typeof p === 'object' && p !== null, 'stored entry payload is invalid');
  if (p.kind === 'command') {
    assert(p.data instanceof Uint8Array, 'stored command data is not bytes');
  } else {
    assert(p.kind === 'conf' && typeof p.change === 'object' && p.change !== null, 'stored entry payload kind is invalid');
  }
  return v;
}
