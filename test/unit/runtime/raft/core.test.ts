// Goal: the core elects one leader, replicates and commits proposals, and
// hands things out in Ready in the contract's order. Method: three cores on a
// perfect in-test network (deliver everything, persist nothing but the
// core's own Ready), driven tick by tick with fixed seeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RaftCore } from '../../../../runtime/raft/core.ts';
import type { RaftConfig, RaftMessage } from '../../../../runtime/raft/types.ts';
import { seededRng } from '../../../../runtime/env/rng.ts';
import { NotLeaderError } from '../../../../runtime/errors.ts';

function config(id: string, overrides: Partial<RaftConfig> = {}): RaftConfig {
  return {
    id,
    electionTicks: 10,
    heartbeatTicks: 1,
    maxSizePerMsgBytes: 1024,
    maxInflightMessages: 4,
    maxUncommittedEntries: 1000,
    checkQuorum: true,
    preVote: true,
    ...overrides,
  };
}

function cluster(ids: string[], seed: number): Map<string, RaftCore> {
  const cores = new Map<string, RaftCore>();
  ids.forEach((id, i) => {
    const restored = { hardState: { term: 0, vote: null, commit: 0 }, snapshot: null, entries: [], confState: { voters: ids, learners: [] } };
    cores.set(id, new RaftCore(config(id), restored, seededRng(seed * 31 + i)));
  });
  return cores;
}

/** Processes Readies and delivers messages until quiet. */
function stabilize(cores: Map<string, RaftCore>): void {
  for (let round = 0; round < 1000; round++) {
    const inbox: RaftMessage[] = [];
    for (const core of cores.values()) {
      while (core.hasReady()) {
        const rd = core.ready();
        inbox.push(...rd.messages);
        core.advance(rd);
      }
    }
    if (inbox.length === 0) return;
    for (const m of inbox) cores.get(m.to)?.step(m);
  }
  assert.fail('did not stabilize');
}

function leaders(cores: Map<string, RaftCore>): RaftCore[] {
  return [...cores.values()].filter((c) => c.status().role === 'leader');
}

test('§5.2: three peers elect exactly one leader, and everyone follows it', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const cores = cluster(['1', '2', '3'], seed);
    for (let t = 0; t < 50 && leaders(cores).length === 0; t++) {
      for (const c of cores.values()) c.tick();
      stabilize(cores);
    }
    const [leader, ...more] = leaders(cores);
    assert.ok(leader, `seed ${seed}: a leader`);
    assert.equal(more.length, 0);
    for (const c of cores.values()) assert.equal(c.status().leader, leader.status().id);
  }
});

test('§5.3: a proposal on the leader commits everywhere; a follower refuses with NotLeaderError', () => {
  const cores = cluster(['1', '2', '3'], 7);
  for (let t = 0; t < 50 && leaders(cores).length === 0; t++) {
    for (const c of cores.values()) c.tick();
    stabilize(cores);
  }
  const leader = leaders(cores)[0]!;
  const receipt = leader.propose(new TextEncoder().encode('x'));
  stabilize(cores);
  for (const c of cores.values()) assert.ok(c.status().commit >= receipt.index);
  const follower = [...cores.values()].find((c) => c !== leader)!;
  assert.throws(() => follower.propose(new Uint8Array(1)), (e) => e instanceof NotLeaderError && e.leaderHint === leader.status().id);
});
