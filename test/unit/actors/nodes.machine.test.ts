// Goal: the nodes supervisor keeps exactly one node actor per committed node
// that is not removed, forwards state changes, lets a removed node's actor
// finish, hands every observation to gossip, and spawns a crashed node actor
// again after its seeded back-off.
// Method: nodesMachine on XState's SimulatedClock with the committed-nodes
// feed and gossip provided by the test (the feed is driven by hand, gossip
// records what it receives) and node actors whose probe always answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, fromCallback, fromPromise, SimulatedClock, type EventObject } from 'xstate';
import { lifecycleOfContext, nodeMachine, type NodeObservedEvent, type ProbeInput } from '../../../actors/node.machine.ts';
import { nodesMachine, type CommittedNode, type NodesEvent } from '../../../actors/nodes.machine.ts';
import { restartDelayMs, DEFAULT_RESTART_POLICY, type RestartPolicy } from '../../../actors/supervision.ts';
import { defaultHealthPolicy } from '../../../runtime/health/policy.ts';

const policy = defaultHealthPolicy();
const restart: RestartPolicy = { ...DEFAULT_RESTART_POLICY, baseMs: 100, maxMs: 1_000, seed: 3 };
const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

function start(crashes: Record<string, number> = {}) {
  const clock = new SimulatedClock();
  let feed: ((event: NodesEvent) => void) | null = null;
  const gossiped: NodeObservedEvent[] = [];
  const probed: string[] = [];
  const machine = nodesMachine.provide({
    actors: {
      node: nodeMachine.provide({
        actors: {
          probe: fromPromise<number, ProbeInput>(async ({ input }) => {
            probed.push(input.nodeId);
            return 3;
          }),
        },
        guards: {
          // The first `crashes[id]` evaluations after a probe throw: a crashing node actor.
          lifecycleIs: ({ context }, params: { lifecycle: string }) => {
            if (context.health.probes > 0 && (crashes[context.nodeId] ?? 0) > 0) {
              crashes[context.nodeId]!--;
              throw new Error(`node actor ${context.nodeId} crashed`);
            }
            return lifecycleOfContext(context) === params.lifecycle;
          },
        },
      }),
      committedNodes: fromCallback<EventObject>(({ sendBack }) => {
        feed = sendBack;
        return () => {
          feed = null;
        };
      }),
      gossip: fromCallback<NodeObservedEvent>(({ receive }) => {
        receive((event) => gossiped.push(event));
      }),
    },
  });
  const actor = createActor(machine, { clock, input: { policy, restart } });
  actor.start();
  const commit = async (nodes: CommittedNode[]): Promise<void> => {
    assert.ok(feed, 'the feed is running');
    feed({ type: 'nodes.committed', nodes });
    await flush();
  };
  const nodeActors = (): string[] => Object.keys(actor.getSnapshot().children).filter((id) => id.startsWith('node:')).sort();
  return { clock, actor, commit, nodeActors, gossiped, probed };
}

test('one actor per committed node that is not removed; changes forwarded; removal finishes the actor', async () => {
  const t = start();
  await t.commit([{ id: 'n2', state: 'active' }, { id: 'n1', state: 'active' }, { id: 'n3', state: 'removed' }]);
  assert.deepEqual(t.nodeActors(), ['node:n1', 'node:n2']);
  assert.deepEqual([...t.probed].sort(), ['n1', 'n2']);
  await t.commit([{ id: 'n1', state: 'draining' }, { id: 'n2', state: 'active' }]);
  const n1 = t.actor.getSnapshot().children['node:n1']!.getSnapshot() as { value: { live: { status: string } } };
  assert.equal(n1.value.live.status, 'draining');
  await t.commit([{ id: 'n1', state: 'removed' }, { id: 'n2', state: 'active' }, { id: 'n4', state: 'joining' }]);
  assert.deepEqual(t.nodeActors(), ['node:n2', 'node:n4']);
  assert.deepEqual(t.actor.getSnapshot().context.committed, { n2: 'active', n4: 'joining' });
  t.actor.stop();
});

test('observations reach gossip', async () => {
  const t = start();
  await t.commit([{ id: 'n1', state: 'active' }]);
  t.clock.increment(policy.probeIntervalMs);
  await flush();
  assert.equal(t.gossiped.length, 2);
  assert.deepEqual(t.gossiped.map((e) => [e.nodeId, e.status, e.lifecycle]), [['n1', 'healthy', 'active'], ['n1', 'healthy', 'active']]);
  t.actor.stop();
});

test('a crashed node actor is spawned again after the back-off', async () => {
  const t = start({ n1: 1 });
  await t.commit([{ id: 'n1', state: 'active' }, { id: 'n2', state: 'active' }]);
  assert.deepEqual(t.nodeActors(), ['node:n2'], 'n1 crashed after its first probe');
  assert.equal(t.actor.getSnapshot().context.restarts, 1);
  assert.match(t.actor.getSnapshot().context.lastFailure ?? '', /node:n1: .*crashed/);
  const backoffMs = restartDelayMs(0, restart);
  t.clock.increment(backoffMs - 1);
  await flush();
  assert.deepEqual(t.nodeActors(), ['node:n2']);
  t.clock.increment(1);
  await flush();
  assert.deepEqual(t.nodeActors(), ['node:n1', 'node:n2']);
  assert.equal(t.probed.filter((id) => id === 'n1').length, 2, 'probing again from scratch');
  t.actor.stop();
});
