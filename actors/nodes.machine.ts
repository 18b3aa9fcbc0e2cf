// nodesMachine: the supervisor of this peer's node actors and of its health
// gossip (issue 5 §1, ARCHITECTURE §5). It runs on every peer, leader or not,
// for as long as the peer runs (actors/peer.machine.ts invokes it).
//
// - `committedNodes` (invoked) tells it the nodes of the committed cluster
//   state, now and after every change; it spawns one node actor per node that
//   is not removed (systemId `node:<id>`), forwards committed state changes,
//   and stops a removed node's actor (after telling it, so it ends `removed`).
// - Each node actor reports `node.observed` after every probe; the supervisor
//   hands it to `gossip` (invoked, systemId `gossip`), which records it in the
//   merged view routing reads and pushes it to the other peers.
// - A node actor that crashes is spawned again after `restartBackoff` (seeded,
//   capped); gossip and the committed-nodes feed that fail restart together
//   after the same back-off. Nothing is restored from a snapshot: the feed
//   re-sends the committed nodes, and probing again rebuilds the view.
//
//   running (committedNodes, gossip) ──either fails──▶ restarting ──restartBackoff──▶ running
//
// Both invoked actors are provided by the composition root over the running
// peer (actors/nodes-io.ts); the defaults fail.
import { assertEvent, assign, enqueueActions, fromCallback, raise, sendTo, setup, stopChild, type EventObject } from 'xstate';
import { AssertionError } from '../runtime/assert.ts';
import type { NodeState } from '../runtime/cluster/commands.ts';
import type { HealthPolicy } from '../runtime/health/policy.ts';
import { nodeMachine, type NodeObservedEvent } from './node.machine.ts';
import { DEFAULT_RESTART_POLICY, restartDelayMs, type RestartPolicy } from './supervision.ts';

export interface NodesInput {
  policy: HealthPolicy;
  restart?: Partial<RestartPolicy>;
}

export interface CommittedNode {
  id: string;
  state: NodeState;
}

export type NodesEvent =
  | { type: 'nodes.committed'; nodes: readonly CommittedNode[] }
  | { type: 'nodes.respawn'; nodeId: string }
  | NodeObservedEvent;

export interface NodesContext {
  policy: HealthPolicy;
  restart: RestartPolicy;
  /** The committed state of every node with an actor (removed nodes have none). */
  committed: Record<string, NodeState>;
  /** Restarts so far (node actors and the feed/gossip pair); drives the back-off. */
  restarts: number;
  lastFailure: string | null;
}

export const nodeActorId = (nodeId: string): string => `node:${nodeId}`;

const notProvided = (name: string): never => {
  throw new AssertionError(`nodesMachine: the actor \`${name}\` must be provided (see actors/nodes-io.ts)`);
};

export const nodesMachine = setup({
  types: {
    context: {} as NodesContext,
    events: {} as NodesEvent,
    input: {} as NodesInput,
  },
  actors: {
    node: nodeMachine,
    committedNodes: fromCallback<EventObject>(() => notProvided('committedNodes')),
    gossip: fromCallback<NodeObservedEvent>(() => notProvided('gossip')),
  },
  actions: {
    reconcileNodes: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'nodes.committed');
      const next: Record<string, NodeState> = {};
      for (const node of [...event.nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
        if (node.state !== 'removed') next[node.id] = node.state;
      }
      for (const id of Object.keys(context.committed)) {
        if (id in next) continue;
        enqueue.sendTo(nodeActorId(id), { type: 'node.committed.changed', committed: 'removed' });
        enqueue.stopChild(nodeActorId(id));
      }
      for (const [id, state] of Object.entries(next)) {
        const before = context.committed[id];
        if (before === undefined) {
          enqueue.spawnChild('node', { id: nodeActorId(id), systemId: nodeActorId(id), input: { nodeId: id, committed: state, policy: context.policy } });
        } else if (before !== state) {
          enqueue.sendTo(nodeActorId(id), { type: 'node.committed.changed', committed: state });
        }
      }
      enqueue.assign({ committed: next });
    }),
    forwardObservation: sendTo('gossip', ({ event }) => {
      assertEvent(event, 'node.observed');
      return event;
    }),
    recordFailure: assign(({ context, event }) => ({
      restarts: context.restarts + 1,
      lastFailure: `${event.type.slice('xstate.error.actor.'.length)}: ${describe((event as { error?: unknown }).error)}`,
    })),
    /** A failed child stays listed until stopped; its id must be free for the respawn. */
    stopFailedNode: stopChild(({ event }) => event.type.slice('xstate.error.actor.'.length)),
    scheduleRespawn: raise(
      ({ event }) => ({ type: 'nodes.respawn' as const, nodeId: event.type.slice('xstate.error.actor.node:'.length) }),
      { delay: ({ context }) => restartDelayMs(context.restarts - 1, context.restart) },
    ),
    respawnNode: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'nodes.respawn');
      const state = context.committed[event.nodeId];
      if (state === undefined) return;
      enqueue.spawnChild('node', {
        id: nodeActorId(event.nodeId), systemId: nodeActorId(event.nodeId), input: { nodeId: event.nodeId, committed: state, policy: context.policy },
      });
    }),
  },
  guards: {
    isNodeActorFailure: ({ event }) => event.type.startsWith('xstate.error.actor.node:'),
  },
  delays: {
    restartBackoff: ({ context }) => restartDelayMs(context.restarts - 1, context.restart),
  },
}).createMachine({
  id: 'nodes',
  context: ({ input }) => ({
    policy: input.policy,
    restart: { ...DEFAULT_RESTART_POLICY, ...input.restart },
    committed: {},
    restarts: 0,
    lastFailure: null,
  }),
  on: {
    'nodes.committed': { actions: 'reconcileNodes' },
    'nodes.respawn': { actions: 'respawnNode' },
    'xstate.error.actor.*': { guard: 'isNodeActorFailure', actions: ['recordFailure', 'stopFailedNode', 'scheduleRespawn'] },
  },
  initial: 'running',
  states: {
    running: {
      invoke: [
        { src: 'gossip', id: 'gossip', systemId: 'gossip', onError: { target: 'restarting', actions: 'recordFailure' } },
        { src: 'committedNodes', id: 'committedNodes', onError: { target: 'restarting', actions: 'recordFailure' } },
      ],
      on: {
        'node.observed': { actions: 'forwardObservation' },
      },
    },
    restarting: {
      after: { restartBackoff: { target: 'running' } },
    },
  },
});

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
