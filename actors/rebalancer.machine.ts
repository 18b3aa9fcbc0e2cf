// The rebalancer (ARCHITECTURE §6), leader-only, systemId `rebalancer`: runs
// the running topology job. It spawns one migration actor
// (actors/migration.machine.ts, systemId `migration:<id>`) per migration the
// schedule allows (runtime/topology/schedule.ts: at most
// `concurrentMigrationsMax` before their cut-over at once, every cleanup),
// and commits `job.cutover` once every migration of the job is verified.
//
// Committed phase it mirrors: the jobs and migrations of the cluster state.
// It keeps only which actors run; after a restart (a new leader, the
// supervisor's back-off) it rebuilds them from the replica, each resuming at
// its committed phase.
import { assign, enqueueActions, fromCallback, fromPromise, setup, type AnyActorLogic } from 'xstate';
import type { Rng } from '../runtime/env/clock.ts';
import type { MigrationServices } from '../runtime/topology/migration-io.ts';
import { schedule, type Schedule } from '../runtime/topology/schedule.ts';
import { migrationLogic, type MigrationInput } from './migration.machine.ts';

export const migrationActorId = (id: string): string => `migration:${id}`;

export interface RebalancerContext {
  /** Migration ids with a running actor, sorted. */
  running: string[];
  /** The job the last plan found due for its cut-over. */
  cutoverJob: string | null;
  concurrentMax: number;
}

export type RebalancerEvent =
  | { type: 'rebalancer.changed' }
  | { type: 'xstate.done.actor.*'; actorId: string };

function unprovided(name: string): AnyActorLogic {
  return fromCallback(() => {
    throw new Error(`rebalancer: ${name} is provided by rebalancerLogic(services)`);
  });
}

export const rebalancerMachine = setup({
  types: { context: {} as RebalancerContext, events: {} as RebalancerEvent, input: {} as { concurrentMax: number } },
  actors: {
    migration: unprovided('migration'),
    plan: fromPromise<Schedule, { running: string[]; concurrentMax: number }>(async () => {
      throw new Error('rebalancer: plan is provided by rebalancerLogic(services)');
    }),
    cutover: fromPromise<void, { jobId: string }>(async () => {
      throw new Error('rebalancer: cutover is provided by rebalancerLogic(services)');
    }),
    watch: fromCallback<RebalancerEvent>(() => () => undefined),
  },
  guards: {
    cutoverDue: (_, plan: Schedule) => plan.cutoverJob !== null,
  },
  actions: {
    spawnMigrations: enqueueActions(({ context, enqueue }, plan: Schedule) => {
      for (const id of plan.start) {
        const input: MigrationInput = { id };
        enqueue.spawnChild('migration', { id: migrationActorId(id), systemId: migrationActorId(id), input });
      }
      enqueue.assign({ running: [...context.running, ...plan.start].sort(), cutoverJob: plan.cutoverJob });
    }),
    forget: assign(({ context }, actorId: string) => ({ running: context.running.filter((id) => migrationActorId(id) !== actorId) })),
  },
}).createMachine({
  id: 'rebalancer',
  context: ({ input }) => ({ running: [], cutoverJob: null, concurrentMax: input.concurrentMax }),
  invoke: { src: 'watch' },
  on: { 'xstate.done.actor.*': { actions: { type: 'forget', params: ({ event }) => event.actorId } } },
  initial: 'planning',
  states: {
    planning: {
      invoke: {
        src: 'plan',
        input: ({ context }) => ({ running: context.running, concurrentMax: context.concurrentMax }),
        onDone: [
          { guard: { type: 'cutoverDue', params: ({ event }) => event.output }, target: 'cuttingOver', actions: { type: 'spawnMigrations', params: ({ event }) => event.output } },
          { target: 'watching', actions: { type: 'spawnMigrations', params: ({ event }) => event.output } },
        ],
      },
    },
    watching: {
      on: { 'rebalancer.changed': 'planning' },
      // A migration actor that finished is forgotten on its done event; look again then too.
      after: { 1000: 'planning' },
    },
    cuttingOver: {
      invoke: {
        src: 'cutover',
        input: ({ context }) => ({ jobId: context.cutoverJob as string }),
        onDone: 'planning',
        // Lost to a leader change or refused (the state moved on): look again later.
        onError: 'watching',
      },
    },
  },
});

export interface RebalancerServices extends MigrationServices {
  readonly rng: Rng;
}

/** The rebalancer over a peer's services: migration actors with its I/O, watching every apply. */
export function rebalancerLogic(services: RebalancerServices) {
  return rebalancerMachine.provide({
    actors: {
      migration: migrationLogic(services, services.rng),
      plan: fromPromise<Schedule, { running: string[]; concurrentMax: number }>(async ({ input }) =>
        schedule(services.state(), new Set(input.running), input.concurrentMax)),
      cutover: fromPromise<void, { jobId: string }>(async ({ input }) => {
        await services.propose({ v: 1, kind: 'job.cutover', jobId: input.jobId, nowMs: services.clock.nowMs() });
      }),
      watch: fromCallback<RebalancerEvent>(({ sendBack }) => services.onApplied(() => sendBack({ type: 'rebalancer.changed' }))),
    },
  });
}

/** The input of a (re)started rebalancer. */
export function rebalancerInput(services: RebalancerServices): { concurrentMax: number } {
  return { concurrentMax: services.limits.concurrentMigrationsMax };
}
