// Goal: LevelLogStore keeps the LogStore contract on a real LevelDB: what a
// resolved save() wrote is what load() returns after a reopen, a conflicting
// tail is replaced, snapshots cut the log atomically, invariants are asserted,
// and a process killed with SIGKILL mid-write reopens to a consistent prefix.
// Method: real LevelDB in a temporary directory; a child process writing in a
// loop is killed at random moments and the store is reopened and checked.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { LevelLogStore } from '../../../../runtime/raft/log-store-level.ts';
import { AssertionError } from '../../../../runtime/assert.ts';
import type { Entry } from '../../../../runtime/raft/types.ts';
import { entryBytes } from './crash-pattern.ts';

const root = mkdtempSync(join(tmpdir(), 'miroir-logstore-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshPath = (): string => join(root, `db-${dirs++}`);
const bootstrap = { voters: ['a', 'b', 'c'], learners: [] };

function entries(from: number, to: number, term: number): Entry[] {
  const out: Entry[] = [];
  for (let i = from; i <= to; i++) out.push({ index: i, term, payload: { kind: 'command', data: Uint8Array.of(i & 0xff, term) } });
  return out;
}

async function reopen(path: string): Promise<LevelLogStore> {
  return LevelLogStore.open({ path, bootstrap: { voters: ['ignored'], learners: [] } });
}

test('a fresh store loads the bootstrap membership and an empty log', async () => {
  const store = await LevelLogStore.open({ path: freshPath(), bootstrap });
  const state = await store.load();
  await store.close();
  assert.deepEqual(state, { hardState: { term: 0, vote: null, commit: 0 }, snapshot: null, entries: [], confState: bootstrap });
});

test('entries, hard state and conf changes survive a reopen unchanged', async () => {
  const path = freshPath();
  const store = await LevelLogStore.open({ path, bootstrap });
  await store.load();
  const written: Entry[] = [
    ...entries(1, 3, 1),
    { index: 4, term: 2, payload: { kind: 'conf', change: { kind: 'addLearner', peer: 'd' } } },
  ];
  await store.save({ hardState: { term: 2, vote: 'b', commit: 3 }, entries: written, snapshot: null, sync: true });
  await store.close();
  const again = await reopen(path);
  const state = await again.load();
  await again.close();
  assert.deepEqual(state.hardState, { term: 2, vote: 'b', commit: 3 });
  assert.deepEqual(state.confState, bootstrap, 'the bootstrap membership is written once, never overwritten');
  assert.equal(state.entries.length, 4);
  assert.deepEqual(state.entries.map((e) => [e.index, e.term]), [[1, 1], [2, 1], [3, 1], [4, 2]]);
  assert.deepEqual(state.entries[3]!.payload, { kind: 'conf', change: { kind: 'addLearner', peer: 'd' } });
  const first = state.entries[0]!.payload;
  assert.ok(first.kind === 'command');
  assert.deepEqual([...first.data], [1, 1]);
});

test('a conflicting shorter tail replaces the stored one, deleting what lies beyond it', async () => {
  const path = freshPath();
  const store = await LevelLogStore.open({ path, bootstrap });
  await store.load();
  await store.save({ hardState: { term: 1, vote: 'a', commit: 2 }, entries: entries(1, 10, 1), snapshot: null, sync: false });
  await store.save({ hardState: { term: 3, vote: 'c', commit: 5 }, entries: entries(6, 7, 3), snapshot: null, sync: true });
  assert.deepEqual(store.bounds(), { firstIndex: 1, lastIndex: 7, snapshotIndex: 0, segments: 2 }, 'the first segment was cut at 5');
  await store.close();
  const again = await reopen(path);
  const state = await again.load();
  await again.close();
  assert.deepEqual(state.entries.map((e) => [e.index, e.term]), [[1, 1], [2, 1], [3, 1], [4, 1], [5, 1], [6, 3], [7, 3]]);
});

test('a snapshot that matches the log cuts only the prefix; compact() is idempotent with it', async () => {
  const path = freshPath();
  const store = await LevelLogStore.open({ path, bootstrap });
  await store.load();
  await store.save({ hardState: { term: 2, vote: 'a', commit: 8 }, entries: entries(1, 10, 2), snapshot: null, sync: true });
  const snapshot = { meta: { index: 6, term: 2, confState: bootstrap }, data: Uint8Array.of(9, 9, 9) };
  await store.save({ hardState: null, entries: [], snapshot, sync: true });
  await store.compact(6);
  assert.deepEqual(store.bounds(), { firstIndex: 7, lastIndex: 10, snapshotIndex: 6, segments: 1 }, 'the segment straddling 6 stays');
  await store.close();
  const again = await reopen(path);
  const state = await again.load();
  await again.close();
  assert.deepEqual(state.snapshot?.meta, snapshot.meta);
  assert.deepEqual([...state.snapshot!.data], [9, 9, 9]);
  assert.deepEqual(state.entries.map((e) => e.index), [7, 8, 9, 10]);
});

test('a snapshot from a leader that disagrees with the log replaces the whole log, entries after it included', async () => {
  const path = freshPath();
  const store = await LevelLogStore.open({ path, bootstrap });
  await store.load();
  await store.save({ hardState: { term: 2, vote: 'a', commit: 3 }, entries: entries(1, 10, 2), snapshot: null, sync: true });
  const snapshot = { meta: { index: 8, term: 5, confState: bootstrap }, data: Uint8Array.of(1) };
  await store.save({ hardState: { term: 5, vote: null, commit: 8 }, entries: entries(9, 9, 5), snapshot, sync: true });
  await store.close();
  const again = await reopen(path);
  const state = await again.load();
  await again.close();
  assert.equal(state.snapshot?.meta.index, 8);
  assert.deepEqual(state.entries.map((e) => [e.index, e.term]), [[9, 5]]);
  assert.deepEqual(state.hardState, { term: 5, vote: null, commit: 8 });
});

test('invariants are asserted at write time: no gap, no term going back, no commit past the log', async () => {
  const store = await LevelLogStore.open({ path: freshPath(), bootstrap });
  await store.load();
  await store.save({ hardState: { term: 3, vote: 'a', commit: 1 }, entries: entries(1, 2, 3), snapshot: null, sync: false });
  await assert.rejects(store.save({ hardState: null, entries: entries(4, 4, 3), snapshot: null, sync: false }), AssertionError);
  await assert.rejects(store.save({ hardState: { term: 2, vote: 'a', commit: 1 }, entries: [], snapshot: null, sync: false }), AssertionError);
  await assert.rejects(store.save({ hardState: { term: 3, vote: 'a', commit: 5 }, entries: [], snapshot: null, sync: false }), AssertionError);
  // A failed save leaves the store usable and unchanged.
  await store.save({ hardState: { term: 3, vote: 'a', commit: 2 }, entries: entries(3, 3, 3), snapshot: null, sync: false });
  assert.deepEqual(store.bounds(), { firstIndex: 1, lastIndex: 3, snapshotIndex: 0, segments: 2 });
  await store.close();
});

test('segments: long saves split, truncation inside and at the edge of segments, compaction drops whole segments', async () => {
  const path = freshPath();
  const store = await LevelLogStore.open({ path, bootstrap });
  await store.load();
  await store.save({ hardState: { term: 1, vote: 'a', commit: 0 }, entries: entries(1, 2500, 1), snapshot: null, sync: false });
  assert.equal(store.bounds().segments, 3, '2500 entries split into segments of at most 1024');
  await store.save({ hardState: null, entries: entries(2501, 2510, 1), snapshot: null, sync: false });
  // Truncate exactly at a segment boundary (2049 starts the third segment), then inside one (1500).
  await store.save({ hardState: { term: 2, vote: 'b', commit: 10 }, entries: entries(2049, 2060, 2), snapshot: null, sync: false });
  await store.save({ hardState: { term: 3, vote: 'c', commit: 10 }, entries: entries(1500, 1505, 3), snapshot: null, sync: true });
  assert.deepEqual(store.bounds(), { firstIndex: 1, lastIndex: 1505, snapshotIndex: 0, segments: 3 });
  await assert.rejects(store.save({ hardState: null, entries: entries(1506, 1506, 2), snapshot: null, sync: false }), AssertionError, 'a term below the last stored one');
  const snapshot = { meta: { index: 1200, term: 1, confState: bootstrap }, data: Uint8Array.of(7) };
  await store.save({ hardState: null, entries: [], snapshot, sync: true });
  await store.compact(1200);
  assert.deepEqual(store.bounds(), { firstIndex: 1201, lastIndex: 1505, snapshotIndex: 1200, segments: 2 }, 'the first segment (1–1024) went');
  await store.close();
  const again = await reopen(path);
  const state = await again.load();
  await again.close();
  assert.equal(state.entries.length, 305);
  assert.deepEqual([state.entries[0]!.index, state.entries.at(-1)!.index], [1201, 1505]);
  assert.deepEqual(state.entries.slice(297).map((e) => [e.index, e.term]), [[1498, 1], [1499, 1], [1500, 3], [1501, 3], [1502, 3], [1503, 3], [1504, 3], [1505, 3]]);
});

interface Ack {
  last: number;
  term: number;
}

/** Runs the crash writer until it acknowledged `minAcks` saves plus a random pause, then SIGKILLs it. */
async function runAndKill(path: string, seed: number, minAcks: number, pauseMs: number): Promise<Ack | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./crash-writer.ts', import.meta.url).pathname, path, String(seed)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let lastAck: Ack | null = null;
  let acks = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [, last, term] = line.split(' ');
      lastAck = { last: Number(last), term: Number(term) };
      acks += 1;
      if (acks === minAcks) setTimeout(() => { child.kill('SIGKILL'); resolve(); }, pauseMs);
    });
    child.once('exit', () => resolve());
  });
  await exited;
  assert.equal(child.signalCode, 'SIGKILL', 'the writer must die by SIGKILL, not by an error');
  return lastAck;
}

test('kill -9 in the middle of a write loop: the store reopens to a consistent prefix holding every acknowledged save', async () => {
  const path = freshPath();
  let previousLast = 0;
  for (let round = 0; round < 4; round++) {
    const ack = await runAndKill(path, 1000 + round, 40 + round * 25, round * 7);
    assert.ok(ack !== null, 'the writer acknowledged saves before being killed');
    const store = await reopen(path);
    const state = await store.load();
    await store.close();
    const last = state.entries.at(-1)?.index ?? 0;
    assert.ok(last >= ack.last, `round ${round}: acknowledged index ${ack.last} lost (store ends at ${last})`);
    assert.ok(last >= previousLast || state.hardState.commit < previousLast, 'the log only shrinks by replacing uncommitted entries');
    state.entries.forEach((entry, i) => {
      assert.equal(entry.index, i + 1, 'indices are contiguous from 1');
      assert.ok(entry.payload.kind === 'command');
      assert.deepEqual(entry.payload.data, Buffer.from(entryBytes(entry.index, entry.term)), `entry ${entry.index} is intact`);
      if (i > 0) assert.ok(entry.term >= state.entries[i - 1]!.term, 'terms never decrease along the log');
    });
    const acked = state.entries[ack.last - 1];
    assert.ok(acked !== undefined && acked.term >= ack.term, 'the acknowledged entry is there, from its term or a later one');
    assert.ok(state.hardState.commit <= last, 'commit stays within the log');
    previousLast = last;
  }
});
