// Goal: the driver keeps the committed log its readers (node dispatchers)
// still need: readCommitted serves applied entries in order, a snapshot cuts
// the log only up to the retention floor, and the bytes bound cuts past the
// floor anyway (readers below the cut get LogCompactedError).
// Method: one real peer (LevelDB, mesh on loopback) that leads alone, with a
// retention whose floor and bounds the test moves; every wait has a deadline.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogCompactedError } from '../../../runtime/errors.ts';
import type { LogRetention } from '../../../runtime/raft/driver.ts';
import type { Entry } from '../../../runtime/raft/types.ts';
import { encodeCommand, KvStateMachine } from './kv-state-machine.ts';
import { startPeer, waitFor, type InProcessPeer } from './in-process-peer.ts';

const root = mkdtempSync(join(tmpdir(), 'miroir-retention-'));
const running: InProcessPeer[] = [];
after(async () => {
  await Promise.all(running.map((p) => p.close()));
  rmSync(root, { recursive: true, force: true });
});

/** Skips re-delivered entries, as the cluster state machine does (its snapshot may be ahead of its index). */
class SkippingKv extends KvStateMachine {
  override apply(entry: Entry): number {
    if (entry.index <= this.lastApplied) return this.order.length;
    return super.apply(entry);
  }
}

test('a snapshot cuts the log at the retention floor, and past it only beyond the bytes bound', async () => {
  let floor = 0;
  const retention: LogRetention = { floor: () => floor, bytesMax: 1 << 30, ageMs: 3_600_000 };
  const peer = await startPeer({
    id: 'r1', dir: join(root, 'r1'), bootstrap: { voters: ['r1'], learners: [] }, driver: { snapshotEveryEntries: 10, retention },
  });
  running.push(peer);
  const driver = await waitFor(() => peer.driver.isLeader && peer.driver, 'r1 leads');
  const put = (i: number) => driver.propose(encodeCommand({ id: `p${i}`, key: `k${i}`, value: 'x'.repeat(100) }));
  for (let i = 0; i < 30; i++) await put(i);
  const last = driver.status().applied;
  const all = driver.readCommitted(1, Number.POSITIVE_INFINITY);
  assert.deepEqual(all.map((e) => e.index), Array.from({ length: last }, (_, i) => i + 1), 'every applied entry, in order');
  assert.equal(driver.compactedThrough, 0, 'nothing cut while the floor is 0');
  assert.equal(driver.readCommitted(2, 1).length, 1, 'a byte bound still returns one entry');
  assert.deepEqual(driver.readCommitted(last + 1, 1 << 20), [], 'nothing past applied');

  floor = 15;
  for (let i = 30; i < 45; i++) await put(i);
  await waitFor(() => driver.compactedThrough === 15, 'the snapshot cuts at the floor');
  assert.throws(() => driver.readCommitted(15, 1 << 20), LogCompactedError);
  assert.equal(driver.readCommitted(16, 1 << 20)[0]?.index, 16);

  retention.bytesMax = 1024;
  for (let i = 45; i < 60; i++) await put(i);
  await waitFor(() => driver.compactedThrough > 15, 'the bytes bound cuts past the floor');
  const kept = driver.readCommitted(driver.compactedThrough + 1, Number.POSITIVE_INFINITY);
  assert.ok(kept.length > 0 && kept.length < 15, `only about 1 KiB is kept (${kept.length} entries)`);
  assert.equal(kept.at(-1)?.index, driver.status().applied);
});

test('a restart from a snapshot taken past its cut replays the kept entries without applying any twice', async () => {
  const retention: LogRetention = { floor: () => 10, bytesMax: 1 << 30, ageMs: 3_600_000 };
  const kv = new SkippingKv();
  const peer = await startPeer({
    id: 'r2', dir: join(root, 'r2'), bootstrap: { voters: ['r2'], learners: [] }, driver: { snapshotEveryEntries: 10, retention, stateMachine: kv },
  });
  running.push(peer);
  const leader = await waitFor(() => peer.driver.isLeader && peer.driver, 'r2 leads');
  const ids = Array.from({ length: 30 }, (_, i) => `q${i}`);
  for (const id of ids) await leader.propose(encodeCommand({ id, key: id, value: id }));
  await waitFor(() => leader.compactedThrough === 10, 'cut at the floor, state snapshot at applied');
  await peer.restartDriver();
  const again = await waitFor(() => peer.driver.isLeader && peer.driver, 'r2 leads again');
  await again.propose(encodeCommand({ id: 'after', key: 'after', value: 'x' }));
  assert.deepEqual(kv.order, [...ids, 'after'], 'every command applied exactly once, in order');
  assert.equal(again.readCommitted(11, 1 << 20)[0]?.index, 11, 'the kept entries are readable after the restart');
});
