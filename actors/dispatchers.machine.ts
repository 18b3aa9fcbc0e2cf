// The leader's set of node dispatchers (ARCHITECTURE §3 step 4), leader-only,
// systemId `dispatchers`. It runs one node dispatcher
// (actors/node-dispatcher.machine.ts, systemId `dispatcher:<nodeId>`) per node
// of the cluster state that is not removed, starting one when a node appears
// and stopping it when the node is removed or its group goes.
//
// Committed phase it mirrors: the node set of the cluster state, and each
// node's committed cursor, from which a dispatcher starts. It keeps no state
// of its own beyond which dispatchers run: after a restart (a new leader, or
// the supervisor restarting the leader set) it rebuilds from the replica.
// A dispatcher that fails fails this actor, so the supervisor restarts the
// whole set after its back-off, every dispatcher from its committed cursor.
import { assign, enqueueActions, fromCallback, setup, type AnyActorLogic } from 'xstate';
import { dispatchTargets, type ClusterState } from '../runtime/cluster/index.ts';
import type { DispatchServices } from '../runtime/dispatch/services.ts';
import { nodeDispatcherLogic, type NodeDispatcherInput } from './node-dispatcher.machine.ts';

/** One node that must have a dispatcher, with the cursor it starts from. */
export interface DispatchedNode {
  nodeId: string;
  cursor: number;
}

export type DispatchersEvent = { type: 'dispatchers.nodes.changed'; nodes: DispatchedNode[] };

export interface DispatchersInput {
  nodes: DispatchedNode[];
  inflightMax: number;
}

export interface DispatchersContext {
  /** Node ids with a running dispatcher, sorted. */
  running: string[];
  inflightMax: number;
  /** The nodes the last look at the replica found. */
  wanted: DispatchedNode[];
}

export const dispatcherId = (nodeId: string): string => `dispatcher:${nodeId}`;

/** The nodes that must have a dispatcher in `state`, by id. */
export function dispatchedNodes(state: Readonly<ClusterState>): DispatchedNode[] {
  return dispatchTargets(state).map((n) => ({ nodeId: n.id, cursor: state.cursors.get(n.id) ?? 0 }));
}

function unprovidedDispatcher(): AnyActorLogic {
  return fromCallback(() => {
    throw new Error('dispatchers: nodeDispatcher is provided by dispatchersLogic(services)');
  });
}

export const dispatchersMachine = setup({
  types: {
    context: {} as DispatchersContext,
    events: {} as DispatchersEvent,
    input: {} as DispatchersInput,
  },
  actors: {
    nodeDispatcher: unprovidedDispatcher(),
    watchNodes: fromCallback<DispatchersEvent>(() => () => undefined),
  },
  actions: {
    noteWanted: assign((_, nodes: DispatchedNode[]) => ({ wanted: nodes })),
    /** Starts a dispatcher for every wanted node without one, stops those of nodes gone. */
    reconcile: enqueueActions(({ context, enqueue }) => {
      const wanted = new Map(context.wanted.map((n) => [n.nodeId, n]));
      for (const nodeId of context.running) if (!wanted.has(nodeId)) enqueue.stopChild(dispatcherId(nodeId));
      for (const node of context.wanted) {
        if (context.running.includes(node.nodeId)) continue;
        const input: NodeDispatcherInput = { nodeId: node.nodeId, cursor: node.cursor, inflightMax: context.inflightMax };
        enqueue.spawnChild('nodeDispatcher', { id: dispatcherId(node.nodeId), systemId: dispatcherId(node.nodeId), input });
      }
      enqueue.assign({ running: [...wanted.keys()].sort() });
    }),
  },
}).createMachine({
  id: 'dispatchers',
  context: ({ input }) => ({ running: [], inflightMax: input.inflightMax, wanted: input.nodes }),
  entry: 'reconcile',
  invoke: { src: 'watchNodes' },
  initial: 'running',
  states: {
    running: {
      on: {
        'dispatchers.nodes.changed': {
          actions: [{ type: 'noteWanted', params: ({ event }) => event.nodes }, 'reconcile'],
        },
        // A node dispatcher handles its own failures; one that still throws is a bug: fail the set.
        'xstate.error.actor.*': 'failed',
      },
    },
    failed: { type: 'final' },
  },
});

/**
 * The dispatchers over a peer's services: node dispatchers with the peer's
 * I/O, and a watch that reports the node set whenever an applied command or
 * a restored snapshot changes it.
 */
export function dispatchersLogic(services: DispatchServices) {
  return dispatchersMachine.provide({
    actors: {
      nodeDispatcher: nodeDispatcherLogic(services),
      watchNodes: fromCallback<DispatchersEvent>(({ sendBack }) => {
        let last = '';
        return services.onApplied(() => {
          const nodes = dispatchedNodes(services.state());
          const ids = nodes.map((n) => n.nodeId).join('\n');
          if (ids === last) return;
          last = ids;
          sendBack({ type: 'dispatchers.nodes.changed', nodes });
        });
      }),
    },
  });
}

/** The input of a (re)started dispatchers actor, from the committed state. */
export function dispatchersInput(services: DispatchServices): DispatchersInput {
  return { nodes: dispatchedNodes(services.state()), inflightMax: services.limits.inflightMax };
}
