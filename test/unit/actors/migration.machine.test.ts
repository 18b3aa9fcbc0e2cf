// Goal: a migration actor follows the committed phase — it runs the phase the
// cluster state says, looks again after each commit, stops at the cut-over;
// a new actor (a new leader) resumes at the committed phase; a phase that
// keeps failing is retried with back-off and, after ATTEMPTS_MAX failures,
// committed `failed` (before the cut-over) so the job never cuts over on it.
// Method: the machine on XState's SimulatedClock over a real replica of the
// cluster state (proposals are applied to it); the phase I/O is scripted —
// the only fake, standing in for the node I/O the real-process tests make.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import { apply, emptyState, type ClusterCommand } from '../../../runtime/cluster/index.ts';
import { seededRng } from '../../../runtime/env/rng.ts';
import { DEFAULT_TOPOLOGY_LIMITS } from '../../../runtime/topology/limits.ts';
import type { MigrationServices } from '../../../runtime/topology/migration-io.ts';
import { ATTEMPTS_MAX, migrationLogic } from '../../../actors/migration.machine.ts';

const T = 1_700_000_000_000;
const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
};

function replica() {
  const state = emptyState();
  let index = 0;
  const run = (c: ClusterCommand) => apply(state, c, ++index, { placeShard: (shard, ids) => [ids[shard % ids.length] as string] });
  run({ v: 1, kind: 'group.add', id: 'g', nowMs: T });
  for (const id of ['a', 'b']) {
    run({ v: 1, kind: 'node.add', id, url: `http://x/${id}`, group: 'g', nowMs: T });
    run({ v: 1, kind: 'node.state', id, state: 'active', nowMs: T });
  }
  run({ v: 1, kind: 'index.create', uid: 'm', primaryKey: 'id', shards: 4, nowMs: T });
  run({ v: 1, kind: 'topology.job', job: 'join', nodeId: 'c', url: 'http://x/c', group: 'g', nowMs: T });
  const id = [...state.migrations.keys()].sort()[0]!;
  const services = {
    state: () => state,
    propose: async (c: ClusterCommand) => run(c),
    clock: { nowMs: () => T, setTimeout: () => ({ id: 0 }), clearTimeout: () => undefined },
    limits: DEFAULT_TOPOLOGY_LIMITS,
  } as unknown as MigrationServices;
  return { state, id, services, run };
}

const NEXT = { hold: 'copy', copy: 'replay', replay: 'verify', verify: 'cutover', cleanup: 'done' } as const;

test('runs the committed phases in order and stops at the cut-over; a new actor resumes at the committed phase', async () => {
  const r = replica();
  const ran: string[] = [];
  const logic = () => migrationLogic(r.services, seededRng(1)).provide({
    actors: {
      runPhase: fromPromise<void, { id: string; phase: keyof typeof NEXT }>(async ({ input }) => {
        ran.push(input.phase);
        await r.services.propose({ v: 1, kind: 'migration.phase', id: input.id, phase: NEXT[input.phase], nowMs: T });
        if (input.phase === 'copy') throw new Error('stop here, as a killed leader would');
      }),
    },
  });
  const clock = new SimulatedClock();
  const first = createActor(logic(), { input: { id: r.id }, clock }).start();
  await flush();
  first.stop();
  assert.deepEqual(ran, ['hold', 'copy']);
  assert.equal(r.state.migrations.get(r.id)?.phase, 'replay', 'the copy committed its next phase before the failure');
  const second = createActor(logic(), { input: { id: r.id }, clock }).start();
  await flush();
  assert.deepEqual(ran, ['hold', 'copy', 'replay', 'verify'], 'resumed at replay, not from the start');
  assert.equal(second.getSnapshot().status, 'done');
  assert.equal(r.state.migrations.get(r.id)?.phase, 'cutover');
});

test('a phase that keeps failing is retried with back-off, then committed failed: the job fails', async () => {
  const r = replica();
  let attempts = 0;
  const logic = migrationLogic(r.services, seededRng(2)).provide({
    actors: {
      runPhase: fromPromise<void, { id: string; phase: keyof typeof NEXT }>(async () => {
        attempts += 1;
        throw new Error('node c unavailable');
      }),
    },
  });
  const clock = new SimulatedClock();
  const actor = createActor(logic, { input: { id: r.id }, clock }).start();
  for (let i = 0; i < ATTEMPTS_MAX * 3 && actor.getSnapshot().status === 'active'; i++) {
    await flush();
    clock.increment(5_000);
  }
  await flush();
  assert.equal(attempts, ATTEMPTS_MAX);
  const m = r.state.migrations.get(r.id)!;
  assert.equal(m.phase, 'failed');
  assert.match(m.error ?? '', /gave up after 20 attempts in hold: node c unavailable/);
  assert.equal(r.state.jobs.get(m.jobId)?.status, 'failed');
  assert.equal(actor.getSnapshot().status, 'done');
});
