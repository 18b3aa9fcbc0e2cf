// Goal: the RaftDriver runs the real core over LevelDB and the peer mesh:
// a leader is elected, proposals resolve once applied with the state
// machine's result, every peer applies the same order, followers refuse with
// a leader hint and forward with proposeAnywhere, ReadIndex is linearizable,
// snapshots compact the log and catch up a lagging peer, a restart replays
// from disk, leadership transfer and membership changes pass through.
// Method: three (or four) in-process peers on loopback, each with its own
// LevelDB directory; every wait has a deadline; everything closes in after().
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotLeaderError } from '../../../runtime/errors.ts';
import type { RaftDriverEvent } from '../../../runtime/raft/driver.ts';
import { encodeCommand } from './kv-state-machine.ts';
import { leaderOf, linkAll, startPeer, waitFor, type InProcessPeer, type PeerSetup } from './in-process-peer.ts';

const root = mkdtempSync(join(tmpdir(), 'miroir-driver-'));
const running = new Set<InProcessPeer>();
after(async () => {
  await Promise.all([...running].map((p) => p.close()));
  rmSync(root, { recursive: true, force: true });
});

async function start(setup: Omit<PeerSetup, 'dir'> & { dir?: string }): Promise<InProcessPeer> {
  const peer = await startPeer({ dir: join(root, setup.id), ...setup });
  running.add(peer);
  return peer;
}

async function stop(peer: InProcessPeer): Promise<void> {
  running.delete(peer);
  await peer.close();
}

async function cluster(prefix: string, extra: Partial<PeerSetup> = {}): Promise<InProcessPeer[]> {
  const ids = ['1', '2', '3'].map((n) => `${prefix}${n}`);
  const peers = await Promise.all(ids.map((id) => start({ id, bootstrap: { voters: ids, learners: [] }, ...extra })));
  linkAll(peers);
  await waitFor(() => leaderOf(peers), 'a leader');
  return peers;
}

const put = (id: string, value = id): Uint8Array => encodeCommand({ id, key: `k-${id}`, value });

async function converged(peers: InProcessPeer[], length: number): Promise<void> {
  await waitFor(() => peers.every((p) => p.kv.order.length === length), `all peers applied ${length} commands`);
  for (const p of peers) assert.deepEqual(p.kv.order, peers[0]!.kv.order, `${p.id} applied the same order`);
}

test('§5.3: proposals on the leader resolve with their result once applied, and all peers apply the same order', async () => {
  const peers = await cluster('a');
  const leader = leaderOf(peers)!;
  const results = await Promise.all(Array.from({ length: 200 }, (_, i) => leader.driver.propose(put(`a-${i}`))));
  const indices = results.map((r) => r.index);
  assert.deepEqual([...indices].sort((x, y) => x - y), indices, 'indices follow proposal order');
  assert.deepEqual(results.map((r) => r.result), Array.from({ length: 200 }, (_, i) => i + 1), 'result = position in the applied order');
  await converged(peers, 200);
  const status = leader.driver.status();
  assert.ok(status.applied >= indices.at(-1)!, 'the leader applied every entry it acknowledged');
  assert.ok(status.applied <= status.commit, 'applied never passes commit');
});

test('a follower refuses with the leader hint, and proposeAnywhere forwards to the leader', async () => {
  const peers = await cluster('b');
  const leader = leaderOf(peers)!;
  const follower = peers.find((p) => p !== leader)!;
  await waitFor(() => follower.driver.leader === leader.id, 'the follower knows the leader');
  await assert.rejects(follower.driver.propose(put('b-x')), (e: unknown) => e instanceof NotLeaderError && e.leaderHint === leader.id);
  const applied = await follower.driver.proposeAnywhere(put('b-forwarded'));
  assert.equal(applied.result, 1);
  await converged(peers, 1);
  assert.deepEqual(follower.kv.order, ['b-forwarded']);
});

test('thesis §6.4: a ReadIndex on a follower sees every write acknowledged before it', async () => {
  const peers = await cluster('c');
  const leader = leaderOf(peers)!;
  const followers = peers.filter((p) => p !== leader);
  for (let i = 0; i < 20; i++) {
    await leader.driver.propose(put(`c-${i}`, `v${i}`));
    const follower = followers[i % 2]!;
    await follower.driver.readIndex();
    assert.equal(follower.kv.map.get(`k-c-${i}`), `v${i}`, `read ${i} on ${follower.id} sees the acknowledged write`);
  }
  await leader.driver.readIndex();
});

test('a lone voter answers a ReadIndex at once (the answer comes in the Ready the request itself starts)', async () => {
  const lone = await start({ id: 'lone1', bootstrap: { voters: ['lone1'], learners: [] } });
  await waitFor(() => lone.driver.isLeader, 'the lone voter leads');
  await lone.driver.propose(put('lone-a'));
  for (let i = 0; i < 3; i++) {
    // Asked while the driver is idle (no Ready loop running), when the answer comes back synchronously.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await lone.driver.readIndex();
  }
  assert.equal(lone.driver.status().readsPending, 0);
});

test('§7: snapshots compact the log, a lagging peer catches up from a snapshot, and a restart replays from disk', async () => {
  const ids = ['d1', 'd2', 'd3'];
  const bootstrap = { voters: ids, learners: [] };
  const small = { driver: { snapshotEveryEntries: 50 } };
  let peers = await Promise.all(ids.map((id) => start({ id, bootstrap, ...small })));
  linkAll(peers);
  let leader = await waitFor(() => leaderOf(peers), 'a leader');
  const lagging = peers.find((p) => p !== leader)!;
  const laggingPort = lagging.mesh.port;
  await stop(lagging);
  const live = peers.filter((p) => p !== lagging);
  await Promise.all(Array.from({ length: 300 }, (_, i) => leader.driver.propose(put(`d-${i}`))));
  await waitFor(() => live.every((p) => p.driver.status().snapshotIndex >= 250), 'snapshots on the live peers');
  assert.ok(live.every((p) => p.store.bounds().firstIndex > 250), 'the log before the snapshot is gone from LevelDB');

  const back = await start({ id: lagging.id, bootstrap, port: laggingPort, ...small });
  linkAll([...live, back]);
  peers = [...live, back];
  await converged(peers, 300);
  assert.ok(back.driver.status().snapshotIndex >= 250, 'the lagging peer installed a snapshot rather than replaying 300 entries');

  // Restart everyone from disk: the state machine comes back from snapshot + replay.
  const before = back.kv.order;
  const ports = peers.map((p) => p.mesh.port);
  for (const p of peers) await stop(p);
  peers = await Promise.all(peers.map((p, i) => start({ id: p.id, bootstrap, port: ports[i]!, ...small })));
  linkAll(peers);
  leader = await waitFor(() => leaderOf(peers), 'a leader after the restart');
  await leader.driver.propose(put('d-after'));
  await converged(peers, 301);
  assert.deepEqual(peers[0]!.kv.order, [...before, 'd-after']);
});

test('a snapshot above the frame bound is refused by the transport and reported, not sent', async () => {
  const ids = ['s1', 's2', 's3'];
  const bootstrap = { voters: ids, learners: [] };
  const small = { driver: { snapshotEveryEntries: 20 }, mesh: { frameBytesMax: 64 * 1024 } };
  const peers = await Promise.all(ids.map((id) => start({ id, bootstrap, ...small })));
  linkAll(peers);
  const leader = await waitFor(() => leaderOf(peers), 'a leader');
  const lagging = peers.find((p) => p !== leader)!;
  const port = lagging.mesh.port;
  await stop(lagging);
  const refused: RaftDriverEvent[] = [];
  leader.driver.subscribe((e) => { if (e.type === 'raft.message.refused') refused.push(e); });
  // 60 values of 2 KiB: the state machine's snapshot (~120 KiB) no longer fits one 64 KiB frame.
  for (let i = 0; i < 60; i++) await leader.driver.propose(encodeCommand({ id: `s-${i}`, key: `k${i}`, value: 'x'.repeat(2048) }));
  await waitFor(() => leader.driver.status().snapshotIndex > 40, 'a snapshot on the leader');
  const back = await start({ id: lagging.id, bootstrap, port, ...small });
  linkAll([...peers.filter((p) => p !== lagging), back]);
  await waitFor(() => refused.length > 0, 'the refused snapshot is reported');
  assert.ok(refused.every((e) => e.type === 'raft.message.refused' && e.kind === 'raft.snapshot' && e.to === lagging.id));
  assert.ok(leader.driver.status().messagesDropped > 0);
  assert.equal(back.kv.order.length, 0, 'the lagging peer did not get the state this way');
});

test('a supervisor can restart a driver on the same mesh: it takes the handlers over and catches up from disk', async () => {
  const peers = await cluster('f');
  const leader = leaderOf(peers)!;
  const follower = peers.find((p) => p !== leader)!;
  await leader.driver.propose(put('f-0'));
  await waitFor(() => follower.kv.order.length === 1, 'the follower applied f-0');
  await follower.restartDriver();
  await leader.driver.propose(put('f-1'));
  await converged(peers, 2);
  assert.deepEqual(follower.kv.order, ['f-0', 'f-1'], 'the new driver replayed f-0 from disk and received f-1');
  const forwarded = await follower.driver.proposeAnywhere(put('f-2'));
  assert.equal(forwarded.result, 3, 'the restarted driver forwards proposals to the leader');
});

test('thesis §3.10 and §4.1: leadership transfer and adding a learner pass through the driver', async () => {
  const peers = await cluster('e');
  const leader = leaderOf(peers)!;
  const target = peers.find((p) => p !== leader)!;
  const events: RaftDriverEvent[] = [];
  target.driver.subscribe((e) => events.push(e));
  await leader.driver.propose(put('e-0'));
  leader.driver.transferLeadership(target.id);
  await waitFor(() => target.driver.isLeader, 'the transferee leads');
  assert.ok(events.some((e) => e.type === 'raft.leader.gained'), 'the new leader emitted raft.leader.gained');
  assert.ok(events.some((e) => e.type === 'raft.role.changed' && e.role === 'leader'));

  const learner = await start({ id: 'e4', bootstrap: { voters: [], learners: [] } });
  linkAll([...peers, learner]);
  await target.driver.proposeConfChange({ kind: 'addLearner', peer: 'e4' });
  await target.driver.propose(put('e-1'));
  await waitFor(() => learner.kv.order.length === 2, 'the learner caught up');
  assert.deepEqual(learner.kv.order, ['e-0', 'e-1']);
  assert.deepEqual(target.driver.status().confState.learners, ['e4']);
});
