// nodeMachine: one search node as this peer sees it (issue 5 §1). Every peer
// runs one per node of the committed cluster state, under the nodes
// supervisor (actors/nodes.machine.ts), leader or not: each peer probes every
// node itself, and the peers' views are merged through gossip.
//
// It owns the probe loop: GET /health every `probeIntervalMs` (sooner, every
// `suspectProbeIntervalMs`, after a failed probe until the node is declared
// down), each probe bounded by `probeTimeoutMs`; the outcome feeds the pure
// NodeHealth (runtime/health/node-health.ts: thresholds with hysteresis, a
// latency EWMA). After each probe it tells its parent `node.observed`, which
// the supervisor hands to gossip and the merged view that routing reads.
//
// Its lifecycle state mirrors the committed node state (joining, draining,
// removed are Raft's) combined with the local probes for a committed active
// node (active, degraded, failed). Nothing here is durable: a restarted actor
// starts from no probes, and probing again is how it recovers.
//
//   live ─┬─ probe:  probing ──done/error──▶ waiting ──probeDelay──▶ probing
//         └─ status: joining | active | degraded | failed | draining   (always: lifecycleOf(context))
//   live ──node.committed.changed (removed)──▶ removed (final)
//
// The probe is the invoked actor `probe` (input { nodeId, timeoutMs }; it
// resolves with the latency in ms, rejects when the node did not answer in
// time or answered an error), provided by the composition root over the
// peer's node clients (actors/nodes-io.ts); the default fails, because a node
// actor without a way to reach its node is a wiring mistake.
import { assertEvent, assign, fromPromise, sendParent, setup } from 'xstate';
import { AssertionError } from '../runtime/assert.ts';
import type { NodeState } from '../runtime/cluster/commands.ts';
import {
  afterProbe, INITIAL_NODE_HEALTH, lifecycleOf, nextProbeDelayMs, statusOf,
  type NodeHealth, type NodeLifecycle, type ProbeOutcome,
} from '../runtime/health/node-health.ts';
import type { HealthPolicy } from '../runtime/health/policy.ts';
import type { ObservedStatus } from '../runtime/health/view.ts';

export interface NodeInput {
  nodeId: string;
  committed: NodeState;
  policy: HealthPolicy;
}

export interface NodeContext {
  nodeId: string;
  committed: NodeState;
  policy: HealthPolicy;
  health: NodeHealth;
}

export interface ProbeInput {
  nodeId: string;
  timeoutMs: number;
}

export type NodeEvent = { type: 'node.committed.changed'; committed: NodeState };

/** What a node actor tells its parent after every probe. */
export interface NodeObservedEvent {
  type: 'node.observed';
  nodeId: string;
  status: ObservedStatus;
  lifecycle: NodeLifecycle;
  latencyEwmaMs: number | null;
  lastError: string | null;
}

type LiveLifecycle = Exclude<NodeLifecycle, 'removed'>;
const LIVE_LIFECYCLES: readonly LiveLifecycle[] = ['joining', 'active', 'degraded', 'failed', 'draining'];

/** The lifecycle the context says the actor is in. */
export function lifecycleOfContext(context: NodeContext): NodeLifecycle {
  return lifecycleOf(context.committed, statusOf(context.health, context.policy));
}

/** From any status state, an eventless transition to whichever other state the context now says. */
function toOtherLifecycles(from: LiveLifecycle) {
  return LIVE_LIFECYCLES.filter((l) => l !== from).map((lifecycle) => ({
    guard: { type: 'lifecycleIs' as const, params: { lifecycle } },
    target: lifecycle,
  }));
}

export const nodeMachine = setup({
  types: {
    context: {} as NodeContext,
    events: {} as NodeEvent,
    input: {} as NodeInput,
  },
  actors: {
    probe: fromPromise<number, ProbeInput>(() => {
      throw new AssertionError('nodeMachine: the actor `probe` must be provided (see actors/nodes-io.ts)');
    }),
  },
  actions: {
    recordCommitted: assign(({ event }) => {
      assertEvent(event, 'node.committed.changed');
      return { committed: event.committed };
    }),
    recordProbe: assign(({ context }, outcome: ProbeOutcome) => ({ health: afterProbe(context.health, outcome, context.policy) })),
    reportObservation: sendParent(({ context }): NodeObservedEvent => {
      const status = statusOf(context.health, context.policy);
      if (status === 'unknown') throw new AssertionError('a node is observed only after a probe');
      return {
        type: 'node.observed', nodeId: context.nodeId, status, lifecycle: lifecycleOfContext(context),
        latencyEwmaMs: context.health.latencyEwmaMs, lastError: context.health.lastError,
      };
    }),
  },
  guards: {
    lifecycleIs: ({ context }, params: { lifecycle: NodeLifecycle }) => lifecycleOfContext(context) === params.lifecycle,
    isRemoval: ({ event }) => event.committed === 'removed',
  },
  delays: {
    probeDelay: ({ context }) => nextProbeDelayMs(context.health, context.policy),
  },
}).createMachine({
  id: 'node',
  context: ({ input }) => ({ nodeId: input.nodeId, committed: input.committed, policy: input.policy, health: INITIAL_NODE_HEALTH }),
  initial: 'live',
  states: {
    live: {
      type: 'parallel',
      on: {
        'node.committed.changed': [
          { guard: 'isRemoval', target: 'removed', actions: 'recordCommitted' },
          { actions: 'recordCommitted' },
        ],
      },
      states: {
        probe: {
          initial: 'probing',
          states: {
            probing: {
              invoke: {
                src: 'probe',
                id: 'probe',
                input: ({ context }) => ({ nodeId: context.nodeId, timeoutMs: context.policy.probeTimeoutMs }),
                onDone: {
                  target: 'waiting',
                  actions: [{ type: 'recordProbe', params: ({ event }) => ({ ok: true, latencyMs: event.output }) }, 'reportObservation'],
                },
                onError: {
                  target: 'waiting',
                  actions: [{ type: 'recordProbe', params: ({ event }) => ({ ok: false, error: describe(event.error) }) }, 'reportObservation'],
                },
              },
            },
            waiting: {
              after: { probeDelay: { target: 'probing' } },
            },
          },
        },
        status: {
          initial: 'joining',
          states: {
            joining: { always: toOtherLifecycles('joining') },
            active: { always: toOtherLifecycles('active') },
            degraded: { always: toOtherLifecycles('degraded') },
            failed: { always: toOtherLifecycles('failed') },
            draining: { always: toOtherLifecycles('draining') },
          },
        },
      },
    },
    removed: { type: 'final' },
  },
});

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
