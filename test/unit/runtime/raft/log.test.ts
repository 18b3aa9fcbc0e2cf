// Goal: the in-memory Raft log keeps Raft's log invariants (§5.3 Log
// Matching, §5.4.2 commit rule, §7 compaction) and hands out exactly the
// unstable and committed entries. Method: direct calls on small logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssertionError } from '../../../../runtime/assert.ts';
import { RaftLog } from '../../../../runtime/raft/log.ts';
import type { Entry, Snapshot } from '../../../../runtime/raft/types.ts';

function e(index: number, term: number, data = ''): Entry {
  return { index, term, payload: { kind: 'command', data: new TextEncoder().encode(data) } };
}

function log(terms: number[], committed = 0): RaftLog {
  return new RaftLog(null, terms.map((t, i) => e(i + 1, t)), committed);
}

test('§5.3 maybeAppend: accepts when prev matches, truncates a conflicting suffix, keeps matching entries', () => {
  const l = log([1, 1, 2, 2]);
  assert.equal(l.maybeAppend(1, 2, 0, [e(2, 2)]), null, 'prev term mismatch');
  assert.equal(l.maybeAppend(5, 2, 0, []), null, 'prev beyond the log');
  assert.equal(l.maybeAppend(2, 1, 0, [e(3, 2)]), 3, 'a duplicate prefix changes nothing');
  assert.equal(l.lastIndex(), 4, 'a stale, shorter append never truncates');
  assert.equal(l.maybeAppend(2, 1, 3, [e(3, 3)]), 3, 'a conflict at 3 replaces 3..');
  assert.equal(l.lastIndex(), 3);
  assert.equal(l.term(3), 3);
  assert.equal(l.committed, 3, 'commit follows min(leader commit, last new)');
});

test('§5.3 findConflictByTerm skips back over a whole term', () => {
  const l = log([1, 1, 1, 4, 4, 5, 5, 6, 6, 6]);
  assert.deepEqual(l.findConflictByTerm(10, 3), { index: 3, term: 1 });
  assert.deepEqual(l.findConflictByTerm(10, 5), { index: 7, term: 5 });
  assert.deepEqual(l.findConflictByTerm(20, 6), { index: 10, term: 6 }, 'an index beyond the log starts at the last');
  assert.deepEqual(l.findConflictByTerm(2, 0), { index: 0, term: 0 });
});

test('§5.4.2 maybeCommit commits only an entry of the given (current) term', () => {
  const l = log([1, 2, 2, 4]);
  assert.equal(l.maybeCommit(3, 4), false, 'entry 3 is of term 2, not the current 4');
  assert.equal(l.committed, 0);
  assert.equal(l.maybeCommit(4, 4), true);
  assert.equal(l.committed, 4, 'committing 4 commits everything before it');
  assert.throws(() => l.append([e(3, 5)]), AssertionError, 'committed entries are never truncated');
});

test('unstable entries: handed out until persisted; a replaced entry is not marked stable', () => {
  const l = log([1, 1]);
  l.append([e(3, 2), e(4, 2)]);
  assert.deepEqual(l.unstableEntries().map((x) => x.index), [3, 4]);
  l.append([e(4, 3)]);
  l.stableTo(4, 2);
  assert.equal(l.stableIndex, 2, 'entry 4 of term 2 was replaced before the advance');
  l.stableTo(4, 3);
  assert.equal(l.stableIndex, 4);
  assert.deepEqual(l.unstableEntries(), []);
});

test('slice respects the byte budget but always returns at least one entry', () => {
  const l = new RaftLog(null, [e(1, 1, 'x'.repeat(100)), e(2, 1, 'y'.repeat(100)), e(3, 1, 'z')], 0);
  assert.equal(l.slice(1, 4, 130)!.length, 1);
  assert.equal(l.slice(1, 4, 10)!.length, 1);
  assert.equal(l.slice(1, 4, 1000)!.length, 3);
});

test('§7 compaction keeps the term at the compaction point; restore replaces the log', () => {
  const l = log([1, 1, 2, 2], 4);
  l.appliedTo(3);
  l.compact(3);
  assert.equal(l.firstIndex(), 4);
  assert.equal(l.term(3), 2, 'the snapshot remembers its term');
  assert.equal(l.term(2), null, 'compacted');
  assert.equal(l.slice(3, 5, 1000), null, 'a slice into compacted entries asks for a snapshot');
  const snapshot: Snapshot = { meta: { index: 10, term: 5, confState: { voters: ['1'], learners: [] } }, data: new Uint8Array() };
  l.restore(snapshot);
  assert.equal(l.lastIndex(), 10);
  assert.equal(l.committed, 10);
  assert.equal(l.pendingSnapshot, snapshot);
  assert.deepEqual(l.nextCommitted(10), [], 'nothing to apply before the snapshot');
});

test('assertions: commit never passes the last index; applied never passes commit', () => {
  const l = log([1, 1]);
  assert.throws(() => l.commitTo(3), AssertionError);
  l.commitTo(1);
  assert.throws(() => l.appliedTo(2), AssertionError);
});
