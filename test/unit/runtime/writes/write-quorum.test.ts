// Goal: a write split into parts (one log entry each, under one task) is
// acknowledged in `quorum` mode only once every part reached its quorum, not
// just the entry its task points at; the groups short in any part are named.
// Method: WriteQuorum on the leader (no mesh hop) over a cluster state with
// the dispatch records of a two-part batch and of a single write, acks fed
// as the dispatchers report them, time on a SimClock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyState, type DispatchRecord } from '../../../../runtime/cluster/index.ts';
import { writeEntries } from '../../../../runtime/writes/quorum.ts';
import { WriteQuorum } from '../../../../runtime/writes/write-quorum.ts';
import { SimClock } from '../../../sim/sim-clock.ts';

function record(logIndex: number, taskUid: number, part?: { index: number; count: number }): DispatchRecord {
  const targets = [{ nodeId: 'n1', group: 'g1', shards: [0] }, { nodeId: 'n2', group: 'g1', shards: [1] }];
  return { logIndex, taskUid, targets, createsIndex: false, copies: { g1: 1 }, outcomes: [], ...(part === undefined ? {} : { part }) };
}

function leaderQuorum(clock: SimClock) {
  const state = emptyState({ rf: 1 });
  state.appliedIndex = 20;
  state.dispatch.set(10, record(10, 5, { index: 0, count: 2 }));
  state.dispatch.set(11, record(11, 5, { index: 1, count: 2 }));
  state.dispatch.set(12, record(12, 6));
  const quorum = new WriteQuorum({
    clock,
    state: () => state,
    onApplied: () => () => undefined,
    leader: () => ({ self: true, id: 'p1' }),
    retryMs: 50,
    // The leader answers its own waits: nothing goes over the mesh.
    mesh: { request: () => assert.fail('no mesh request on the leader'), handle: () => () => undefined },
  });
  return { state, quorum };
}

test('the entries of a write: every part of a split batch, else its own entry', () => {
  const { state, quorum } = leaderQuorum(new SimClock());
  assert.deepEqual(writeEntries(state, 5, 10), [10, 11]);
  assert.deepEqual(writeEntries(state, 6, 12), [12]);
  // A finished write has no record left: its own entry, met once applied.
  assert.deepEqual(writeEntries(state, 7, 13), [13]);
  quorum.close();
});

test('a split batch waits for the quorum of every part; the last part short is named', async () => {
  const clock = new SimClock(10);
  const { state, quorum } = leaderQuorum(clock);
  quorum.enqueued('n1', [10]);
  quorum.enqueued('n2', [10]);
  quorum.enqueued('n1', [11]);
  // Part 0 alone has its quorum: waiting on the task's entry only would have answered 202.
  assert.deepEqual(await quorum.wait(10, 1), { met: true, missingGroups: [] });
  const pending = quorum.waitAll(writeEntries(state, 5, 10), 100);
  for (let i = 0; i < 12; i++) clock.tick();
  assert.deepEqual(await pending, { met: false, missingGroups: ['g1'] });

  const again = quorum.waitAll(writeEntries(state, 5, 10), 1_000);
  quorum.enqueued('n2', [11]);
  assert.deepEqual(await again, { met: true, missingGroups: [] });
  quorum.close();
});

test('with no time left the leader still answers from the acks it holds', async () => {
  const { quorum } = leaderQuorum(new SimClock(10));
  quorum.enqueued('n1', [12]);
  quorum.enqueued('n2', [12]);
  assert.deepEqual(await quorum.wait(12, 0), { met: true, missingGroups: [] });
  assert.deepEqual(await quorum.wait(10, 0), { met: false, missingGroups: ['g1'] });
  quorum.close();
});
