// Goal: leader election is safe and live (Raft §5.2, thesis §9.6 pre-vote,
// §9.6/§6.2 check-quorum). Method: seeded simulated clusters; the checkers
// verify at most one leader per term after every delivery; each scenario
// then requires a leader within a bounded number of ticks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimCluster } from './cluster.ts';
import { unreliable } from './network.ts';
import { forEachSeed, range } from './seeds.ts';

const ELECTION_BOUND = 60;

test('§5.2 initial election: three peers elect one leader and keep it while the network is healthy', () => {
  forEachSeed(range(30), (seed) => {
    const c = new SimCluster({ seed, peers: 3 });
    assert.ok(c.runUntil(() => c.converged(), ELECTION_BOUND), 'a leader within the bound');
    const leader = c.leader();
    const term = c.peer(leader!).core.term;
    c.runTicks(100);
    assert.equal(c.leader(), leader, 'no re-election without failures');
    assert.equal(c.peer(leader!).core.term, term, 'the term stays put');
  });
});

test('§5.2 re-election: after the leader fails the rest elect a new one; the old one rejoins as follower', () => {
  forEachSeed(range(30), (seed) => {
    const c = new SimCluster({ seed, peers: 3 });
    assert.ok(c.runUntil(() => c.converged(), ELECTION_BOUND));
    const old = c.leader()!;
    c.network.partition([[old], c.ids.filter((id) => id !== old)]);
    assert.ok(c.runUntil(() => c.leader() !== null && c.leader() !== old && c.peer(old).core.role !== 'leader', ELECTION_BOUND * 2), 'a new leader, old one stepped down (check-quorum)');
    c.network.heal();
    assert.ok(c.runUntil(() => c.converged(), ELECTION_BOUND), 'the old leader rejoins');
    // No majority: no leader.
    const l2 = c.leader()!;
    const others = c.ids.filter((id) => id !== l2);
    c.network.partition([[l2], [others[0]!], [others[1]!]]);
    c.runTicks(ELECTION_BOUND * 2);
    assert.equal(c.leader(), null, 'no leader without a majority');
    c.network.heal();
    assert.ok(c.runUntil(() => c.converged(), ELECTION_BOUND * 2), 'a leader once a majority is back');
  });
});

test('§5.2 many elections: seven peers under repeated random partitions always settle on one leader', () => {
  forEachSeed(range(10), (seed) => {
    const c = new SimCluster({ seed, peers: 7 });
    assert.ok(c.runUntil(() => c.converged(), ELECTION_BOUND));
    for (let round = 0; round < 10; round++) {
      const isolated = c.ids.filter(() => c.rng.next() < 0.4).slice(0, 3);
      c.network.partition([isolated, c.ids.filter((id) => !isolated.includes(id))]);
      assert.ok(c.runUntil(() => c.leader() !== null && !isolated.includes(c.leader()!) , ELECTION_BOUND * 3), `round ${round}: the majority side leads`);
      c.network.heal();
    }
    assert.ok(c.runUntil(() => c.converged(), ELECTION_BOUND * 2));
  });
});

test('thesis §9.6 pre-vote: a partitioned follower does not inflate the term or depose the leader when it returns', () => {
  forEachSeed(range(20), (seed) => {
    const c = new SimCluster({ seed, peers: 3 });
    assert.ok(c.runUntil(() => c.converged(), ELECTION_BOUND));
    const leader = c.leader()!;
    const term = c.peer(leader).core.term;
    const loner = c.ids.find((id) => id !== leader)!;
    c.network.partition([[loner], c.ids.filter((id) => id !== loner)]);
    c.runTicks(200);
    assert.equal(c.peer(loner).core.term, term, 'pre-vote kept the loner at the old term');
    c.network.heal();
    c.runTicks(50);
    assert.equal(c.leader(), leader);
    assert.equal(c.peer(leader).core.term, term);
  });
});

test('elections under an unreliable network (drops, duplicates, reordering) stay safe and end with one leader', () => {
  forEachSeed(range(20), (seed) => {
    const c = new SimCluster({ seed, peers: 5, faults: unreliable });
    c.runTicks(300);
    c.heal(300);
  });
});
