// Goal: three real peers assembled by startPeer (LevelDB logs in temp dirs,
// the WebSocket mesh on loopback) form one cluster: they bootstrap it exactly
// once, a proposal made through a follower resolves with its task once
// applied on that follower, every replica converges, the loss of the leader
// is survived, and a restarted peer catches up from its data dir without
// bootstrapping again.
// Method: one test process, real clock, groups of nodes pointing at nothing
// (no node I/O happens yet); every wait has a generous deadline because the
// machine is shared with other test suites.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPeer, type Peer } from '../../../cli/commands/peer.ts';
import { realClock } from '../../../runtime/env/real.ts';
import { seededRng } from '../../../runtime/env/rng.ts';
import { serializeState, type ClusterCommand } from '../../../runtime/cluster/index.ts';
import { eventually, layout, peerConfig, removeLayout } from './cluster-helpers.ts';

const createIndex = (uid: string): ClusterCommand => ({ v: 1, kind: 'index.create', uid, primaryKey: 'id', shards: 8, nowMs: realClock.nowMs() });

test('three peers bootstrap once, serve proposals from any peer, survive the leader and catch up a restarted peer', async () => {
  const l = await layout(['p1', 'p2', 'p3']);
  const running = new Map<string, Peer>();
  after(async () => {
    await Promise.all([...running.values()].map((p) => p.close()));
    await removeLayout(l);
  });
  const start = async (id: string, seed: number): Promise<Peer> => {
    const peer = await startPeer(peerConfig(l, id), { clock: realClock, rng: seededRng(seed), restart: { baseMs: 50, maxMs: 500 } });
    running.set(id, peer);
    return peer;
  };
  await Promise.all(['p1', 'p2', 'p3'].map((id, i) => start(id, 11 + i)));
  const peers = (): Peer[] => [...running.values()];
  const leader = (): Peer | null => {
    const leaders = peers().filter((p) => p.services.raft().role === 'leader');
    return leaders.length === 1 ? leaders[0]! : null;
  };

  // Bootstrap: exactly one leader proposes the seed commands; every replica gets them.
  await eventually(() => peers().every((p) => p.services.state().keys.size === 4 && p.services.state().nodes.size === 2), 'bootstrap on every peer');
  for (const p of peers()) {
    const state = p.services.state();
    assert.deepEqual([...state.peers.keys()].sort(), ['p1', 'p2', 'p3']);
    assert.deepEqual([...state.nodes.values()].map((n) => n.state), ['active', 'active']);
    assert.equal(state.settings.defaultShards, 8);
    assert.equal(p.services.node('n2').url, 'http://127.0.0.1:10');
  }
  // Every peer probes the nodes itself: these point at nothing, so each peer finds them failed.
  await eventually(() => peers().every((p) => !p.services.isNodeHealthy('n1') && !p.services.isNodeHealthy('n2')), 'unreachable nodes failed');
  assert.throws(() => peers()[0]!.services.node('n9'), (e: Error & { code?: string }) => e.code === 'MIROIR_ERR_NODE_UNAVAILABLE');

  // A proposal through a follower: resolved with its task once applied on that follower.
  const first = await eventually(leader, 'a leader');
  const follower = peers().find((p) => p !== first)!;
  const result = await follower.services.propose(createIndex('movies'));
  assert.equal(result.kind, 'task');
  assert.equal(result.kind === 'task' && result.task.taskUid, 0);
  assert.equal(follower.services.state().indexes.has('movies'), true, 'read-your-write on the proposing peer');
  await eventually(() => peers().every((p) => p.services.state().indexes.has('movies')), 'movies everywhere');
  for (const p of peers()) await p.services.syncRead();
  const target = first.services.state().appliedIndex;
  await eventually(() => peers().every((p) => p.services.state().appliedIndex >= target), 'every replica at the same index');
  const bytes = peers().map((p) => Buffer.from(serializeState(p.services.state())).toString('base64'));
  assert.equal(new Set(bytes).size, 1, 'replicas are identical');

  // The leader goes away: the two others elect a new one and keep taking proposals.
  const firstId = first.services.peerId;
  running.delete(firstId);
  await first.close();
  const second = await eventually(leader, 'a new leader', 30_000);
  assert.notEqual(second.services.peerId, firstId);
  const survivor = peers().find((p) => p !== second)!;
  const books = await survivor.services.propose(createIndex('books'));
  assert.equal(books.kind === 'task' && books.task.taskUid, 1);

  // The old leader comes back from its data dir and catches up, without a second bootstrap.
  const back = await start(firstId, 99);
  await eventually(() => back.services.state().indexes.has('books'), 'the restarted peer catches up');
  const state = back.services.state();
  assert.equal(state.keys.size, 4, 'bootstrapped exactly once');
  assert.equal(state.nextTaskUid, 2);
  const viaBack = await back.services.propose(createIndex('songs'));
  assert.equal(viaBack.kind === 'task' && viaBack.task.taskUid, 2);
});
