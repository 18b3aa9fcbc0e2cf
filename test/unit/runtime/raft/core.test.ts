// Goal: the core elects one leader, replicates and commits proposals, and
// refuses proposals off the leader. Method: three cores on a perfect in-test
// network (helpers.ts), driven tick by tick with fixed seeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotLeaderError, ProposalDroppedError } from '../../../../runtime/errors.ts';
import type { RaftCore } from '../../../../runtime/raft/core.ts';
import { clusterOf, elect, stabilize } from './helpers.ts';

const ids = ['1', '2', '3'];

function leaders(cores: Map<string, RaftCore>): RaftCore[] {
  return [...cores.values()].filter((c) => c.status().role === 'leader');
}

function tickUntilLeader(cores: Map<string, RaftCore>): void {
  for (let t = 0; t < 50 && leaders(cores).length === 0; t++) {
    for (const c of cores.values()) c.tick();
    stabilize(cores);
  }
}

test('§5.2: three peers elect exactly one leader by timeouts alone, and everyone follows it', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const cores = clusterOf(ids, { checkQuorum: true, preVote: true });
    tickUntilLeader(cores);
    const [leader, ...more] = leaders(cores);
    assert.ok(leader, `seed ${seed}: a leader`);
    assert.equal(more.length, 0);
    for (const c of cores.values()) assert.equal(c.status().leader, leader.status().id);
  }
});

test('§5.3: a proposal on the leader commits everywhere; a follower refuses with NotLeaderError', () => {
  const cores = clusterOf(ids, { checkQuorum: true, preVote: true });
  tickUntilLeader(cores);
  const leader = leaders(cores)[0]!;
  const receipt = leader.propose(new TextEncoder().encode('x'));
  stabilize(cores);
  for (const c of cores.values()) assert.ok(c.status().commit >= receipt.index);
  const follower = [...cores.values()].find((c) => c !== leader)!;
  assert.throws(() => follower.propose(new Uint8Array(1)), (e) => e instanceof NotLeaderError && e.leaderHint === leader.status().id);
});

test('G14: the leader refuses proposals past maxUncommittedEntries with ProposalDroppedError', () => {
  const cores = clusterOf(ids, { maxUncommittedEntries: 3 });
  const leader = elect(cores, '1');
  for (let i = 0; i < 3; i++) leader.propose(new Uint8Array(1));
  assert.throws(() => leader.propose(new Uint8Array(1)), ProposalDroppedError);
  stabilize(cores);
  assert.doesNotThrow(() => leader.propose(new Uint8Array(1)), 'accepted again once committed');
});

test('§5.3 pipelining: the leader keeps at most maxInflightMessages appends unacknowledged per follower', () => {
  const cores = clusterOf(ids, { maxInflightMessages: 2, maxSizePerMsgBytes: 1 });
  const leader = elect(cores, '1');
  for (let i = 0; i < 6; i++) leader.propose(new Uint8Array(8));
  const appendsTo2 = [];
  while (leader.hasReady()) {
    const rd = leader.ready();
    appendsTo2.push(...rd.messages.filter((m) => m.to === '2' && m.kind === 'raft.append'));
    leader.advance(rd);
  }
  assert.equal(appendsTo2.length, 2, 'two in flight, one entry each (maxSizePerMsgBytes)');
});

test('a single voter elects itself, commits on append and answers reads at once (thesis §6.4)', () => {
  const cores = clusterOf(['1']);
  const c = cores.get('1')!;
  for (let t = 0; t < 20 && c.role !== 'leader'; t++) c.tick();
  assert.equal(c.role, 'leader');
  const receipt = c.propose(new TextEncoder().encode('solo'));
  assert.equal(c.log.committed, receipt.index);
  c.readIndex('r1');
  const rd = c.ready();
  assert.deepEqual(rd.readStates, [{ index: receipt.index, requestId: 'r1' }]);
  assert.deepEqual(rd.messages, []);
  c.advance(rd);
});
