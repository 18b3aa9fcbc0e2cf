// One migration (ARCHITECTURE §6), leader-only, systemId `migration:<id>`,
// spawned by the rebalancer (actors/rebalancer.machine.ts).
//
// Committed phase it mirrors: the migration record's `phase` in the cluster
// state. It looks at the committed phase, runs that phase's I/O
// (runtime/topology/migration-io.ts), which ends by committing the next
// phase, and looks again. After a crash or on a new leader it is rebuilt from
// the committed phase (input is only the id). A phase that throws (a node
// down, a proposal lost to a leader change) is retried from the committed
// phase after a capped, jittered back-off; after ATTEMPTS_MAX failures in a
// row it gives up: a migration before its cut-over is committed `failed`
// (the job fails, nothing is cut over), a cleanup is committed `done` with
// the error (the data is in place; the old copy stays on the old owner). It
// stops at `cutover` (the job cuts over), `done` and `failed`.
import { assign, fromPromise, setup } from 'xstate';
import type { MigrationRecord } from '../runtime/cluster/index.ts';
import type { Rng } from '../runtime/env/clock.ts';
import {
  runCleanup, runCopy, runHold, runReplay, runVerify, type MigrationServices,
} from '../runtime/topology/migration-io.ts';
import { backoffDelayMs } from '../transport/peer/backoff.ts';

export interface MigrationInput {
  id: string;
}

export interface MigrationContext {
  id: string;
  /** The committed phase last seen (null: the record is gone). */
  phase: MigrationRecord['phase'] | null;
  attempt: number;
  backoffMs: number;
  lastError: string | null;
}

type RunnablePhase = 'hold' | 'copy' | 'replay' | 'verify' | 'cleanup';

/** Failures in a row before a migration gives up (about a minute of capped back-off). */
export const ATTEMPTS_MAX = 20;

function unprovided<O, I>(name: string) {
  return fromPromise<O, I>(async () => {
    throw new Error(`migration: ${name} is provided by migrationLogic(services)`);
  });
}

export const migrationMachine = setup({
  types: { context: {} as MigrationContext, input: {} as MigrationInput },
  actors: {
    observe: unprovided<MigrationRecord['phase'] | null, { id: string }>('observe'),
    runPhase: unprovided<void, { id: string; phase: RunnablePhase }>('runPhase'),
    drawBackoff: unprovided<number, { attempt: number }>('drawBackoff'),
    giveUp: unprovided<void, { id: string; phase: RunnablePhase; error: string }>('giveUp'),
  },
  guards: {
    runnable: ({ context }) => context.phase !== null && ['hold', 'copy', 'replay', 'verify', 'cleanup'].includes(context.phase),
    exhausted: ({ context }) => context.attempt >= ATTEMPTS_MAX,
  },
  actions: {
    notePhase: assign((_, phase: MigrationRecord['phase'] | null) => ({ phase })),
    noteFailure: assign(({ context }, params: { error: unknown }) => ({
      attempt: context.attempt + 1, lastError: params.error instanceof Error ? params.error.message : String(params.error),
    })),
    setBackoff: assign((_, backoffMs: number) => ({ backoffMs })),
    resetAttempts: assign({ attempt: 0 }),
  },
  delays: { retryBackoff: ({ context }) => context.backoffMs },
}).createMachine({
  id: 'migration',
  context: ({ input }) => ({ id: input.id, phase: null, attempt: 0, backoffMs: 0, lastError: null }),
  initial: 'observing',
  states: {
    observing: {
      invoke: {
        src: 'observe',
        input: ({ context }) => ({ id: context.id }),
        onDone: { target: 'routing', actions: { type: 'notePhase', params: ({ event }) => event.output } },
      },
    },
    routing: {
      always: [{ guard: 'runnable', target: 'running' }, { target: 'finished' }],
    },
    running: {
      invoke: {
        src: 'runPhase',
        input: ({ context }) => ({ id: context.id, phase: context.phase as RunnablePhase }),
        onDone: { target: 'observing', actions: 'resetAttempts' },
        onError: { target: 'drawingBackoff', actions: { type: 'noteFailure', params: ({ event }) => ({ error: event.error }) } },
      },
    },
    drawingBackoff: {
      always: { guard: 'exhausted', target: 'givingUp' },
      invoke: {
        src: 'drawBackoff',
        input: ({ context }) => ({ attempt: context.attempt }),
        onDone: { target: 'backingOff', actions: { type: 'setBackoff', params: ({ event }) => event.output } },
      },
    },
    backingOff: { after: { retryBackoff: 'observing' } },
    givingUp: {
      invoke: {
        src: 'giveUp',
        input: ({ context }) => ({ id: context.id, phase: context.phase as RunnablePhase, error: context.lastError ?? 'unknown error' }),
        onDone: { target: 'observing', actions: 'resetAttempts' },
        // The proposal itself failed (no leader): back off and look again.
        onError: { target: 'backingOff', actions: { type: 'noteFailure', params: ({ event }) => ({ error: event.error }) } },
      },
    },
    /** cutover (the rebalancer cuts the job over, then spawns it again for cleanup), done, failed, or gone. */
    finished: { type: 'final' },
  },
});

const RUN: Readonly<Record<RunnablePhase, (s: MigrationServices, id: string, signal: AbortSignal) => Promise<void>>> = {
  hold: runHold, copy: runCopy, replay: runReplay, verify: runVerify, cleanup: runCleanup,
};

export function migrationLogic(services: MigrationServices, rng: Rng) {
  return migrationMachine.provide({
    actors: {
      observe: fromPromise<MigrationRecord['phase'] | null, { id: string }>(async ({ input }) => services.state().migrations.get(input.id)?.phase ?? null),
      runPhase: fromPromise<void, { id: string; phase: RunnablePhase }>(async ({ input, signal }) => RUN[input.phase](services, input.id, signal)),
      drawBackoff: fromPromise<number, { attempt: number }>(async ({ input }) =>
        backoffDelayMs(Math.max(0, input.attempt - 1), { baseMs: 100, maxMs: 5_000 }, rng)),
      giveUp: fromPromise<void, { id: string; phase: RunnablePhase; error: string }>(async ({ input }) => {
        const error = `gave up after ${ATTEMPTS_MAX} attempts in ${input.phase}: ${input.error}`;
        const phase = input.phase === 'cleanup' ? 'done' : 'failed';
        await services.propose({ v: 1, kind: 'migration.phase', id: input.id, phase, error, nowMs: services.clock.nowMs() });
      }),
    },
  });
}
