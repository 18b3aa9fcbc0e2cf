// Shared supervision helpers (STYLE G9).
// - restartDelayMs: the `restartBackoff` delay of a supervisor — exponential
//   in the attempt, capped, with "equal jitter" drawn from a seeded Rng whose
//   seed and attempt live in the supervisor's (serializable) context, so a
//   test or a simulation replays the same delays.
// - LeaderActor and leaderActorsLogic: the seam through which leader-only
//   actors (dispatchers, task tracker, rebalancer …) join a peer. The peer
//   supervisor (actors/peer.machine.ts) invokes the leader set while this
//   peer leads and stops it when leadership is lost; the set spawns every
//   actor with its id as systemId, and finishes as soon as one of them fails,
//   which the supervisor answers by restarting the whole set after
//   `restartBackoff` (each actor rebuilds from committed state, never from a
//   persisted snapshot).
import { assign, enqueueActions, setup, type AnyActorLogic, type InputFrom } from 'xstate';
import { seededRng } from '../runtime/env/rng.ts';
import { backoffDelayMs } from '../transport/peer/backoff.ts';

export interface RestartPolicy {
  baseMs: number;
  maxMs: number;
  /** Seeds the jitter; give peers different seeds so they do not restart in lock-step. */
  seed: number;
}

export const DEFAULT_RESTART_POLICY: Readonly<RestartPolicy> = Object.freeze({ baseMs: 200, maxMs: 10_000, seed: 1 });

/** The delay before restart number `attempt` (0-based), in [c/2, c) with c = min(maxMs, baseMs · 2^attempt). */
export function restartDelayMs(attempt: number, policy: RestartPolicy): number {
  return backoffDelayMs(attempt, policy, seededRng((policy.seed * 0x9e3779b1 + attempt) >>> 0));
}

/** One leader-only actor: started on `raft.leader.gained`, stopped on `raft.leader.lost` or shutdown. */
export interface LeaderActor {
  /** The actor's id and systemId, e.g. `dispatcher:n1` (STYLE G9). */
  readonly id: string;
  readonly logic: AnyActorLogic;
  /** Builds the actor's input each time it starts, from committed state; `term` is the leader's term. */
  readonly input: (term: number) => unknown;
}

/** Types a LeaderActor against its logic, so its input function must build that logic's input. */
export function leaderActor<TLogic extends AnyActorLogic>(
  id: string,
  logic: TLogic,
  input: (term: number) => InputFrom<TLogic>,
): LeaderActor {
  return { id, logic, input };
}

/**
 * The actor logic of a set of leader-only actors, invoked by the peer
 * supervisor with `{ term }` while this peer leads. It spawns every actor and
 * reaches its final state (so the supervisor's onDone restarts the set) when
 * one of them fails; an actor that simply finishes (a one-shot job such as
 * the bootstrap) is left finished.
 */
export function leaderActorsLogic(actors: readonly LeaderActor[]) {
  const ids = new Set(actors.map((a) => a.id));
  if (ids.size !== actors.length) throw new Error('leader actor ids must be unique');
  const registry: Record<string, AnyActorLogic> = Object.fromEntries(actors.map((a) => [a.id, a.logic]));
  return setup({
    actors: registry,
    types: {
      input: {} as { term: number },
      context: {} as { term: number; failedActor: string | null },
      output: {} as { failedActor: string | null },
    },
    actions: {
      recordFailedActor: assign({ failedActor: ({ event }) => event.type.slice('xstate.error.actor.'.length) }),
      spawnLeaderActors: enqueueActions(({ enqueue, context }) => {
        for (const actor of actors) enqueue.spawnChild(actor.id, { id: actor.id, systemId: actor.id, input: actor.input(context.term) });
      }),
    },
  }).createMachine({
    id: 'leaderActors',
    context: ({ input }) => ({ term: input.term, failedActor: null }),
    entry: 'spawnLeaderActors',
    initial: 'running',
    states: {
      running: {
        on: {
          'xstate.error.actor.*': { target: 'failed', actions: 'recordFailedActor' },
        },
      },
      failed: { type: 'final' },
    },
    output: ({ context }) => ({ failedActor: context.failedActor }),
  });
}
