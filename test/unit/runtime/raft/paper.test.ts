// Goal: the core follows the rules of the Raft paper section by section (in
// the manner of etcd-raft's raft_paper_test.go), plus the contracts of STYLE
// G4 and G16. Method: single cores or small clusters stepped by hand; each
// test names the section it checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssertionError } from '../../../../runtime/assert.ts';
import type { RaftMessage } from '../../../../runtime/raft/types.ts';
import { clusterOf, core, drain, elect, entry, stabilize } from './helpers.ts';

const voters = ['1', '2', '3'];

test('§5.1 a message with a higher term makes any role adopt the term and follow', () => {
  for (const role of ['follower', 'candidate', 'leader'] as const) {
    const cores = clusterOf(voters);
    const c = role === 'leader' ? elect(cores, '1') : cores.get('1')!;
    if (role === 'candidate') c.startElection(false);
    drain(c);
    c.step({ kind: 'raft.append', from: '2', to: '1', term: 9, prevLogIndex: 0, prevLogTerm: 0, entries: [], commit: 0 });
    assert.equal(c.term, 9, role);
    assert.equal(c.role, 'follower', role);
    assert.equal(c.lead, '2', role);
  }
});

test('§5.1 a request with a stale term is rejected (answered with the newer term)', () => {
  const c = core('1', voters, { hardState: { term: 5, vote: null, commit: 0 } }, { checkQuorum: true });
  drain(c);
  c.step({ kind: 'raft.append', from: '2', to: '1', term: 3, prevLogIndex: 0, prevLogTerm: 0, entries: [], commit: 0 });
  const [reply] = drain(c);
  assert.equal(reply?.kind, 'raft.appendResponse');
  assert.equal(reply?.term, 5);
  assert.equal(c.term, 5);
});

test('§5.2 a follower that hears nothing for an election timeout campaigns: term+1, votes for itself, asks everyone', () => {
  const c = core('1', voters);
  for (let i = 0; i < 2 * 10; i++) c.tick();
  assert.equal(c.role, 'candidate');
  assert.equal(c.term, 1);
  assert.equal(c.vote, '1');
  const msgs = drain(c);
  assert.deepEqual(msgs.map((m) => `${m.kind}->${m.to}`).sort(), ['raft.vote->2', 'raft.vote->3']);
});

test('§5.2 election timeouts are randomized in [electionTicks, 2·electionTicks)', () => {
  const seen = new Set<number>();
  for (let seed = 1; seed <= 200; seed++) {
    const c = core('1', voters, {}, {}, seed);
    assert.ok(c.randomizedElectionTimeout >= 10 && c.randomizedElectionTimeout < 20);
    seen.add(c.randomizedElectionTimeout);
  }
  assert.ok(seen.size >= 8, `spread over ${seen.size} values`);
});

test('§5.2 one vote per term, first come first served', () => {
  const c = core('1', voters);
  const ask = (from: string): RaftMessage => ({ kind: 'raft.vote', from, to: '1', term: 1, lastLogIndex: 0, lastLogTerm: 0, transfer: false });
  c.step(ask('2'));
  c.step(ask('3'));
  c.step(ask('2'));
  const grants = drain(c).map((m) => (m.kind === 'raft.voteResponse' ? `${m.to}:${m.granted}` : m.kind));
  assert.deepEqual(grants, ['2:true', '3:false', '2:true']);
});

test('§5.2 a leader sends heartbeats every heartbeatTicks', () => {
  const cores = clusterOf(voters, { heartbeatTicks: 2 });
  const leader = elect(cores, '1');
  leader.tick();
  assert.equal(drain(leader).length, 0);
  leader.tick();
  assert.deepEqual(drain(leader).map((m) => m.kind), ['raft.heartbeat', 'raft.heartbeat']);
});

test('§5.4.1 election restriction: no vote for a candidate whose log is less up to date', () => {
  const c = core('1', voters, { entries: [entry(1, 1), entry(2, 2)], hardState: { term: 2, vote: null, commit: 0 } });
  let term = 2;
  const ask = (lastLogIndex: number, lastLogTerm: number): boolean => {
    // Each request comes in a new term, so an earlier vote does not bind.
    c.step({ kind: 'raft.vote', from: '2', to: '1', term: ++term, lastLogIndex, lastLogTerm, transfer: false });
    const m = drain(c).find((x) => x.kind === 'raft.voteResponse');
    return m?.kind === 'raft.voteResponse' && m.granted;
  };
  assert.equal(ask(3, 1), false, 'older last term, longer log');
  assert.equal(ask(1, 2), false, 'same last term, shorter log');
  assert.equal(ask(2, 2), true, 'same log');
  assert.equal(ask(1, 3), true, 'newer last term');
});

test('§5.3 a follower rejects an append whose previous entry does not match, with a back-tracking hint', () => {
  const c = core('1', voters, { entries: [entry(1, 1), entry(2, 1), entry(3, 2)], hardState: { term: 3, vote: null, commit: 0 } });
  c.step({ kind: 'raft.append', from: '2', to: '1', term: 3, prevLogIndex: 3, prevLogTerm: 3, entries: [], commit: 0 });
  const [reply] = drain(c);
  assert.ok(reply?.kind === 'raft.appendResponse' && !reply.success);
  assert.deepEqual(reply.rejectHint, { index: 3, term: 2 });
});

test('§5.3/§5.4.2 the leader commits its own-term entry once a majority stored it, not before', () => {
  const cores = clusterOf(voters);
  const leader = elect(cores, '1');
  const receipt = leader.propose(new TextEncoder().encode('x'));
  const appends = drain(leader);
  assert.equal(leader.log.committed, receipt.index - 1, 'not committed on the leader alone');
  const follower = cores.get('2')!;
  for (const m of appends.filter((x) => x.to === '2')) follower.step(m);
  for (const m of drain(follower)) leader.step(m);
  assert.equal(leader.log.committed, receipt.index, 'two of three');
});

test('§5.4.2 Figure 8: a leader does not commit an entry of an earlier term by counting replicas', () => {
  // Peer 1 leads term 4 with an entry of term 2 at index 2 that peer 2 also has.
  const shared = [entry(1, 1), entry(2, 2)];
  const cores = new Map([
    ['1', core('1', voters, { entries: shared, hardState: { term: 3, vote: null, commit: 1 } })],
    ['2', core('2', voters, { entries: shared, hardState: { term: 3, vote: null, commit: 1 } }, {}, 2)],
    ['3', core('3', voters, { entries: [entry(1, 1)], hardState: { term: 3, vote: null, commit: 1 } }, {}, 3)],
  ]);
  const leader = cores.get('1')!;
  leader.startElection(false);
  // Deliver only the votes: peer 1 wins and appends its empty entry at 3.
  for (let round = 0; round < 3; round++) {
    for (const m of drain(leader)) if (m.kind === 'raft.vote') cores.get(m.to)!.step(m);
    for (const id of ['2', '3']) for (const m of drain(cores.get(id)!)) if (m.kind === 'raft.voteResponse') leader.step(m);
  }
  assert.equal(leader.role, 'leader');
  // Peer 2 acknowledges index 2 only: a majority holds entry 2 (term 2), yet it must not commit.
  leader.step({ kind: 'raft.appendResponse', from: '2', to: '1', term: leader.term, success: true, index: 2, rejectHint: null });
  assert.equal(leader.log.committed, 1);
  leader.step({ kind: 'raft.appendResponse', from: '2', to: '1', term: leader.term, success: true, index: 3, rejectHint: null });
  assert.equal(leader.log.committed, 3, 'the current-term entry commits, and with it entry 2');
});

test('G4/G16: an illegal role change fails an assertion; ready() twice without advance() fails too', () => {
  const c = core('1', voters);
  assert.throws(() => c.becomeLeader(), AssertionError, 'follower -> leader');
  c.startElection(false);
  c.ready();
  assert.equal(c.hasReady(), false, 'nothing more until advance');
  assert.throws(() => c.ready(), AssertionError);
});

test('Ready: term and vote changes and new entries must be synced; a commit-only change need not be', () => {
  const cores = clusterOf(voters);
  const c = cores.get('1')!;
  c.startElection(false);
  const rd = c.ready();
  assert.equal(rd.mustSync, true, 'term and vote changed');
  assert.deepEqual(rd.hardState, { term: 1, vote: '1', commit: 0 });
  c.advance(rd);
  for (const m of rd.messages) cores.get(m.to)!.step(m);
  stabilize(cores);
  const f = cores.get('2')!;
  f.step({ kind: 'raft.heartbeat', from: '1', to: '2', term: 1, commit: 1, context: null });
  const hb = f.ready();
  assert.equal(hb.mustSync, false);
  f.advance(hb);
});

test('restart: term, vote and commit come back; applied restarts at the snapshot', () => {
  const c = core('1', voters, {
    entries: [entry(1, 1), entry(2, 1), entry(3, 2)],
    hardState: { term: 2, vote: '3', commit: 2 },
  });
  const s = c.status();
  assert.deepEqual([s.term, c.vote, s.commit, s.applied, s.lastIndex], [2, '3', 2, 0, 3]);
  const rd = c.ready();
  assert.deepEqual(rd.committed.map((x) => x.index), [1, 2], 'committed entries are applied again');
  assert.equal(rd.hardState, null, 'nothing changed to persist');
});

test('§7 a follower behind the leader\'s compaction point is sent the snapshot', () => {
  const cores = clusterOf(voters);
  const leader = elect(cores, '1');
  cores.delete('3');
  for (let i = 0; i < 5; i++) leader.propose(new TextEncoder().encode(`v${i}`));
  stabilize(cores);
  const snapshot = leader.compact(leader.log.applied, new TextEncoder().encode('state'));
  assert.equal(snapshot.meta.index, 6);
  assert.deepEqual(snapshot.meta.confState.voters, voters);
  leader.step({ kind: 'raft.heartbeatResponse', from: '3', to: '1', term: leader.term, context: null });
  const sent = drain(leader).find((m) => m.to === '3');
  assert.equal(sent?.kind, 'raft.snapshot');
});

test('§7 a follower that already holds the snapshot\'s entry acknowledges only its committed prefix, not a stale tail', () => {
  // Entries 1–5 of term 1 are shared; 6–8 of term 2 are a stale, divergent tail.
  const entries = [1, 2, 3, 4, 5].map((i) => entry(i, 1)).concat([6, 7, 8].map((i) => entry(i, 2)));
  const c = core('2', voters, { entries, hardState: { term: 2, vote: null, commit: 3 } });
  drain(c);
  const snapshot = { meta: { index: 5, term: 1, confState: { voters, learners: [] } }, data: new Uint8Array() };
  c.step({ kind: 'raft.snapshot', from: '1', to: '2', term: 3, snapshot });
  const reply = drain(c).find((m) => m.kind === 'raft.appendResponse');
  assert.ok(reply?.kind === 'raft.appendResponse' && reply.success);
  assert.equal(reply.index, 5, 'index 8 would claim the stale tail matches the leader');
  assert.equal(c.log.committed, 5);
});
