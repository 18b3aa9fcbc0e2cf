// Goal: what a peer persisted before acting on it survives crashes, so no
// acknowledged write is lost and no two peers apply different entries (Raft
// §5.2 "persistent state", §5.4, Figure 8; the scenarios of MIT 6.824 lab
// 2C). Method: seeded simulated clusters with crashes that tear unsynced
// writes; checkers after every delivery, then a liveness phase.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimCluster } from './cluster.ts';
import { submit } from './clients.ts';
import { unreliable } from './network.ts';
import { forEachSeed, range } from './seeds.ts';

test('§5.2 persistence 1: a whole-cluster crash loses no acknowledged write', () => {
  forEachSeed(range(15), (seed) => {
    const c = new SimCluster({ seed, peers: 3 });
    assert.ok(submit(c, 'one', 200) !== null);
    for (const id of c.ids) c.crash(id);
    for (const id of c.ids) c.restart(id);
    assert.ok(submit(c, 'two', 200) !== null);
    const leader = c.leader()!;
    c.crash(leader);
    c.restart(leader);
    assert.ok(submit(c, 'three', 200) !== null);
    const follower = c.ids.find((id) => id !== c.leader())!;
    c.crash(follower);
    assert.ok(submit(c, 'four', 200) !== null);
    c.restart(follower);
    c.heal(300);
  });
});

test('§5.2 persistence 2: repeated crashes of a majority, one at a time, while committing', () => {
  forEachSeed(range(10), (seed) => {
    const c = new SimCluster({ seed, peers: 5 });
    for (let round = 0; round < 8; round++) {
      assert.ok(submit(c, `r${round}-a`, 300) !== null, `round ${round} commits`);
      const leader = c.leader()!;
      const down = c.ids.filter((id) => id !== leader).slice(0, 2);
      for (const id of down) c.crash(id);
      assert.ok(submit(c, `r${round}-b`, 300) !== null, 'commits with 3 of 5');
      c.crash(leader);
      for (const id of down) c.restart(id);
      assert.ok(submit(c, `r${round}-c`, 400) !== null, 'the restarted pair and two others commit');
      c.restart(leader);
    }
    c.heal(400);
  });
});

test('§5.2 persistence 3: a leader crashes right after proposing; the entry either commits everywhere or nowhere', () => {
  forEachSeed(range(20), (seed) => {
    const c = new SimCluster({ seed, peers: 3 });
    assert.ok(submit(c, 'base', 200) !== null);
    for (let round = 0; round < 5; round++) {
      const leader = c.leader() ?? c.ids[0]!;
      c.propose(leader, `maybe-${round}`);
      c.runTicks(c.rng.int(3));
      if (c.peer(leader).alive) c.crash(leader);
      assert.ok(submit(c, `after-${round}`, 400) !== null);
      c.restart(leader);
    }
    c.heal(300);
  });
});

/** Half the seeds run without pre-vote, a third without check-quorum, so every combination is covered. */
function raftOptions(seed: number): { preVote: boolean; checkQuorum: boolean } {
  return { preVote: seed % 2 === 0, checkQuorum: seed % 3 !== 0 };
}

function figure8(seed: number, unreliableNetwork: boolean): void {
  const c = new SimCluster({ seed, peers: 5, raft: raftOptions(seed), ...(unreliableNetwork ? { faults: unreliable } : {}) });
  assert.ok(submit(c, 'start', 400) !== null);
  let up = c.ids.length;
  for (let iter = 0; iter < 60; iter++) {
    const leader = c.leader();
    if (leader !== null) c.propose(leader, `f8-${iter}`);
    // Crash the leader sometimes right away, sometimes after a while: entries
    // of old terms are left replicated on a minority, as in Figure 8.
    c.runTicks(c.rng.next() < 0.1 ? c.rng.int(30) : c.rng.int(4));
    if (leader !== null && c.peer(leader).alive && c.rng.next() < 0.6) {
      c.crash(leader);
      up--;
    }
    if (up < 3) {
      const down = c.ids.filter((id) => !c.peer(id).alive);
      c.restart(down[c.rng.int(down.length)]!);
      up++;
    }
  }
  c.heal(800);
  assert.ok(submit(c, 'end', 300) !== null);
}

test('§5.4.2 Figure 8: entries of old terms are never committed by counting, so nothing committed is undone', () => {
  forEachSeed(range(15), (seed) => figure8(seed, false));
});

test('§5.4.2 Figure 8 (unreliable): the same under drops, duplicates and reordering', () => {
  forEachSeed(range(10), (seed) => figure8(seed, true));
});

test('§5.3 unreliable agreement: concurrent proposals over a lossy, reordering network all commit once healed', () => {
  forEachSeed(range(10), (seed) => {
    const c = new SimCluster({ seed, peers: 5, faults: unreliable });
    for (let i = 0; i < 40; i++) {
      const leader = c.leader();
      if (leader !== null) c.propose(leader, `u-${i}`);
      c.runTicks(c.rng.int(3));
    }
    c.heal(500);
    for (let i = 0; i < 5; i++) assert.ok(submit(c, `u-final-${i}`, 200) !== null);
  });
});

function churn(seed: number, unreliableNetwork: boolean): void {
  const c = new SimCluster({ seed, peers: 5, raft: raftOptions(seed), ...(unreliableNetwork ? { faults: unreliable } : {}) });
  for (let step = 0; step < 150; step++) {
    const leader = c.leader();
    if (leader !== null && c.rng.next() < 0.5) c.propose(leader, `ch-${step}`);
    const roll = c.rng.next();
    const id = c.ids[c.rng.int(c.ids.length)]!;
    const peer = c.peer(id);
    if (roll < 0.05 && peer.alive) c.crash(id);
    else if (roll < 0.15 && !peer.alive) c.restart(id);
    else if (roll < 0.18) c.network.partition([c.ids.filter(() => c.rng.next() < 0.5)]);
    else if (roll < 0.25) c.network.heal();
    c.runTicks(1 + c.rng.int(3));
  }
  // Liveness with a minority still down: the other three must converge.
  const keepDown = c.ids.filter(() => c.rng.next() < 0.3).slice(0, 2);
  c.heal(800, keepDown);
  assert.ok(submit(c, 'after-churn', 300) !== null);
}

test('churn: peers crash, restart and get partitioned at random while clients propose', () => {
  forEachSeed(range(10), (seed) => churn(seed, false));
});

test('churn (unreliable): the same over a lossy, reordering network', () => {
  forEachSeed(range(10), (seed) => churn(seed, true));
});
