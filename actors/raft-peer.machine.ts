// raftPeerMachine: supervises this peer's Raft driver (STYLE G4, G9). The
// driver runs the Raft core, owns the LevelDB log and the ticker; this actor
// starts it, relays its events to the parent (the peer supervisor, which
// starts leader-only actors on `raft.leader.gained`), and when the driver
// fails (`raft.failed`: a store error, a broken invariant) closes it and
// starts a new one from the log after `restartBackoff`. It mirrors no
// committed phase: the log itself is the truth a restarted driver recovers
// from (snapshot, then committed entries), and the replicated state outlives
// drivers (runtime/peer/state-machine.ts).
//
// The driver is reached only through the three invoked actors `startDriver`,
// `driverEvents` and `closeDriver`, provided by the composition root over a
// DriverHost (cli/commands/peer.ts); the defaults fail, because a Raft peer
// without a driver is a wiring mistake.
//
//   starting ──done──▶ running ──raft.failed──▶ closing ──▶ restarting ──restartBackoff──▶ starting
//      └──error──────────────────────────────────────────────▲
//   any ──raft.stop──▶ stopping ──▶ stopped (final)
//
// A driver that fails or stops while leading no longer leads: the actor tells
// its parent `raft.leader.lost` itself, since the dead driver will not.
import { assertEvent, assign, enqueueActions, fromCallback, fromPromise, sendParent, setup, type EventObject } from 'xstate';
import { AssertionError } from '../runtime/assert.ts';
import type { RaftDriverEvent } from '../runtime/raft/driver.ts';
import type { PeerId, Role } from '../runtime/raft/types.ts';
import { DEFAULT_RESTART_POLICY, restartDelayMs, type RestartPolicy } from './supervision.ts';

/** Driver events, relayed as they are, plus the command to stop. */
export type RaftPeerEvent = RaftDriverEvent | { type: 'raft.stop' };

/** What the raft-peer actor tells its parent. */
export type RaftPeerParentEvent = Exclude<RaftDriverEvent, { type: 'raft.failed' }>;

export interface RaftPeerInput {
  restart?: Partial<RestartPolicy>;
  /** A driver that ran this long without failing resets the back-off. */
  stableRunMs?: number;
}

export interface RaftPeerContext {
  role: Role;
  term: number;
  leader: PeerId | null;
  /** Restarts since the driver last ran stably; drives the back-off. */
  attempt: number;
  /** Every failure since the actor started. */
  failures: number;
  lastFailure: string | null;
  restart: RestartPolicy;
  stableRunMs: number;
}

const notProvided = (name: string): never => {
  throw new AssertionError(`raftPeerMachine: the actor \`${name}\` must be provided (see cli/commands/peer.ts)`);
};

export const raftPeerMachine = setup({
  types: {
    context: {} as RaftPeerContext,
    events: {} as RaftPeerEvent,
    input: {} as RaftPeerInput,
  },
  actors: {
    startDriver: fromPromise<void>(async () => notProvided('startDriver')),
    driverEvents: fromCallback<EventObject>(() => notProvided('driverEvents')),
    closeDriver: fromPromise<void>(async () => notProvided('closeDriver')),
  },
  actions: {
    recordRole: assign(({ event }) => {
      assertEvent(event, 'raft.role.changed');
      return { role: event.role, term: event.term };
    }),
    recordLeader: assign(({ event }) => {
      assertEvent(event, 'raft.leader.changed');
      return { leader: event.leader, term: event.term };
    }),
    recordDriverFailure: assign(({ context, event }) => {
      assertEvent(event, 'raft.failed');
      return { failures: context.failures + 1, lastFailure: event.error.message };
    }),
    recordStartFailure: assign(({ context, event }) => ({
      failures: context.failures + 1,
      lastFailure: errorMessage((event as { error?: unknown }).error),
    })),
    relayToParent: sendParent(({ event }) => {
      assertEvent(event, ['raft.role.changed', 'raft.leader.changed', 'raft.leader.gained', 'raft.leader.lost']);
      return event satisfies RaftPeerParentEvent;
    }),
    /** The driver is going away; if it led, its parent must stop leader-only actors now. */
    relayLeadershipEnd: enqueueActions(({ context, enqueue }) => {
      if (context.role === 'leader') enqueue.sendParent({ type: 'raft.leader.lost', term: context.term } satisfies RaftPeerParentEvent);
    }),
    forgetLeadership: assign({ role: 'follower' as Role, leader: null }),
    countRestart: assign({ attempt: ({ context }) => context.attempt + 1 }),
    resetAttempts: assign({ attempt: 0 }),
  },
  delays: {
    restartBackoff: ({ context }) => restartDelayMs(context.attempt, context.restart),
    stableRun: ({ context }) => context.stableRunMs,
  },
}).createMachine({
  id: 'raftPeer',
  context: ({ input }) => ({
    role: 'follower',
    term: 0,
    leader: null,
    attempt: 0,
    failures: 0,
    lastFailure: null,
    restart: { ...DEFAULT_RESTART_POLICY, ...input.restart },
    stableRunMs: input.stableRunMs ?? 30_000,
  }),
  initial: 'starting',
  on: {
    'raft.stop': { target: '.stopping' },
  },
  states: {
    starting: {
      invoke: {
        src: 'startDriver',
        onDone: { target: 'running' },
        onError: { target: 'restarting', actions: 'recordStartFailure' },
      },
    },
    running: {
      invoke: { src: 'driverEvents' },
      after: { stableRun: { actions: 'resetAttempts' } },
      on: {
        'raft.role.changed': { actions: ['recordRole', 'relayToParent'] },
        'raft.leader.changed': { actions: ['recordLeader', 'relayToParent'] },
        'raft.leader.gained': { actions: 'relayToParent' },
        'raft.leader.lost': { actions: 'relayToParent' },
        'raft.failed': { target: 'closing', actions: 'recordDriverFailure' },
      },
    },
    closing: {
      entry: ['relayLeadershipEnd', 'forgetLeadership'],
      invoke: {
        src: 'closeDriver',
        onDone: { target: 'restarting' },
        onError: { target: 'restarting' },
      },
    },
    restarting: {
      after: { restartBackoff: { target: 'starting', actions: 'countRestart' } },
    },
    stopping: {
      entry: ['relayLeadershipEnd', 'forgetLeadership'],
      on: { 'raft.stop': {} },
      invoke: {
        src: 'closeDriver',
        onDone: { target: 'stopped' },
        onError: { target: 'stopped' },
      },
    },
    stopped: { type: 'final' },
  },
});

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
