// Goal: a node actor probes on its own schedule and turns probe outcomes into
// its lifecycle: a node that stops answering is failed after the threshold
// (one interval plus the faster suspect probes), a slow one is degraded, a
// recovered one is active again after the recovery threshold; joining,
// draining and removed follow the committed state; every probe is reported
// to the parent.
// Method: the machine under a parent harness on XState's SimulatedClock; the
// invoked `probe` is scripted (a node that is up, down or slow, with a
// latency) — the only fake, standing in for the HTTP call that the
// integration test makes for real. Time moves only through clock.increment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, fromPromise, setup, SimulatedClock, assign, sendTo } from 'xstate';
import { nodeMachine, type NodeObservedEvent, type ProbeInput } from '../../../actors/node.machine.ts';
import { defaultHealthPolicy, type HealthPolicy } from '../../../runtime/health/policy.ts';
import type { NodeState } from '../../../runtime/cluster/commands.ts';

const policy: HealthPolicy = { ...defaultHealthPolicy(), probeIntervalMs: 1_000, suspectProbeIntervalMs: 250, unhealthyThreshold: 2, recoveryThreshold: 2, degradedLatencyMs: 100, latencyEwmaWeight: 0.5 };
const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** The node behind the scripted probe. */
class ScriptedNode {
  up = true;
  latencyMs = 5;
  probes: number[] = [];
  constructor(private readonly clock: SimulatedClock) {}
  logic() {
    return fromPromise<number, ProbeInput>(async ({ input }) => {
      assert.equal(input.timeoutMs, policy.probeTimeoutMs);
      this.probes.push(this.clock.now());
      if (!this.up) throw new Error('connect ECONNREFUSED');
      return this.latencyMs;
    });
  }
}

/** Starts the harness; the first probe runs inside start(), so `latencyMs` sets its answer. */
function start(committed: NodeState = 'active', latencyMs = 5) {
  const clock = new SimulatedClock();
  const node = new ScriptedNode(clock);
  node.latencyMs = latencyMs;
  const parent = setup({
    types: { context: {} as { observed: NodeObservedEvent[] }, events: {} as NodeObservedEvent | { type: 'commit'; committed: NodeState } },
    actors: { node: nodeMachine.provide({ actors: { probe: node.logic() } }) },
  }).createMachine({
    context: { observed: [] },
    invoke: { src: 'node', id: 'node', input: { nodeId: 'n1', committed, policy } },
    on: {
      'node.observed': { actions: assign({ observed: ({ context, event }) => [...context.observed, event] }) },
      commit: { actions: sendTo('node', ({ event }) => ({ type: 'node.committed.changed' as const, committed: event.committed })) },
    },
  });
  const actor = createActor(parent, { clock });
  actor.start();
  const child = () => actor.getSnapshot().children.node!;
  const lifecycle = (): string => {
    const snapshot = child().getSnapshot();
    if (snapshot.status === 'done') return 'removed';
    const value = snapshot.value as { live: { status: string } };
    return value.live.status;
  };
  const advance = async (ms: number): Promise<void> => {
    clock.increment(ms);
    await flush();
  };
  return { clock, node, actor, lifecycle, advance, observed: () => actor.getSnapshot().context.observed };
}

test('a healthy node: probed at once, then every interval; active', async () => {
  const t = start();
  await t.advance(0);
  assert.deepEqual(t.node.probes, [0]);
  assert.equal(t.lifecycle(), 'active');
  await t.advance(999);
  assert.equal(t.node.probes.length, 1);
  await t.advance(1);
  assert.deepEqual(t.node.probes, [0, 1_000]);
  assert.deepEqual(t.observed().map((o) => [o.status, o.lifecycle, o.latencyEwmaMs]), [['healthy', 'active', 5], ['healthy', 'active', 5]]);
  t.actor.stop();
});

test('a node that dies is failed within one interval plus the suspect probes, and recovers after the threshold', async () => {
  const t = start();
  await t.advance(0);
  t.node.up = false;
  const diedAtMs = 1;
  await t.advance(1_000);
  assert.equal(t.lifecycle(), 'degraded', 'one failed probe: suspect');
  assert.equal(t.observed().at(-1)?.status, 'suspect');
  await t.advance(policy.suspectProbeIntervalMs);
  assert.equal(t.lifecycle(), 'failed');
  const failedAtMs = t.node.probes.at(-1)! - diedAtMs;
  assert.ok(failedAtMs <= policy.probeIntervalMs + policy.suspectProbeIntervalMs, `failed after ${failedAtMs} ms`);
  assert.equal(t.observed().at(-1)?.lastError, 'connect ECONNREFUSED');
  // Once failed, probes go back to the normal interval.
  await t.advance(policy.suspectProbeIntervalMs);
  assert.equal(t.node.probes.length, 3);
  t.node.up = true;
  await t.advance(policy.probeIntervalMs - policy.suspectProbeIntervalMs);
  assert.equal(t.lifecycle(), 'failed', 'one good probe is not a recovery');
  await t.advance(policy.probeIntervalMs);
  assert.equal(t.lifecycle(), 'active');
  assert.deepEqual(t.observed().map((o) => o.lifecycle), ['active', 'degraded', 'failed', 'failed', 'active']);
  t.actor.stop();
});

test('a slow node is degraded by its latency EWMA and active again when fast', async () => {
  const t = start('active', 400);
  await t.advance(0);
  assert.equal(t.lifecycle(), 'degraded');
  assert.equal(t.observed().at(-1)?.status, 'slow');
  t.node.latencyMs = 10;
  await t.advance(1_000);
  assert.equal(t.observed().at(-1)?.latencyEwmaMs, 205);
  assert.equal(t.lifecycle(), 'degraded');
  await t.advance(1_000);
  await t.advance(1_000);
  assert.equal(t.lifecycle(), 'active', `ewma ${t.observed().at(-1)?.latencyEwmaMs}`);
  t.actor.stop();
});

test('joining, draining and removed follow the committed state', async () => {
  const t = start('joining');
  await t.advance(0);
  t.node.up = false;
  await t.advance(1_000);
  await t.advance(250);
  assert.equal(t.lifecycle(), 'joining', 'a joining node stays joining whatever its probes say');
  t.node.up = true;
  t.actor.send({ type: 'commit', committed: 'active' });
  await flush();
  assert.equal(t.lifecycle(), 'failed', 'once active, the probes decide');
  t.actor.send({ type: 'commit', committed: 'draining' });
  await flush();
  assert.equal(t.lifecycle(), 'draining');
  t.actor.send({ type: 'commit', committed: 'removed' });
  await flush();
  assert.equal(t.lifecycle(), 'removed');
  const probes = t.node.probes.length;
  await t.advance(10_000);
  assert.equal(t.node.probes.length, probes, 'a removed node is not probed');
  t.actor.stop();
});
