// Goal: single-server membership changes (Raft thesis §4.1–§4.2) keep the
// cluster safe and available under load: a new peer joins as a learner,
// catches up, is promoted to voter by a second change; peers (the leader
// included) are removed; only one change is pending at a time. Method:
// seeded simulated clusters with clients proposing throughout, some runs on
// an unreliable network with compaction; checkers after every delivery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfChange } from '../../runtime/raft/types.ts';
import { SimCluster } from './cluster.ts';
import { submit } from './clients.ts';
import { unreliable } from './network.ts';
import { forEachSeed, range } from './seeds.ts';

/** Whether the leader's applied membership already reflects `change`. */
function reflected(c: SimCluster, change: ConfChange): boolean {
  const leader = c.leader();
  if (leader === null) return false;
  const conf = c.peer(leader).core.conf;
  switch (change.kind) {
    case 'addVoter':
      return conf.voters.includes(change.peer);
    case 'addLearner':
      return conf.learners.includes(change.peer) || conf.voters.includes(change.peer);
    case 'removePeer':
      return !conf.voters.includes(change.peer) && !conf.learners.includes(change.peer);
  }
}

/** Proposes `change` through whoever leads until a leader applied it; false on timeout. */
function changeMembership(c: SimCluster, change: ConfChange, maxTicks: number): boolean {
  const deadline = c.now + maxTicks;
  while (c.now < deadline) {
    if (reflected(c, change)) return true;
    const leader = c.leader();
    const receipt = leader === null ? null : c.proposeConfChange(leader, change);
    if (receipt === null) {
      c.runTicks(2);
      continue;
    }
    c.runUntil(() => reflected(c, change) || c.leader() !== leader, 100);
  }
  return reflected(c, change);
}

function inConf(c: SimCluster, peer: string, as: 'voters' | 'learners'): boolean {
  const leader = c.leader();
  return leader !== null && c.peer(leader).core.conf[as].includes(peer);
}

/** Clients keep proposing while `work` runs, one proposal every other tick. */
function underLoad(c: SimCluster, work: () => void): void {
  let n = 0;
  c.applyListeners.length = 0;
  const tick = c.tick.bind(c);
  c.tick = () => {
    const leader = c.leader();
    if (leader !== null && c.now % 2 === 0) c.propose(leader, `load-${n++}`);
    tick();
  };
  try {
    work();
  } finally {
    c.tick = tick;
  }
}

function joinAsLearnerThenPromote(c: SimCluster, id: string): void {
  c.addPeer(id);
  assert.ok(changeMembership(c, { kind: 'addLearner', peer: id }, 400), `${id} added as learner`);
  // Thesis §4.2.1: promote only once the learner has caught up.
  assert.ok(
    c.runUntil(() => {
      const leader = c.leader();
      const pr = leader === null ? null : c.peer(leader).core.progressOf(id);
      return pr !== null && c.peer(leader!).core.log.lastIndex() - pr.match <= 2;
    }, 400),
    `${id} caught up`,
  );
  assert.ok(changeMembership(c, { kind: 'addVoter', peer: id }, 400), `${id} promoted`);
}

test('thesis §4.1, §4.2.1: a learner joins, catches up, is promoted; a voter and then the leader are removed — under load', () => {
  forEachSeed(range(12), (seed) => {
    const c = new SimCluster({ seed, peers: 3 });
    assert.ok(submit(c, 'base', 200) !== null);
    underLoad(c, () => {
      joinAsLearnerThenPromote(c, '4');
      joinAsLearnerThenPromote(c, '5');
      assert.ok(inConf(c, '4', 'voters') && inConf(c, '5', 'voters'));
      const victim = c.ids.find((id) => id !== c.leader() && id !== '4')!;
      assert.ok(changeMembership(c, { kind: 'removePeer', peer: victim }, 400), `${victim} removed`);
      const leader = c.leader()!;
      assert.ok(changeMembership(c, { kind: 'removePeer', peer: leader }, 400), 'the leader removed itself');
      assert.ok(c.runUntil(() => c.leader() !== null && c.leader() !== leader, 200), 'the rest elected a new leader');
      c.crash(victim);
      c.crash(leader);
    });
    c.heal(400);
    assert.ok(submit(c, 'after', 200) !== null);
    assert.equal(c.peer(c.leader()!).core.conf.voters.length, 3);
  });
});

test('thesis §4.1: only one membership change may be pending; a second one is refused until the first is applied', () => {
  forEachSeed(range(10), (seed) => {
    const c = new SimCluster({ seed, peers: 3 });
    assert.ok(submit(c, 'base', 200) !== null);
    const leader = c.leader()!;
    c.addPeer('4');
    c.addPeer('5');
    // Hold back the followers so the first change cannot commit yet.
    c.network.partition([[leader], c.ids.filter((id) => id !== leader)]);
    assert.ok(c.proposeConfChange(leader, { kind: 'addLearner', peer: '4' }) !== null);
    assert.equal(c.proposeConfChange(leader, { kind: 'addLearner', peer: '5' }), null, 'second change refused');
    c.network.heal();
    assert.ok(changeMembership(c, { kind: 'addLearner', peer: '5' }, 300), 'accepted once the first applied');
    c.heal(300);
  });
});

test('membership changes under an unreliable network with compaction: new peers get the snapshot and the right membership', () => {
  forEachSeed(range(8), (seed) => {
    const c = new SimCluster({ seed, peers: 3, faults: unreliable, compactAfter: 8 });
    for (let i = 0; i < 20; i++) assert.ok(submit(c, `pre-${i}`, 300) !== null);
    underLoad(c, () => {
      joinAsLearnerThenPromote(c, '4');
      const removed = c.ids.find((id) => id !== c.leader() && id !== '4')!;
      assert.ok(changeMembership(c, { kind: 'removePeer', peer: removed }, 600));
      c.crash(removed);
    });
    c.heal(600);
    const conf = c.peer(c.leader()!).core.conf;
    assert.equal(conf.voters.length, 3);
    assert.ok(conf.voters.includes('4'));
    assert.ok(c.peer('4').app.has('pre-0'), 'the new peer has the history');
  });
});
