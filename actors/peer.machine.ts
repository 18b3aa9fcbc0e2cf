// peerMachine: the top supervisor of one Miroir peer (ARCHITECTURE §5,
// STYLE G9). It owns three children:
// - the raft-peer actor (systemId `raft`), which supervises the Raft driver
//   and relays its leadership events here;
// - the nodes supervisor (systemId `nodes`, actors/nodes.machine.ts), on every
//   peer whatever its role: one actor per node probing its health, and the
//   health gossip; it supervises its own children. Its logic is provided by
//   the composition root (default: a feed of no nodes, for tests of this
//   supervisor alone);
// - while this peer leads, the leader set (systemId `leaderActors`): every
//   leader-only actor (dispatchers, task tracker, bootstrap …), started on
//   `raft.leader.gained` and stopped on `raft.leader.lost` or shutdown. When
//   one of them fails the set finishes, and the whole set is started again
//   after `restartBackoff`; each actor rebuilds from committed state.
// It mirrors no committed phase itself: leadership is Raft's, and the
// leader-only actors read their phases from the replicated state.
//
// The leader set's logic is provided by the composition root:
//   peerMachine.provide({ actors: { raftPeer: …, leaderActors: leaderActorsLogic([...]) } })
// (actors/supervision.ts; the default is an empty set).
//
//   following ──raft.leader.gained──▶ leading.running ──set failed──▶ leading.restarting ──restartBackoff──▶ leading.running
//       ▲                               │
//       └────────raft.leader.lost───────┘
//   any ──peer.stop──▶ stopping (raft.stop sent; waits for the raft actor) ──▶ stopped (final)
import { assertEvent, assign, fromCallback, sendTo, setup } from 'xstate';
import { defaultHealthPolicy } from '../runtime/health/policy.ts';
import { nodesMachine, type NodesInput } from './nodes.machine.ts';
import { raftPeerMachine, type RaftPeerInput, type RaftPeerParentEvent } from './raft-peer.machine.ts';
import { DEFAULT_RESTART_POLICY, leaderActorsLogic, restartDelayMs, type RestartPolicy } from './supervision.ts';

export type PeerEvent =
  | RaftPeerParentEvent
  | { type: 'peer.stop' };

export interface PeerInput {
  /** Restart policy of the leader set; also passed to the raft-peer actor. */
  restart?: Partial<RestartPolicy>;
  raft?: RaftPeerInput;
  /** Input of the nodes supervisor, when the composition root provides `nodes`. */
  nodes?: NodesInput;
}

export interface PeerContext {
  /** The term this peer leads (or last led). */
  term: number;
  leading: boolean;
  /** Leader-set restarts within the current leadership; drives the back-off. */
  attempt: number;
  leaderSetFailures: number;
  lastFailedActor: string | null;
  restart: RestartPolicy;
  raft: RaftPeerInput;
  nodes: NodesInput;
}

export const peerMachine = setup({
  types: {
    context: {} as PeerContext,
    events: {} as PeerEvent,
    input: {} as PeerInput,
  },
  actors: {
    raftPeer: raftPeerMachine,
    leaderActors: leaderActorsLogic([]),
    // A nodes supervisor that hears of no node: the composition root provides the real feed.
    nodes: nodesMachine.provide({ actors: { committedNodes: fromCallback(() => undefined), gossip: fromCallback(() => undefined) } }),
  },
  actions: {
    recordLeadership: assign(({ event }) => {
      assertEvent(event, 'raft.leader.gained');
      return { term: event.term, leading: true, attempt: 0 };
    }),
    recordLeadershipLost: assign({ leading: false }),
    recordLeaderSetFailure: assign(({ context, event }) => ({
      leaderSetFailures: context.leaderSetFailures + 1,
      lastFailedActor: failedActorOf(event),
    })),
    countRestart: assign({ attempt: ({ context }) => context.attempt + 1 }),
    stopRaft: sendTo('raft', { type: 'raft.stop' }),
  },
  delays: {
    restartBackoff: ({ context }) => restartDelayMs(context.attempt, context.restart),
  },
}).createMachine({
  id: 'peer',
  context: ({ input }) => {
    const restart = { ...DEFAULT_RESTART_POLICY, ...input.restart };
    return {
      term: 0, leading: false, attempt: 0, leaderSetFailures: 0, lastFailedActor: null, restart,
      raft: { restart, ...input.raft },
      nodes: input.nodes ?? { policy: defaultHealthPolicy(), restart },
    };
  },
  invoke: [
    {
      src: 'raftPeer',
      id: 'raft',
      systemId: 'raft',
      input: ({ context }) => context.raft,
      onDone: { target: '.stopped' },
    },
    { src: 'nodes', id: 'nodes', systemId: 'nodes', input: ({ context }) => context.nodes },
  ],
  initial: 'following',
  on: {
    'peer.stop': { target: '.stopping' },
  },
  states: {
    following: {
      on: {
        'raft.leader.gained': { target: 'leading', actions: 'recordLeadership' },
      },
    },
    leading: {
      exit: 'recordLeadershipLost',
      on: {
        'raft.leader.lost': { target: 'following' },
      },
      initial: 'running',
      states: {
        running: {
          invoke: {
            src: 'leaderActors',
            id: 'leaderActors',
            systemId: 'leaderActors',
            input: ({ context }) => ({ term: context.term }),
            onDone: { target: 'restarting', actions: 'recordLeaderSetFailure' },
            onError: { target: 'restarting', actions: 'recordLeaderSetFailure' },
          },
        },
        restarting: {
          after: { restartBackoff: { target: 'running', actions: 'countRestart' } },
        },
      },
    },
    stopping: {
      entry: 'stopRaft',
      on: { 'peer.stop': {} },
    },
    stopped: { type: 'final' },
  },
});

function failedActorOf(event: PeerEvent | { type: string; output?: unknown }): string | null {
  const output = (event as { output?: { failedActor?: unknown } }).output;
  return typeof output?.failedActor === 'string' ? output.failedActor : 'leaderActors';
}
