// Goal: the peer supervisor and the raft-peer actor keep STYLE G9: leader-only
// actors run exactly while this peer leads; a failed driver is closed and
// restarted after `restartBackoff` (and leadership ends with it); a failing
// leader-only actor restarts the leader set after the back-off; shutdown
// stops everything and closes the driver.
// Method: run peerMachine on XState's SimulatedClock with a scripted fake
// driver behind the raft-peer actor's three invoked actors; time moves only
// through clock.increment, and the exact seeded back-off delays are
// computed with the same restartDelayMs the machines use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, fromCallback, fromPromise, SimulatedClock, type EventObject } from 'xstate';
import { peerMachine } from '../../../actors/peer.machine.ts';
import { raftPeerMachine } from '../../../actors/raft-peer.machine.ts';
import { leaderActor, leaderActorsLogic, restartDelayMs, type LeaderActor, type RestartPolicy } from '../../../actors/supervision.ts';
import type { RaftDriverEvent } from '../../../runtime/raft/driver.ts';

const POLICY: RestartPolicy = { baseMs: 100, maxMs: 1_000, seed: 7 };
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A scripted driver: counts starts and closes, lets the test emit events, can fail its next starts. */
class FakeDriver {
  starts = 0;
  closes = 0;
  startFailures = 0;
  listener: ((event: RaftDriverEvent) => void) | null = null;

  emit(event: RaftDriverEvent): void {
    assert.ok(this.listener, 'a driver is running');
    this.listener(event);
  }

  logic() {
    return raftPeerMachine.provide({
      actors: {
        startDriver: fromPromise<void>(async () => {
          this.starts++;
          if (this.startFailures > 0) {
            this.startFailures--;
            throw new Error('store locked');
          }
        }),
        driverEvents: fromCallback<EventObject>(({ sendBack }) => {
          this.listener = (event) => sendBack(event);
          return () => {
            this.listener = null;
          };
        }),
        closeDriver: fromPromise<void>(async () => {
          this.closes++;
        }),
      },
    });
  }
}

function start(driver: FakeDriver, leaders: readonly LeaderActor[]) {
  const clock = new SimulatedClock();
  const machine = peerMachine.provide({ actors: { raftPeer: driver.logic(), leaderActors: leaderActorsLogic(leaders) } });
  const actor = createActor(machine, { clock, input: { restart: POLICY, raft: { restart: POLICY, stableRunMs: 60_000 } } });
  actor.start();
  return { actor, clock };
}

/** A leader-only actor that records its lifetime. */
function probe(log: string[], id = 'probe') {
  return leaderActor(id, fromCallback<EventObject, { term: number }>(({ input }) => {
    log.push(`start ${id} term ${input.term}`);
    return () => log.push(`stop ${id}`);
  }), (term) => ({ term }));
}

test('leader-only actors run exactly while this peer leads, with the term as input', async () => {
  const driver = new FakeDriver();
  const log: string[] = [];
  const { actor } = start(driver, [probe(log)]);
  await flush();
  assert.equal(driver.starts, 1);
  assert.deepEqual(actor.getSnapshot().value, 'following');
  driver.emit({ type: 'raft.leader.gained', term: 3 });
  assert.deepEqual(actor.getSnapshot().value, { leading: 'running' });
  assert.ok(actor.system.get('raft'), 'the raft-peer actor is registered as `raft`');
  assert.ok(actor.system.get('probe'), 'leader-only actors are registered under their id');
  driver.emit({ type: 'raft.leader.lost', term: 4 });
  assert.equal(actor.system.get('probe'), undefined);
  driver.emit({ type: 'raft.leader.gained', term: 5 });
  assert.deepEqual(log, ['start probe term 3', 'stop probe', 'start probe term 5']);
  actor.stop();
});

test('a failed driver is closed, leadership ends, and a new driver starts after restartBackoff', async () => {
  const driver = new FakeDriver();
  const log: string[] = [];
  const { actor, clock } = start(driver, [probe(log)]);
  await flush();
  driver.emit({ type: 'raft.role.changed', role: 'leader', term: 2 });
  driver.emit({ type: 'raft.leader.gained', term: 2 });
  driver.emit({ type: 'raft.failed', error: new Error('disk full') });
  await flush();
  assert.equal(driver.closes, 1);
  assert.deepEqual(actor.getSnapshot().value, 'following', 'the peer stopped leading with its driver');
  assert.deepEqual(log, ['start probe term 2', 'stop probe']);
  const raft = actor.system.get('raft');
  assert.equal(raft.getSnapshot().value, 'restarting');
  assert.equal(raft.getSnapshot().context.lastFailure, 'disk full');
  const delayMs = restartDelayMs(0, POLICY);
  clock.increment(delayMs - 1);
  await flush();
  assert.equal(driver.starts, 1, 'no restart before the back-off');
  clock.increment(1);
  await flush();
  assert.equal(driver.starts, 2);
  assert.equal(raft.getSnapshot().value, 'running');
  actor.stop();
});

test('a driver that fails to start is retried with a growing back-off', async () => {
  const driver = new FakeDriver();
  driver.startFailures = 2;
  const { actor, clock } = start(driver, []);
  await flush();
  assert.equal(driver.starts, 1);
  clock.increment(restartDelayMs(0, POLICY));
  await flush();
  assert.equal(driver.starts, 2);
  const second = restartDelayMs(1, POLICY);
  assert.ok(second >= POLICY.baseMs, 'the second delay is drawn from a doubled ceiling');
  clock.increment(second - 1);
  await flush();
  assert.equal(driver.starts, 2);
  clock.increment(1);
  await flush();
  assert.equal(driver.starts, 3);
  assert.equal(actor.system.get('raft').getSnapshot().value, 'running');
  actor.stop();
});

test('a failing leader-only actor restarts the whole leader set after restartBackoff', async () => {
  const driver = new FakeDriver();
  const log: string[] = [];
  let runs = 0;
  const flaky = leaderActor('flaky', fromPromise<void, { term: number }>(async () => {
    runs++;
    if (runs === 1) throw new Error('node unreachable');
    await new Promise<void>(() => undefined);
  }), (term) => ({ term }));
  const { actor, clock } = start(driver, [probe(log), flaky]);
  await flush();
  driver.emit({ type: 'raft.leader.gained', term: 1 });
  await flush();
  assert.deepEqual(actor.getSnapshot().value, { leading: 'restarting' });
  assert.equal(actor.getSnapshot().context.lastFailedActor, 'flaky');
  assert.deepEqual(log, ['start probe term 1', 'stop probe']);
  clock.increment(restartDelayMs(0, POLICY));
  await flush();
  assert.deepEqual(actor.getSnapshot().value, { leading: 'running' });
  assert.equal(runs, 2);
  assert.deepEqual(log, ['start probe term 1', 'stop probe', 'start probe term 1']);
  actor.stop();
});

test('a one-shot leader-only actor that finishes does not restart the set', async () => {
  const driver = new FakeDriver();
  let runs = 0;
  const once = leaderActor('once', fromPromise<string, { term: number }>(async () => {
    runs++;
    return 'done';
  }), (term) => ({ term }));
  const { actor } = start(driver, [once]);
  await flush();
  driver.emit({ type: 'raft.leader.gained', term: 1 });
  await flush();
  await flush();
  assert.deepEqual(actor.getSnapshot().value, { leading: 'running' });
  assert.equal(runs, 1);
  actor.stop();
});

test('peer.stop stops leader-only actors, closes the driver and finishes', async () => {
  const driver = new FakeDriver();
  const log: string[] = [];
  const { actor } = start(driver, [probe(log)]);
  await flush();
  driver.emit({ type: 'raft.role.changed', role: 'leader', term: 1 });
  driver.emit({ type: 'raft.leader.gained', term: 1 });
  actor.send({ type: 'peer.stop' });
  await flush();
  assert.equal(driver.closes, 1);
  assert.deepEqual(log, ['start probe term 1', 'stop probe']);
  assert.equal(actor.getSnapshot().status, 'done');
});
