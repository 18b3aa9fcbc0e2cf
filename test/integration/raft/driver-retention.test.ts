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
import { encodeCommand } from './kv-state-machine.ts';
import { startPeer, waitFor, type InProcessPeer } from './in-process-peer.ts';

const root = mkdtempSync(join(tmpdir(), 'miroir-retention-'));
const running: InProcessPeer[] = [];
after(async () => {
  await Promise.all(running.map((p) => p.close()));
  rmSync(root, { recursive: true, force: true });
});

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
