// The invoked actors of the nodes supervisor (actors/nodes.machine.ts) over a
// running peer: the composition root (cli/commands/peer.ts) provides them.
//
// - probe: GET /health on the node through the peer's probe client (its own
//   pool of one connection per node, with the node master key, so probes
//   never queue behind searches on a busy node's pool), bounded by `probeTimeoutMs` on the injected clock and
//   by the actor's own signal; resolves with the latency in ms, rejects when
//   the node did not answer, answered an error, or is not "available".
// - committedNodes: the nodes of the committed cluster state, sent at start
//   and after every applied node/group command or restored snapshot.
// - gossip: a HealthGossip over the peer mesh that records each node
//   actor's observation in the peer's HealthView (which isNodeHealthy reads)
//   and pushes it to the other peers.
import { fromCallback, fromPromise, type EventObject } from 'xstate';
import type { Clock } from '../runtime/env/clock.ts';
import type { PeerRuntime } from '../runtime/peer/peer.ts';
import { HealthGossip } from '../runtime/gossip/health-gossip.ts';
import { deadlineSignal } from '../runtime/search/read-context.ts';
import type { NodeClient } from '../transport/node-client/node-client.ts';
import { nodeMachine, type NodeObservedEvent, type ProbeInput } from './node.machine.ts';
import { nodesMachine, type NodesEvent } from './nodes.machine.ts';

/** One probe of `client`: its latency in ms, or a rejection saying why the node is not healthy. */
export async function probeNode(client: NodeClient, clock: Clock, timeoutMs: number, signal: AbortSignal): Promise<number> {
  const startedMs = clock.nowMs();
  const deadline = deadlineSignal(clock, timeoutMs, signal);
  try {
    const { body } = await client.request<{ status?: unknown }>({ method: 'GET', path: '/health', signal: deadline.signal });
    if (body?.status !== 'available') throw new Error(`GET /health answered ${JSON.stringify(body)}`);
  } finally {
    deadline.dispose();
  }
  return clock.nowMs() - startedMs;
}

export function nodesLogicOf(runtime: PeerRuntime) {
  const { services, stateMachine, mesh, health, probeClients } = runtime;
  const clock = services.clock;
  return nodesMachine.provide({
    actors: {
      node: nodeMachine.provide({
        actors: {
          probe: fromPromise<number, ProbeInput>(({ input, signal }) => probeNode(probeClients.get(stateMachine.state, input.nodeId), clock, input.timeoutMs, signal)),
        },
      }),
      committedNodes: fromCallback<EventObject>(({ sendBack }) => {
        const send = (): void => {
          const nodes = [...stateMachine.state.nodes.values()].map((n) => ({ id: n.id, state: n.state }));
          sendBack({ type: 'nodes.committed', nodes } satisfies NodesEvent);
        };
        send();
        const offApplied = stateMachine.onApplied((_index, command) => {
          if (command !== null && (command.kind.startsWith('node.') || command.kind.startsWith('group.'))) send();
        });
        const offRestored = stateMachine.onRestored(() => send());
        return () => {
          offApplied();
          offRestored();
        };
      }),
      gossip: fromCallback<NodeObservedEvent>(({ receive }) => {
        const gossip = new HealthGossip({ mesh, view: health, clock, intervalMs: services.config.health.gossipIntervalMs });
        receive((event) => {
          gossip.observe(event.nodeId, { status: event.status, latencyEwmaMs: event.latencyEwmaMs, observedAtMs: clock.nowMs() });
        });
        return () => gossip.stop();
      }),
    },
  });
}
