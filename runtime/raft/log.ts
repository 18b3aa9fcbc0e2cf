// The Raft log as one peer holds it in memory: a snapshot base (index, term),
// then every entry after it. Entries after `stableIndex` are *unstable*: they
// were appended but not yet handed back as persisted through advance(), so
// Ready carries them to the driver. `pendingSnapshot` is a received snapshot
// that is not yet persisted and applied.
//
// Invariants (STYLE G16): snapshotIndex <= applied <= committed <= lastIndex;
// entries[i].index === snapshotIndex + 1 + i; terms never decrease along the
// log; committed entries are never truncated.
import { assert } from '../assert.ts';
import type { Entry, Snapshot } from './types.ts';

/** Rough wire size of an entry, for batching against maxSizePerMsgBytes. */
export function entrySizeBytes(entry: Entry): number {
  const payload = entry.payload;
  return 24 + (payload.kind === 'command' ? payload.data.byteLength : 48);
}

export class RaftLog {
  snapshotIndex: number;
  snapshotTerm: number;
  stableIndex: number;
  committed: number;
  applied: number;
  pendingSnapshot: Snapshot | null = null;
  private entries: Entry[];

  constructor(snapshot: Snapshot | null, entries: Entry[], committed: number) {
    this.snapshotIndex = snapshot?.meta.index ?? 0;
    this.snapshotTerm = snapshot?.meta.term ?? 0;
    this.entries = entries.filter((e) => e.index > this.snapshotIndex);
    this.entries.forEach((e, i) => assert(e.index === this.snapshotIndex + 1 + i, `restored log has a gap at ${e.index}`));
    this.stableIndex = this.lastIndex();
    this.committed = Math.max(committed, this.snapshotIndex);
    assert(this.committed <= this.lastIndex(), 'restored commit is beyond the restored log');
    this.applied = this.snapshotIndex;
  }

  firstIndex(): number {
    return this.snapshotIndex + 1;
  }

  lastIndex(): number {
    return this.snapshotIndex + this.entries.length;
  }

  lastTerm(): number {
    const term = this.term(this.lastIndex());
    assert(term !== null, 'the last entry always has a term');
    return term;
  }

  /** The term at `index`, or null when it was compacted away or does not exist yet. */
  term(index: number): number | null {
    if (index === this.snapshotIndex) return this.snapshotTerm;
    if (index < this.snapshotIndex || index > this.lastIndex()) return null;
    return this.entryAt(index).term;
  }

  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /** §5.4.1: a candidate's log is at least as up to date as ours. */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ourTerm = this.lastTerm();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.lastIndex());
  }

  /**
   * Entries [lo, hi), at most `maxBytes` of them but always at least one, or
   * null when `lo` was compacted away (the follower then needs a snapshot).
   */
  slice(lo: number, hi: number, maxBytes: number): Entry[] | null {
    if (lo <= this.snapshotIndex) return null;
    assert(hi <= this.lastIndex() + 1, 'slice beyond the last index');
    const out: Entry[] = [];
    let bytes = 0;
    for (let i = lo; i < hi; i++) {
      const entry = this.entryAt(i);
      bytes += entrySizeBytes(entry);
      if (out.length > 0 && bytes > maxBytes) break;
      out.push(entry);
    }
    return out;
  }

  /** Appends after truncating any entry at or after entries[0].index; returns the new last index. */
  append(entries: Entry[]): number {
    const first = entries[0];
    if (first === undefined) return this.lastIndex();
    assert(first.index > this.committed, `truncating committed entry ${first.index}`);
    assert(first.index <= this.lastIndex() + 1, 'append leaves a gap');
    this.entries.length = first.index - this.firstIndex();
    this.entries.push(...entries);
    this.stableIndex = Math.min(this.stableIndex, first.index - 1);
    return this.lastIndex();
  }

  /**
   * The follower's half of the consistency check (§5.3): when our entry at
   * prevIndex has prevTerm, append what is new and return the last index the
   * leader's message covers; otherwise null.
   */
  maybeAppend(prevIndex: number, prevTerm: number, commit: number, entries: Entry[]): number | null {
    if (!this.matchTerm(prevIndex, prevTerm)) return null;
    const lastNew = prevIndex + entries.length;
    const conflict = this.findConflict(entries);
    if (conflict !== 0) this.append(entries.slice(conflict - prevIndex - 1));
    this.commitTo(Math.min(commit, lastNew));
    return lastNew;
  }

  /** The first index whose term differs from ours or that we lack, or 0 when all match. */
  private findConflict(entries: Entry[]): number {
    for (const entry of entries) {
      if (!this.matchTerm(entry.index, entry.term)) return entry.index;
    }
    return 0;
  }

  /**
   * Fast back-tracking (§5.3, "the follower can include the term of the
   * conflicting entry"): the largest index <= `index` whose term is <= `term`.
   */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    let i = Math.min(index, this.lastIndex());
    for (;;) {
      const ourTerm = this.term(i);
      if (ourTerm === null) return { index: i, term: 0 };
      if (ourTerm <= term) return { index: i, term: ourTerm };
      i--;
    }
  }

  commitTo(index: number): void {
    if (index <= this.committed) return;
    assert(index <= this.lastIndex(), `commit ${index} beyond last index ${this.lastIndex()}`);
    this.committed = index;
  }

  /** Figure 8 (§5.4.2): only an entry of the current term commits by counting replicas. */
  maybeCommit(index: number, term: number): boolean {
    if (index <= this.committed || this.term(index) !== term) return false;
    this.commitTo(index);
    return true;
  }

  unstableEntries(): Entry[] {
    return this.entries.slice(this.stableIndex - this.snapshotIndex);
  }

  /** Marks entries up to `index` persisted, unless they were replaced since Ready handed them out. */
  stableTo(index: number, term: number): void {
    if (index > this.stableIndex && this.matchTerm(index, term)) this.stableIndex = index;
  }

  stableSnapshotTo(index: number): void {
    if (this.pendingSnapshot?.meta.index === index) this.pendingSnapshot = null;
  }

  /** Committed entries the application has not yet been given, at most `maxCount`. */
  nextCommitted(maxCount: number): Entry[] {
    const lo = Math.max(this.applied, this.snapshotIndex) + 1;
    const hi = Math.min(this.committed, lo + maxCount - 1);
    const out: Entry[] = [];
    for (let i = lo; i <= hi; i++) out.push(this.entryAt(i));
    return out;
  }

  hasNextCommitted(): boolean {
    return this.committed > Math.max(this.applied, this.snapshotIndex);
  }

  /** Committed but not yet applied entries, e.g. to find an unapplied membership change. */
  unapplied(): Entry[] {
    return this.nextCommitted(Number.MAX_SAFE_INTEGER);
  }

  appliedTo(index: number): void {
    assert(index <= this.committed, `applied ${index} beyond commit ${this.committed}`);
    assert(index >= this.applied, 'applied never goes back');
    this.applied = index;
  }

  /** Replaces the whole log by a received snapshot (InstallSnapshot, §7). */
  restore(snapshot: Snapshot): void {
    assert(snapshot.meta.index > this.committed, 'restoring a snapshot behind the commit index');
    this.snapshotIndex = snapshot.meta.index;
    this.snapshotTerm = snapshot.meta.term;
    this.entries = [];
    this.stableIndex = this.snapshotIndex;
    this.committed = this.snapshotIndex;
    this.pendingSnapshot = snapshot;
  }

  /** Drops entries up to `index`, which the application covered with a snapshot (§7). */
  compact(index: number): void {
    if (index <= this.snapshotIndex) return;
    assert(index <= this.applied, `compacting ${index} beyond applied ${this.applied}`);
    assert(index <= this.stableIndex, `compacting unpersisted entry ${index}`);
    const term = this.term(index);
    assert(term !== null, 'compaction point exists');
    this.entries = this.entries.slice(index - this.snapshotIndex);
    this.snapshotIndex = index;
    this.snapshotTerm = term;
  }

  private entryAt(index: number): Entry {
    const entry = this.entries[index - this.firstIndex()];
    assert(entry !== undefined && entry.index === index, `entry ${index} is not in memory`);
    return entry;
  }
}
