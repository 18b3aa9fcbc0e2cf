// LevelLogStore: one peer's durable Raft state in LevelDB (the LogStore
// contract of runtime/raft/types.ts). It holds the log entries, the hard
// state, the bootstrap membership and the latest snapshot (the snapshot store
// is this same database, so installing a snapshot and dropping the entries it
// covers is one atomic batch; see runtime/raft/snapshot-level.ts).
//
// Entries are stored in segments: one key per run of consecutive entries
// written by one save() (split at SEGMENT_ENTRIES_MAX / SEGMENT_BYTES_MAX),
// keyed by the run's first index as 8 big-endian bytes so LevelDB's order is
// index order. A save under load carries hundreds of entries; one key for
// them instead of one each takes most of the per-entry cost out of LevelDB
// and msgpack. Replacing a conflicting tail rewrites the segment holding its
// first index (truncated) and deletes every later segment. A segment that
// straddles the snapshot index keeps its covered entries on disk until a
// later compaction drops the whole segment; load() skips them.
//
// Invariants (asserted on every write and again on every read, STYLE G16):
// - segments are contiguous and each is stored under its own first index;
//   the entries load() returns are exactly firstIndex..lastIndex;
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

// Buffer encodings: keys and msgpack values are Buffers already, so LevelDB takes them as they are.
type Db = Level<Buffer, Buffer>;
type BatchOp = { type: 'put'; key: Buffer; value: Buffer } | { type: 'del'; key: Buffer };

const packr = new Packr({ useRecords: false, moreTypes: false });

const SEGMENT_PREFIX = 0x65; // 'e'
const HARD_STATE_KEY = Buffer.of(0x68); // 'h'
const CONF_STATE_KEY = Buffer.of(0x63); // 'c'
const SEGMENT_KEY_END = Buffer.of(SEGMENT_PREFIX + 1);
/** Bounds on one segment, so rewriting a truncated one stays cheap. */
const SEGMENT_ENTRIES_MAX = 1024;
const SEGMENT_BYTES_MAX = 1 << 20;

export function segmentKey(firstIndex: number): Buffer {
  assert(Number.isSafeInteger(firstIndex) && firstIndex > 0, `segment index must be a positive safe integer, got ${firstIndex}`);
  const key = Buffer.alloc(9);
  key[0] = SEGMENT_PREFIX;
  key.writeBigUInt64BE(BigInt(firstIndex), 1);
  return key;
}

const EMPTY_HARD_STATE: HardState = { term: 0, vote: null, commit: 0 };

/** Where one stored segment's entries lie; its key is segmentKey(first). */
interface Segment {
  first: number;
  last: number;
}

/**
 * The cached bounds as a save() in progress will leave them. `segments` is
 * the live array until a snapshot or a truncation must change it (rare): then
 * it is copied first, so a save that fails leaves the cache untouched, and the
 * common append costs no copy. New segments collect in `added`.
 */
interface NextState {
  first: number;
  last: number;
  lastTerm: number;
  segments: Segment[];
  copied: boolean;
  added: Segment[];
}

function mutableSegments(next: NextState): Segment[] {
  if (!next.copied) {
    next.segments = next.segments.map((g) => ({ ...g }));
    next.copied = true;
  }
  return next.segments;
}

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
  /** Stored segments in index order; the first may start before #firstIndex (covered by the snapshot). */
  #segments: Segment[] = [];
  /** First live entry index; equals lastIndex + 1 when no entry is live. */
  #firstIndex = 1;
  #lastIndex = 0;
  /** Term of the entry at #lastIndex (or of the snapshot when no entry is live). */
  #lastTerm = 0;
  #closed = false;
  /** save() and compact() run one at a time so the cached indices stay true. */
  #queue: Promise<void> = Promise.resolve();

  private constructor(db: Db) {
    this.#db = db;
  }

  static async open(options: LevelLogStoreOptions): Promise<LevelLogStore> {
    const db: Db = new Level<Buffer, Buffer>(options.path, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    const store = new LevelLogStore(db);
    const existing = await db.get(CONF_STATE_KEY);
    if (existing === undefined) {
      // The bootstrap membership is written synced and alone, before any entry,
      // so every later crash finds it.
      await db.put(CONF_STATE_KEY, packr.pack(options.bootstrap), { sync: true });
    }
    await store.load();
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
    const segments: Segment[] = [];
    let previousLast: number | null = null;
    for await (const [key, value] of this.#db.iterator({ gte: segmentKey(1), lt: SEGMENT_KEY_END })) {
      const run = decodeSegment(value);
      const first = run[0]!.index;
      const last = run[run.length - 1]!.index;
      // Paired with save(): a segment lives under its first index and follows the previous one.
      assert(key.equals(segmentKey(first)), `segment stored under the wrong key (first index ${first})`);
      assert(previousLast === null || previousLast + 1 === first, `stored log has a gap before ${first}`);
      previousLast = last;
      if (last <= after) continue; // A lost compaction: the snapshot covers the whole segment.
      segments.push({ first, last });
      for (const entry of run) if (entry.index > after) entries.push(entry);
    }
    assert(entries.length === 0 || entries[0]!.index === after + 1, `stored log does not start right after the snapshot at ${after}`);
    const lastIndex = entries.length > 0 ? entries[entries.length - 1]!.index : after;
    assert(hardState.commit <= lastIndex, `stored commit ${hardState.commit} beyond stored last index ${lastIndex}`);
    this.#hardState = hardState;
    this.#snapshotMeta = snapshot?.meta ?? null;
    this.#segments = segments;
    this.#firstIndex = after + 1;
    this.#lastIndex = lastIndex;
    this.#lastTerm = entries.length > 0 ? entries[entries.length - 1]!.term : snapshot?.meta.term ?? 0;
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
  bounds(): { firstIndex: number; lastIndex: number; snapshotIndex: number; segments: number } {
    return { firstIndex: this.#firstIndex, lastIndex: this.#lastIndex, snapshotIndex: this.#snapshotMeta?.index ?? 0, segments: this.#segments.length };
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
    // Work on copies: the cached state changes only once the batch is written.
    const next: NextState = {
      first: this.#firstIndex, last: this.#lastIndex, lastTerm: this.#lastTerm, segments: this.#segments, copied: false, added: [],
    };
    if (update.snapshot !== null) await this.#snapshotOps(update.snapshot, next, ops);
    if (update.entries.length > 0) await this.#entryOps(update.entries, next, ops);
    let hardState = this.#hardState;
    if (update.hardState !== null) {
      hardState = update.hardState;
      assert(hardState.term >= this.#hardState.term, `hard state term decreases: ${this.#hardState.term} -> ${hardState.term}`);
      assert(hardState.commit >= this.#hardState.commit, `hard state commit decreases: ${this.#hardState.commit} -> ${hardState.commit}`);
      ops.push({ type: 'put', key: HARD_STATE_KEY, value: packr.pack(hardState) });
    }
    assert(hardState.commit <= next.last, `commit ${hardState.commit} beyond last index ${next.last} after save`);
    if (ops.length === 0) return;
    await this.#db.batch(ops, { sync: update.sync });
    this.#firstIndex = next.first;
    this.#lastIndex = next.last;
    this.#lastTerm = next.lastTerm;
    this.#segments = next.segments;
    for (const segment of next.added) this.#segments.push(segment);
    if (update.snapshot !== null) this.#snapshotMeta = update.snapshot.meta;
    this.#hardState = hardState;
  }

  /**
   * Installs a snapshot. When the stored entry at the snapshot's index has the
   * snapshot's term, the log agrees with it: only the covered prefix goes (a
   * local compaction). Otherwise the log is stale and every entry goes (a
   * snapshot received from the leader replaces the log, Raft §7).
   */
  async #snapshotOps(snapshot: Snapshot, next: NextState, ops: BatchOp[]): Promise<void> {
    const { index, term } = snapshot.meta;
    const previous = this.#snapshotMeta?.index ?? 0;
    assert(index >= previous, `snapshot index goes back: ${previous} -> ${index}`);
    let keepTail = false;
    if (index >= next.first && index <= next.last) keepTail = (await this.#entryAt(index, next.segments)).term === term;
    else if (index === previous) keepTail = term === this.#snapshotMeta?.term; // The same snapshot again.
    const dropUpTo = keepTail ? index : Number.POSITIVE_INFINITY;
    // A segment straddling `index` stays; load() skips its covered entries.
    const segments = mutableSegments(next);
    let dropped = 0;
    while (dropped < segments.length && segments[dropped]!.last <= dropUpTo) ops.push({ type: 'del', key: segmentKey(segments[dropped++]!.first) });
    segments.splice(0, dropped);
    ops.push({ type: 'put', key: SNAPSHOT_KEY, value: encodeSnapshot(snapshot) });
    next.first = index + 1;
    if (!keepTail) {
      next.last = index;
      next.lastTerm = term;
    }
  }

  /** Writes entries from entries[0].index on, replacing any stored tail from that index. */
  async #entryOps(entries: Entry[], next: NextState, ops: BatchOp[]): Promise<void> {
    const start = entries[0]!.index;
    assert(start >= next.first, `entries start at ${start}, before the first stored index ${next.first}`);
    assert(start <= next.last + 1, `entries start at ${start}, leaving a gap after ${next.last}`);
    // The term before `start`: known for an append; read back while truncating otherwise.
    let previousTerm = start === next.last + 1 ? next.lastTerm : 0;
    if (start <= next.last) previousTerm = await this.#truncateOps(start, mutableSegments(next), ops);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      assert(entry.index === start + i, `entries not contiguous at ${entry.index}`);
      assert(entry.term >= previousTerm, `entry terms decrease at ${entry.index}`);
      previousTerm = entry.term;
    }
    for (const run of chunk(entries)) {
      ops.push({ type: 'put', key: segmentKey(run[0]!.index), value: packr.pack(run) });
      next.added.push({ first: run[0]!.index, last: run[run.length - 1]!.index });
    }
    next.last = start + entries.length - 1;
    next.lastTerm = previousTerm;
  }

  /**
   * Drops stored entries from `from` on: later segments go, the one holding
   * `from` is rewritten shorter. Returns the term of the entry before `from`
   * when it had to read it, else 0 (no check against it).
   */
  async #truncateOps(from: number, segments: Segment[], ops: BatchOp[]): Promise<number> {
    while (segments.length > 0 && segments[segments.length - 1]!.first >= from) {
      ops.push({ type: 'del', key: segmentKey(segments.pop()!.first) });
    }
    const holder = segments[segments.length - 1];
    if (holder === undefined || holder.last < from) return 0;
    const kept = (await this.#readSegment(holder)).filter((e) => e.index < from);
    ops.push({ type: 'put', key: segmentKey(holder.first), value: packr.pack(kept) });
    holder.last = from - 1;
    return kept[kept.length - 1]!.term;
  }

  async #entryAt(index: number, segments: Segment[]): Promise<Entry> {
    const segment = segments.find((s) => s.first <= index && index <= s.last);
    assert(segment !== undefined, `entry ${index} within stored bounds has no segment`);
    const entry = (await this.#readSegment(segment))[index - segment.first];
    assert(entry !== undefined && entry.index === index, `segment at ${segment.first} does not hold entry ${index}`);
    return entry;
  }

  async #readSegment(segment: Segment): Promise<Entry[]> {
    const raw = await this.#db.get(segmentKey(segment.first));
    assert(raw !== undefined, `segment at ${segment.first} is missing`);
    const run = decodeSegment(raw);
    // Paired with #entryOps: what a segment's bounds say is what it holds.
    assert(run[0]!.index === segment.first && run[run.length - 1]!.index >= segment.last, `segment at ${segment.first} disagrees with its bounds`);
    return run;
  }

  async #compact(index: number): Promise<void> {
    const snapshotIndex = this.#snapshotMeta?.index ?? 0;
    assert(index <= snapshotIndex, `compact(${index}) beyond the snapshot at ${snapshotIndex}`);
    const ops: BatchOp[] = [];
    let dropped = 0;
    while (dropped < this.#segments.length && this.#segments[dropped]!.last <= index) {
      ops.push({ type: 'del', key: segmentKey(this.#segments[dropped++]!.first) });
    }
    if (ops.length === 0) return;
    await this.#db.batch(ops, { sync: false });
    this.#segments.splice(0, dropped);
  }
}

function chunk(entries: Entry[]): Entry[][] {
  const runs: Entry[][] = [];
  let run: Entry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entry.payload.kind === 'command' ? entry.payload.data.byteLength + 32 : 96;
    if (run.length > 0 && (run.length >= SEGMENT_ENTRIES_MAX || bytes + size > SEGMENT_BYTES_MAX)) {
      runs.push(run);
      run = [];
      bytes = 0;
    }
    run.push(entry);
    bytes += size;
  }
  if (run.length > 0) runs.push(run);
  return runs;
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

function decodeSegment(raw: Buffer): Entry[] {
  const run = packr.unpack(raw) as unknown;
  assert(Array.isArray(run) && run.length > 0, 'stored segment is not a non-empty list');
  const entries = run.map(decodeEntry);
  for (let i = 1; i < entries.length; i++) {
    assert(entries[i]!.index === entries[i - 1]!.index + 1, `stored segment has a gap at ${entries[i]!.index}`);
  }
  return entries;
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
