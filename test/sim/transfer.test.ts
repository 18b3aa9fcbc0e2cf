// Goal: leadership transfer (Raft thesis §3.10) hands leadership to the
// chosen voter within an election timeout, catching it up first if it lags;
// the leader refuses proposals meanwhile; a transfer to an unreachable peer
// is abandoned after an election timeout. Method: seeded simulated clusters,
// checkers after every delivery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProposalDroppedError } from '../../runtime/errors.ts';
import { SimCluster } from './cluster.ts';
import { submit } from './clients.ts';
import { forEachSeed, range } from './seeds.ts';

test('thesis §3.10 transfer to an up-to-date follower: it leads within an election timeout; proposals are refused meanwhile', () => {
  forEachSeed(range(20), (seed) => {
    const c = new SimCluster({ seed, peers: 3, faults: { dropRate: 0, duplicateRate: 0, maxDelayTicks: 1 } });
    assert.ok(submit(c, 'base', 200) !== null);
    const old = c.leader()!;
    const target = c.ids.find((id) => id !== old)!;
    c.peer(old).core.transferLeadership(target);
    assert.throws(() => c.peer(old).core.propose(new Uint8Array(1)), ProposalDroppedError);
    c.processReady(c.peer(old));
    assert.ok(c.runUntil(() => c.leader() === target, 10), 'the target leads');
    assert.ok(submit(c, 'after', 100) !== null);
    c.heal(100);
  });
});

test('thesis §3.10 transfer to a lagging follower: the leader catches it up first, then sends timeoutNow', () => {
  forEachSeed(range(20), (seed) => {
    const c = new SimCluster({ seed, peers: 3 });
    assert.ok(submit(c, 'base', 200) !== null);
    const old = c.leader()!;
    const target = c.ids.find((id) => id !== old)!;
    c.network.partition([[target], c.ids.filter((id) => id !== target)]);
    for (let i = 0; i < 20; i++) assert.ok(submit(c, `lag-${i}`, 100) !== null);
    c.network.heal();
    c.peer(old).core.transferLeadership(target);
    c.processReady(c.peer(old));
    assert.ok(c.runUntil(() => c.leader() === target, 20), 'the lagging target leads');
    assert.ok(c.peer(target).app.has('lag-19') || c.runUntil(() => c.peer(target).app.has('lag-19'), 20));
    c.heal(100);
  });
});

test('thesis §3.10 a transfer to an unreachable peer is abandoned after an election timeout; proposals resume', () => {
  forEachSeed(range(10), (seed) => {
    const c = new SimCluster({ seed, peers: 3 });
    assert.ok(submit(c, 'base', 200) !== null);
    const old = c.leader()!;
    const target = c.ids.find((id) => id !== old)!;
    c.crash(target);
    c.peer(old).core.transferLeadership(target);
    c.runTicks(c.peer(old).core.config.electionTicks + 1);
    assert.equal(c.leader(), old, 'still leading');
    assert.ok(c.propose(old, 'resumed') !== null, 'proposals accepted again');
    c.heal(200);
  });
});
