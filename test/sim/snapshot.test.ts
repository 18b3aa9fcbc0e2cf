// Goal: log compaction and InstallSnapshot (Raft §7) keep every peer's state
// machine identical: a follower behind the leader's compaction point gets the
// snapshot, restarts resume from snapshot plus log, and a lost snapshot is
// sent again. Method: seeded simulated clusters compacting every few
// entries; checkers after every delivery, then a liveness phase.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimCluster } from './cluster.ts';
import { submit } from './clients.ts';
import { unreliable } from './network.ts';
import { forEachSeed, range } from './seeds.ts';

test('§7 a follower behind the compaction point is brought up to date by InstallSnapshot', () => {
  forEachSeed(range(15), (seed) => {
    const c = new SimCluster({ seed, peers: 3, compactAfter: 10 });
    assert.ok(submit(c, 'base', 200) !== null);
    const leader = c.leader()!;
    const lagging = c.ids.find((id) => id !== leader)!;
    c.crash(lagging);
    for (let i = 0; i < 40; i++) assert.ok(submit(c, `s-${i}`, 200) !== null);
    assert.ok(c.peer(c.leader()!).core.log.snapshotIndex > c.peer(lagging).core.log.lastIndex(), 'the leader compacted past the follower');
    c.network.resetCounts();
    c.restart(lagging);
    c.heal(300);
    assert.ok((c.network.sentByKind.get('raft.snapshot') ?? 0) >= 1, 'a snapshot was sent');
    assert.ok(c.peer(lagging).app.has('s-0'), 'the snapshot carried the early writes');
  });
});

test('§7 restarts resume from snapshot plus log, including a whole-cluster crash', () => {
  forEachSeed(range(15), (seed) => {
    const c = new SimCluster({ seed, peers: 3, compactAfter: 7 });
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 12; i++) assert.ok(submit(c, `r${round}-${i}`, 300) !== null);
      const victims = round === 3 ? c.ids : [c.ids[c.rng.int(3)]!];
      for (const id of victims) c.crash(id);
      for (const id of victims) c.restart(id);
    }
    c.heal(400);
  });
});

test('§7 snapshots under loss and churn: a lost snapshot is resent and every peer converges', () => {
  forEachSeed(range(10), (seed) => {
    const c = new SimCluster({ seed, peers: 5, compactAfter: 5, faults: unreliable });
    for (let step = 0; step < 120; step++) {
      const leader = c.leader();
      if (leader !== null) c.propose(leader, `x-${step}`);
      const id = c.ids[c.rng.int(5)]!;
      const roll = c.rng.next();
      if (roll < 0.04 && c.peer(id).alive) c.crash(id);
      else if (roll < 0.12 && !c.peer(id).alive) c.restart(id);
      c.runTicks(1 + c.rng.int(3));
    }
    c.heal(800);
    assert.ok(submit(c, 'done', 300) !== null);
  });
});
