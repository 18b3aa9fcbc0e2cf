// Goal: health gossip carries a peer's observations to the others over the
// real peer mesh: the view is pushed to a peer as soon as it connects, a
// changed verdict arrives at once (not only at the next round), rounds keep views fresh, and a malformed digest is refused without
// touching the view.
// Method: two PeerMesh instances on loopback (port 0) with a HealthGossip
// each; a long round interval, so only the immediate push can explain a
// prompt arrival; waits have deadlines.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { realClock } from '../../../runtime/env/real.ts';
import { HealthView } from '../../../runtime/health/view.ts';
import { HealthGossip } from '../../../runtime/gossip/health-gossip.ts';
import { decodeHealthDigest, encodeHealthDigest, HEALTH_TOPIC } from '../../../runtime/gossip/health-codec.ts';
import { packValue } from '../../../runtime/cluster/msgpack.ts';
import { link, startMesh } from '../transport/mesh-helpers.ts';

async function until(probe: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = realClock.nowMs() + timeoutMs;
  while (!probe()) {
    if (realClock.nowMs() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('the digest codec round-trips and refuses what it does not know', () => {
  const entries = [{ nodeId: 'n1', status: 'down' as const, latencyEwmaMs: null, ageMs: 12 }, { nodeId: 'n2', status: 'slow' as const, latencyEwmaMs: 1.5, ageMs: 0 }];
  assert.deepEqual(decodeHealthDigest(encodeHealthDigest(entries)), { ok: true, entries });
  for (const bad of [
    packValue({ v: 2, entries: [] }),
    packValue({ v: 1, entries: [['n1', 'sleepy', null, 0]] }),
    packValue({ v: 1, entries: [['n1', 'down', null, -1]] }),
    packValue({ v: 1, entries: [['', 'down', null, 0]] }),
    packValue({ v: 1, entries: 'all' }),
    new Uint8Array([0xc1]),
  ]) {
    assert.equal(decodeHealthDigest(bad).ok, false);
  }
});

test('two peers: a verdict change is pushed at once, rounds follow, bad digests are refused', async () => {
  const a = await startMesh('pa');
  const b = await startMesh('pb');
  const gossips: HealthGossip[] = [];
  after(async () => {
    for (const g of gossips) g.stop();
    await Promise.all([a.close(), b.close()]);
  });
  const viewA = new HealthView('pa', 60_000);
  const viewB = new HealthView('pb', 60_000);
  const refused: string[] = [];
  const gossipA = new HealthGossip({ mesh: a, view: viewA, clock: realClock, intervalMs: 60_000 });
  const gossipB = new HealthGossip({ mesh: b, view: viewB, clock: realClock, intervalMs: 60_000, onRefused: (from, reason) => refused.push(`${from}: ${reason}`) });
  gossips.push(gossipA, gossipB);
  // What pa knew before the link existed reaches pb when they connect, not a round later.
  viewA.recordLocal('n0', { status: 'slow', latencyEwmaMs: 1_500, observedAtMs: realClock.nowMs() });
  await link(a, b);
  await until(() => viewB.merged('n0', realClock.nowMs())?.status === 'slow', 'the view pushed on connect');

  gossipA.observe('n1', { status: 'down', latencyEwmaMs: null, observedAtMs: realClock.nowMs() });
  await until(() => viewB.merged('n1', realClock.nowMs())?.status === 'down', 'the down verdict on pb');
  assert.equal(viewB.merged('n1', realClock.nowMs())?.peerId, 'pa');
  assert.equal(viewB.isRoutable('n1', realClock.nowMs()), false);

  // The same status again is no news: no extra push.
  const pushes = gossipA.pushes;
  gossipA.observe('n1', { status: 'down', latencyEwmaMs: null, observedAtMs: realClock.nowMs() });
  assert.equal(gossipA.pushes, pushes);

  a.sendGossip('pb', HEALTH_TOPIC, packValue({ v: 1, entries: [['n1', 'healthy', null, 'now']] }));
  await until(() => refused.length === 1, 'the refusal');
  assert.match(refused[0]!, /^pa: entries\[0\]/);
  assert.equal(viewB.merged('n1', realClock.nowMs())?.status, 'down', 'a refused digest leaves the view alone');

  gossipA.stop();
  gossips.splice(0, 1);
  const rounds = new HealthGossip({ mesh: a, view: viewA, clock: realClock, intervalMs: 20 });
  gossips.push(rounds);
  viewA.recordLocal('n2', { status: 'healthy', latencyEwmaMs: 2, observedAtMs: realClock.nowMs() });
  await until(() => viewB.merged('n2', realClock.nowMs())?.status === 'healthy', 'a round carrying n2');
  assert.ok(rounds.pushes >= 1);
});
