// Goal: end to end on real peers and real engine nodes, the write path of
// ARCHITECTURE §3: a committed write reaches exactly the owning nodes and its
// Miroir task becomes succeeded; a node that is down holds the task until it
// returns and is replayed; after the leader is lost, the new leader's
// dispatchers resume from the committed cursors.
// Method: three peers from startPeer (LevelDB logs, the WebSocket mesh, the
// real clock) over three engine nodes on loopback (RF 1, S 8); writes are
// proposed through a peer's services as the edge does; node contents are read
// through the nodes' own API. Deadlines are generous: the machine is shared.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPeer, type Peer } from '../../../cli/commands/peer.ts';
import { loadConfig } from '../../../runtime/config/index.ts';
import { realClock } from '../../../runtime/env/real.ts';
import { seededRng } from '../../../runtime/env/rng.ts';
import type { TaskRecord } from '../../../runtime/cluster/index.ts';
import { createRouter } from '../../../runtime/routing/index.ts';
import { NodeClient } from '../../../transport/node-client/node-client.ts';
import { CLUSTER_SECRET, configFile, eventually, layout, removeLayout } from '../peer/cluster-helpers.ts';
import { documentsWrite, EngineNodes, MASTER_KEY } from './harness.ts';

const S = 8;
const NODE_IDS = ['n1', 'n2', 'n3'];

test('writes reach exactly their owners and succeed; a node that was down is replayed; a new leader resumes', async () => {
  const router = await createRouter();
  const engines = new EngineNodes();
  const urls: Record<string, string> = {};
  for (const id of NODE_IDS) urls[id] = await engines.start(id);
  const l = await layout(['p1', 'p2', 'p3']);
  const running = new Map<string, Peer>();
  const clients = new Map(NODE_IDS.map((id) => [id, new NodeClient({
    nodeId: id, url: urls[id]!, apiKey: MASTER_KEY, connectionsMax: 2, headersTimeoutMs: 5_000, bodyTimeoutMs: 5_000,
  })]));
  after(async () => {
    await Promise.all([...running.values()].map((p) => p.close()));
    await Promise.all([...clients.values()].map((c) => c.close()));
    await engines.close();
    await removeLayout(l);
  });
  const start = async (id: string, seed: number): Promise<Peer> => {
    const file = { ...configFile(l, id), groups: [{ id: 'g1', nodes: NODE_IDS.map((n) => ({ id: n, url: urls[n] })) }], defaultShards: S };
    const config = loadConfig({ fileText: JSON.stringify(file), env: { MIROIR_CLUSTER_SECRET: CLUSTER_SECRET, MIROIR_NODE_MASTER_KEY: MASTER_KEY } });
    const peer = await startPeer(config, { clock: realClock, rng: seededRng(seed), restart: { baseMs: 50, maxMs: 500 } });
    running.set(id, peer);
    return peer;
  };
  await Promise.all(['p1', 'p2', 'p3'].map((id, i) => start(id, 21 + i)));
  const anyPeer = (): Peer => [...running.values()][0]!;
  const leader = (): Peer | null => [...running.values()].find((p) => p.services.raft().role === 'leader') ?? null;
  await eventually(() => [...running.values()].every((p) => p.services.state().nodes.size === 3), 'bootstrap on every peer', 30_000);

  const task = (peer: Peer, uid: number): TaskRecord | undefined => peer.services.state().tasks.get(uid);
  const finished = (peer: Peer, uid: number) => {
    const t = task(peer, uid);
    return t !== undefined && (t.status === 'succeeded' || t.status === 'failed') ? t : null;
  };
  const propose = async (peer: Peer, command: Parameters<Peer['services']['propose']>[0]): Promise<number> => {
    const result = await peer.services.propose(command);
    assert.equal(result.kind, 'task');
    return (result as { task: { taskUid: number } }).task.taskUid;
  };
  const owners = router.placeGroup(S, NODE_IDS, 1);
  const ownerOf = (id: number) => owners[router.shardOf(id, S)]![0]!;
  const heldIds = async (nodeId: string): Promise<number[]> => {
    const res = await clients.get(nodeId)!.request<{ results: { id: number }[] }>({ method: 'GET', path: '/indexes/docs/documents', query: { limit: 10_000 } });
    return res.body.results.map((d) => d.id).sort((a, b) => a - b);
  };
  const expectOwned = async (ids: number[]): Promise<void> => {
    for (const nodeId of NODE_IDS) assert.deepEqual(await heldIds(nodeId), ids.filter((id) => ownerOf(id) === nodeId), `${nodeId} holds exactly its shards`);
  };
  const docs = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ id: from + i, text: `document ${from + i}` }));

  // 1. Writes through a follower reach exactly the owners; the tasks succeed.
  const follower = await eventually(() => leader() && [...running.values()].find((p) => p !== leader()), 'a follower');
  const created = await propose(follower, { v: 1, kind: 'index.create', uid: 'docs', primaryKey: 'id', shards: S, nowMs: realClock.nowMs() });
  const first = await propose(follower, documentsWrite(router, 'docs', S, docs(0, 300), realClock.nowMs()));
  await eventually(() => finished(follower, first), 'the first write finished', 30_000);
  assert.equal(task(follower, created)?.status, 'succeeded');
  assert.equal(task(follower, first)?.status, 'succeeded', JSON.stringify(task(follower, first)?.error));
  assert.equal(task(follower, first)?.details?.['indexedDocuments'], 300);
  await expectOwned(docs(0, 300).map((d) => d.id));

  // 2. A node that is down holds the task; back on its port and data, it is replayed.
  const port = Number(new URL(urls['n3']!).port);
  await engines.stop('n3');
  const second = await propose(anyPeer(), documentsWrite(router, 'docs', S, docs(300, 100), realClock.nowMs()));
  await eventually(() => {
    const record = leader()?.services.state().dispatch.get(task(anyPeer(), second)?.logIndex ?? -1);
    return record !== undefined && record.outcomes.length === 2;
  }, 'the live nodes reported', 30_000);
  assert.notEqual(task(anyPeer(), second)?.status, 'succeeded', 'the task waits for n3');
  await engines.start('n3', port);
  await eventually(() => finished(anyPeer(), second), 'the second write finished after n3 returned', 30_000);
  assert.equal(task(anyPeer(), second)?.status, 'succeeded');
  await expectOwned(docs(0, 400).map((d) => d.id));

  // 3. The leader goes; the new leader's dispatchers resume from the committed cursors.
  const old = leader()!;
  const oldId = [...running.entries()].find(([, p]) => p === old)![0];
  running.delete(oldId);
  await old.close();
  const next = await eventually(() => leader(), 'a new leader', 30_000);
  const third = await propose(next, documentsWrite(router, 'docs', S, docs(400, 50), realClock.nowMs()));
  await eventually(() => finished(next, third), 'the third write finished under the new leader', 30_000);
  assert.equal(task(next, third)?.status, 'succeeded');
  await expectOwned(docs(0, 450).map((d) => d.id));
  for (const nodeId of NODE_IDS) {
    assert.ok((next.services.state().cursors.get(nodeId) ?? 0) >= task(next, third)!.logIndex, `${nodeId}'s cursor passed the last write`);
  }
});
