// Goal: the pure health decisions hold their contract: a node goes down after
// exactly `unhealthyThreshold` failed probes in a row and comes back only after
// `recoveryThreshold` good ones (hysteresis), a slow EWMA degrades without
// failing, and the lifecycle follows the committed state first.
// Method: hand-made sequences for the edges, then seeded random probe
// sequences checked against a naive oracle that rescans the whole history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  afterProbe, INITIAL_NODE_HEALTH, lifecycleOf, nextProbeDelayMs, statusOf, type NodeHealth, type ProbeOutcome,
} from '../../../runtime/health/node-health.ts';
import { ewma } from '../../../runtime/health/ewma.ts';
import { defaultHealthPolicy, type HealthPolicy } from '../../../runtime/health/policy.ts';
import { seededRng } from '../../../runtime/env/rng.ts';

const policy: HealthPolicy = { ...defaultHealthPolicy(), unhealthyThreshold: 3, recoveryThreshold: 2, degradedLatencyMs: 100, latencyEwmaWeight: 0.5 };
const ok = (latencyMs = 5): ProbeOutcome => ({ ok: true, latencyMs });
const fail: ProbeOutcome = { ok: false, error: 'ECONNREFUSED' };
const run = (outcomes: readonly ProbeOutcome[], from: NodeHealth = INITIAL_NODE_HEALTH): NodeHealth =>
  outcomes.reduce((h, o) => afterProbe(h, o, policy), from);

test('the defaults come from the config schema', () => {
  const d = defaultHealthPolicy();
  assert.equal(d.probeIntervalMs, 1_000);
  assert.equal(d.unhealthyThreshold, 2);
  assert.equal(d.latencyEwmaWeight, 0.3);
});

test('down after exactly unhealthyThreshold failures in a row; suspect before', () => {
  assert.equal(statusOf(INITIAL_NODE_HEALTH, policy), 'unknown');
  assert.equal(statusOf(run([ok(), fail]), policy), 'suspect');
  assert.equal(statusOf(run([ok(), fail, fail]), policy), 'suspect');
  assert.equal(statusOf(run([ok(), fail, fail, fail]), policy), 'down');
  assert.equal(statusOf(run([fail, fail, ok(), fail, fail]), policy), 'suspect', 'a success resets the count');
  assert.equal(run([fail, fail, fail]).lastError, 'ECONNREFUSED');
});

test('recovery needs recoveryThreshold successes in a row (hysteresis)', () => {
  const down = run([fail, fail, fail]);
  assert.equal(statusOf(run([ok()], down), policy), 'recovering');
  assert.equal(statusOf(run([ok(), fail], down), policy), 'down');
  assert.equal(statusOf(run([ok(), fail, ok()], down), policy), 'recovering');
  assert.equal(statusOf(run([ok(), ok()], down), policy), 'healthy');
});

test('the latency EWMA degrades a slow node without failing it', () => {
  assert.equal(ewma(null, 40, 0.5), 40);
  assert.equal(ewma(40, 80, 0.5), 60);
  assert.throws(() => ewma(1, 2, 0));
  const slow = run([ok(10), ok(300), ok(300)]);
  assert.equal(slow.latencyEwmaMs, 0.5 * 300 + 0.5 * (0.5 * 300 + 0.5 * 10));
  assert.equal(statusOf(slow, policy), 'slow');
  assert.equal(statusOf(run([ok(5), ok(5), ok(5)], slow), policy), 'healthy', 'a fast node again is healthy again');
});

test('the lifecycle: committed state first, then the probes', () => {
  assert.equal(lifecycleOf('joining', 'down'), 'joining');
  assert.equal(lifecycleOf('draining', 'healthy'), 'draining');
  assert.equal(lifecycleOf('removed', 'healthy'), 'removed');
  assert.equal(lifecycleOf('active', 'unknown'), 'active');
  assert.equal(lifecycleOf('active', 'healthy'), 'active');
  assert.equal(lifecycleOf('active', 'slow'), 'degraded');
  assert.equal(lifecycleOf('active', 'suspect'), 'degraded');
  assert.equal(lifecycleOf('active', 'down'), 'failed');
  assert.equal(lifecycleOf('active', 'recovering'), 'failed');
});

test('a failed probe brings the next one forward until the node is down', () => {
  assert.equal(nextProbeDelayMs(run([ok()]), policy), policy.probeIntervalMs);
  assert.equal(nextProbeDelayMs(run([fail]), policy), policy.suspectProbeIntervalMs);
  assert.equal(nextProbeDelayMs(run([fail, fail, fail]), policy), policy.probeIntervalMs);
});

test('seeded random probe sequences agree with a naive oracle', () => {
  /** Down after the last point where T failures in a row happened, unless R successes in a row followed it. */
  const oracleDown = (history: readonly boolean[]): boolean => {
    let down = false;
    for (let i = 0; i < history.length; i++) {
      const failuresEndingHere = history.slice(0, i + 1).reverse().findIndex((okay) => okay);
      const fails = failuresEndingHere === -1 ? i + 1 : failuresEndingHere;
      const successesEndingHere = history.slice(0, i + 1).reverse().findIndex((okay) => !okay);
      const oks = successesEndingHere === -1 ? i + 1 : successesEndingHere;
      if (fails >= policy.unhealthyThreshold) down = true;
      if (oks >= policy.recoveryThreshold) down = false;
    }
    return down;
  };
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    const rng = seededRng(seed);
    const history: boolean[] = [];
    let health = INITIAL_NODE_HEALTH;
    for (let step = 0; step < 200; step++) {
      const okay = rng.next() < 0.55;
      history.push(okay);
      health = afterProbe(health, okay ? ok(rng.int(50)) : fail, policy);
      assert.equal(health.down, oracleDown(history), `seed ${seed} step ${step}`);
    }
  }
});
