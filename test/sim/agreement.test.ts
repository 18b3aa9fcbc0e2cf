// Goal: log replication reaches agreement exactly when it should (Raft §5.3,
// §5.4; the scenarios of MIT 6.824 lab 2B). Method: seeded simulated
// clusters; the checkers verify identical committed prefixes after every
// delivery; each scenario then checks what was committed, by whom, and in how
// many ticks or messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimCluster } from './cluster.ts';
import { appliedBy, submit } from './clients.ts';
import { forEachSeed, range } from './seeds.ts';

function elected(c: SimCluster): string {
  assert.ok(c.runUntil(() => c.converged(), 100), 'an initial leader');
  return c.leader()!;
}

test('§5.3 basic agreement: each command commits on every peer at the next index', () => {
  forEachSeed(range(20), (seed) => {
    const c = new SimCluster({ seed, peers: 3 });
    elected(c);
    let last = 0;
    for (let i = 0; i < 5; i++) {
      const index = submit(c, `cmd-${i}`, 100);
      assert.ok(index !== null && index > last, `cmd-${i} committed after ${last}`);
      last = index;
      assert.ok(c.runUntil(() => appliedBy(c, `cmd-${i}`).length === 3, 20), 'applied everywhere');
    }
  });
});

test('§5.3 agreement despite a failed follower, and catch-up once it returns', () => {
  forEachSeed(range(20), (seed) => {
    const c = new SimCluster({ seed, peers: 3 });
    const leader = elected(c);
    const follower = c.ids.find((id) => id !== leader)!;
    c.crash(follower);
    for (let i = 0; i < 5; i++) assert.ok(submit(c, `a-${i}`, 100) !== null, 'commits with 2 of 3');
    c.restart(follower);
    for (let i = 0; i < 5; i++) assert.ok(submit(c, `b-${i}`, 100) !== null);
    c.heal(200);
    assert.equal(appliedBy(c, 'a-0').length, 3, 'the returning follower caught up');
  });
});

test('§5.3 no agreement without a majority; agreement resumes when it returns', () => {
  forEachSeed(range(20), (seed) => {
    const c = new SimCluster({ seed, peers: 5 });
    const leader = elected(c);
    const cut = c.ids.filter((id) => id !== leader).slice(0, 3);
    for (const id of cut) c.crash(id);
    const receipt = c.propose(leader, 'lonely');
    assert.ok(receipt !== null, 'the leader still accepts the proposal');
    c.runTicks(30);
    assert.ok(c.peer(leader).core.log.committed < receipt.index, 'nothing commits with 2 of 5');
    assert.equal(appliedBy(c, 'lonely').length, 0);
    for (const id of cut) c.restart(id);
    assert.ok(submit(c, 'after', 300) !== null, 'agreement after the majority is back');
    c.heal(200);
  });
});

test('§5.3 concurrent proposals: many proposals in the same tick all commit, in one order everywhere', () => {
  forEachSeed(range(20), (seed) => {
    const c = new SimCluster({ seed, peers: 3 });
    const leader = elected(c);
    const receipts = Array.from({ length: 50 }, (_, i) => c.propose(leader, `p-${i}`));
    assert.ok(receipts.every((r) => r !== null));
    assert.ok(c.runUntil(() => c.checker.acked.size >= 50, 50), 'all 50 acknowledged');
    c.heal(100);
  });
});

test('§5.4.1 rejoin of a partitioned leader: its uncommitted entries are replaced by the new leader\'s', () => {
  forEachSeed(range(20), (seed) => {
    const c = new SimCluster({ seed, peers: 3 });
    assert.ok(submit(c, 'first', 100) !== null);
    const old = c.leader()!;
    c.network.partition([[old], c.ids.filter((id) => id !== old)]);
    for (let i = 0; i < 3; i++) c.propose(old, `stale-${i}`);
    assert.ok(submit(c, 'second', 200) !== null, 'the majority side commits');
    const newer = c.leader()!;
    assert.notEqual(newer, old);
    // The new leader is now cut off too, and the old one returns.
    c.network.partition([[newer], c.ids.filter((id) => id !== newer)]);
    assert.ok(submit(c, 'third', 300) !== null);
    c.heal(300);
    for (let i = 0; i < 3; i++) assert.equal(appliedBy(c, `stale-${i}`).length, 0, 'stale entries never apply');
  });
});

test('§5.3 back-up over long divergent logs: followers are repaired quickly (fast back-tracking)', () => {
  forEachSeed(range(10), (seed) => {
    const c = new SimCluster({ seed, peers: 5 });
    assert.ok(submit(c, 'base', 100) !== null);
    const leader1 = c.leader()!;
    const [f1, f2, f3, f4] = c.ids.filter((id) => id !== leader1) as [string, string, string, string];
    // Leader and one follower get 50 entries that never commit.
    c.network.partition([[leader1, f1], [f2, f3, f4]]);
    for (let i = 0; i < 50; i++) c.propose(leader1, `lost-a-${i}`);
    c.runTicks(5);
    for (let i = 0; i < 50; i++) assert.ok(submit(c, `won-a-${i}`, 300) !== null);
    const leader2 = c.leader()!;
    const other = [f2, f3, f4].find((id) => id !== leader2)!;
    // The new leader and one peer take 50 more that never commit.
    c.network.partition([[leader2, other], [leader1, f1, [f2, f3, f4].find((id) => id !== leader2 && id !== other)!]]);
    for (let i = 0; i < 50; i++) c.propose(leader2, `lost-b-${i}`);
    c.runTicks(5);
    for (let i = 0; i < 50; i++) assert.ok(submit(c, `won-b-${i}`, 400) !== null);
    c.network.resetCounts();
    c.heal(300);
    const rejections = c.network.sentByKind.get('raft.appendResponse') ?? 0;
    assert.ok(c.network.sentTotal < 2000, `repair took ${c.network.sentTotal} messages (${rejections} append responses)`);
    assert.equal(appliedBy(c, 'lost-a-0').length + appliedBy(c, 'lost-b-0').length, 0);
  });
});

test('§5.3 bounded RPC counts: an election and ten commits cost a few messages per peer, not a storm', () => {
  forEachSeed(range(10), (seed) => {
    const c = new SimCluster({ seed, peers: 3 });
    assert.ok(c.runUntil(() => c.converged(), 100));
    const electionMessages = c.network.sentTotal;
    assert.ok(electionMessages <= 40, `election used ${electionMessages} messages`);
    c.network.resetCounts();
    const leader = c.leader()!;
    for (let i = 0; i < 10; i++) assert.ok(c.propose(leader, `r-${i}`) !== null);
    assert.ok(c.runUntil(() => c.checker.acked.size >= 10, 20));
    // Per commit and follower: the append, its ack, the commit notice (an empty
    // append, as etcd-raft sends) and its ack — 4 × 2 × 10 — plus a heartbeat round.
    assert.ok(c.network.sentTotal <= 4 * 2 * 10 + 4, `ten commits used ${c.network.sentTotal} messages`);
    // Idle: heartbeats only, two followers × (heartbeat + response) per heartbeat interval.
    c.network.resetCounts();
    c.runTicks(20);
    const idle = c.network.sentTotal;
    assert.ok(idle <= 2 * 2 * (20 / 2) + 4, `idle cluster sent ${idle} messages in 20 ticks`);
  });
});
