// Goal: the merged view routes on the freshest observation per node within
// the staleness bound, breaks ties the same way on every peer, re-dates
// gossiped observations by their age (so a peer's clock skew cannot make its
// view look fresher), and knows nothing (routable) without a fresh one.
// Method: a HealthView driven by explicit times; no clock at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthView } from '../../../runtime/health/view.ts';

test('the freshest observation wins, whoever made it', () => {
  const view = new HealthView('p1', 1_000);
  view.recordLocal('n1', { status: 'healthy', latencyEwmaMs: 3, observedAtMs: 100 });
  view.absorb('p2', [{ nodeId: 'n1', status: 'down', latencyEwmaMs: 3, ageMs: 10 }], 200);
  assert.equal(view.merged('n1', 200)?.peerId, 'p2');
  assert.equal(view.isRoutable('n1', 200), false);
  assert.deepEqual(view.report('n1', 250), { status: 'down', latencyEwmaMs: 3, observedBy: 'p2', ageMs: 60 });
  assert.equal(view.report('n9', 250), null);
  view.recordLocal('n1', { status: 'healthy', latencyEwmaMs: 3, observedAtMs: 250 });
  assert.equal(view.isRoutable('n1', 260), true);
});

test('undecided observations (suspect, recovering) never outvote a decided one', () => {
  const view = new HealthView('p1', 1_000);
  view.recordLocal('n1', { status: 'down', latencyEwmaMs: null, observedAtMs: 100 });
  // p2 saw its first failure later: not a verdict yet, so p1's down stands.
  view.absorb('p2', [{ nodeId: 'n1', status: 'suspect', latencyEwmaMs: 2, ageMs: 0 }], 200);
  assert.equal(view.isRoutable('n1', 200), false);
  // p1's node comes back: one good probe is not a verdict either; p2's later decided down stands.
  view.absorb('p2', [{ nodeId: 'n1', status: 'down', latencyEwmaMs: 2, ageMs: 0 }], 300);
  view.recordLocal('n1', { status: 'recovering', latencyEwmaMs: 1, observedAtMs: 400 });
  assert.equal(view.merged('n1', 400)?.peerId, 'p2');
  view.recordLocal('n1', { status: 'healthy', latencyEwmaMs: 1, observedAtMs: 500 });
  assert.equal(view.isRoutable('n1', 500), true);
  // Only undecided observations: the view knows nothing, the node stays routable.
  const fresh = new HealthView('p1', 1_000);
  fresh.recordLocal('n1', { status: 'suspect', latencyEwmaMs: 1, observedAtMs: 0 });
  assert.equal(fresh.merged('n1', 0), null);
  assert.equal(fresh.isRoutable('n1', 0), true);
});

test('observations older than the staleness bound do not count; no fresh one means routable', () => {
  const view = new HealthView('p1', 1_000);
  assert.equal(view.merged('n1', 0), null);
  assert.equal(view.isRoutable('n1', 0), true);
  view.recordLocal('n1', { status: 'down', latencyEwmaMs: null, observedAtMs: 0 });
  assert.equal(view.isRoutable('n1', 1_000), false);
  assert.equal(view.isRoutable('n1', 1_001), true);
  assert.deepEqual(view.localEntries(1_001), [], 'stale local observations are not gossiped');
});

test('gossip carries ages: a remote clock ahead by an hour changes nothing', () => {
  const view = new HealthView('p1', 1_000);
  // p2's clock reads 3_600_000 more than ours; it sends ages, which skew does not touch.
  view.absorb('p2', [{ nodeId: 'n1', status: 'down', latencyEwmaMs: null, ageMs: 400 }], 5_000);
  assert.equal(view.merged('n1', 5_000)?.observedAtMs, 4_600);
  view.recordLocal('n1', { status: 'healthy', latencyEwmaMs: 1, observedAtMs: 4_700 });
  assert.equal(view.merged('n1', 5_000)?.status, 'healthy');
});

test('ties go to the lower peer id; a new digest replaces the old view', () => {
  const view = new HealthView('p2', 1_000);
  view.recordLocal('n1', { status: 'healthy', latencyEwmaMs: 1, observedAtMs: 100 });
  view.absorb('p1', [{ nodeId: 'n1', status: 'down', latencyEwmaMs: null, ageMs: 0 }], 100);
  view.absorb('p3', [{ nodeId: 'n1', status: 'slow', latencyEwmaMs: 900, ageMs: 0 }], 100);
  assert.equal(view.merged('n1', 100)?.peerId, 'p1');
  view.absorb('p1', [], 100);
  assert.equal(view.merged('n1', 100)?.peerId, 'p2');
  assert.throws(() => view.absorb('p2', [], 0), /does not gossip to itself/);
});
