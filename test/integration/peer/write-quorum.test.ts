// Goal: the `quorum` write acknowledgement mode (ARCHITECTURE §3 step 7)
// with real peers and engine nodes: a write sent through a follower answers
// 202 once each shard has its node enqueue ack in some group, also with one
// group's node down; with every node down it answers 503 miroir_no_quorum
// within the timeout (both groups named), and that write, still committed,
// succeeds once the nodes return.
// Method: three peers in this process (LevelDB logs, the WebSocket mesh on
// loopback) over two engine nodes, groups g1 = [n1] and g2 = [n2], RF 1
// (quorum 1 per shard and group), `write.ackMode: quorum` with a 4 s
// timeout; requests over HTTP (the official client for tasks).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Meilisearch } from 'meilisearch';
import { startPeer, type Peer } from '../../../cli/commands/peer.ts';
import { loadConfig } from '../../../runtime/config/index.ts';
import { realClock } from '../../../runtime/env/real.ts';
import { seededRng } from '../../../runtime/env/rng.ts';
import { EngineNodes, MASTER_KEY as NODE_KEY } from '../dispatch/harness.ts';
import { CLUSTER_SECRET, configFile, eventually, layout, removeLayout } from './cluster-helpers.ts';

const MASTER_KEY = 'write-quorum-master-key-0123456789';
const QUORUM_TIMEOUT_MS = 4_000;

async function post(url: string, docs: Record<string, unknown>[]): Promise<{ status: number; degraded: string | null; body: any; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${url}/indexes/q/documents`, {
    method: 'POST', headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(docs),
  });
  return { status: res.status, degraded: res.headers.get('x-miroir-degraded'), body: await res.json(), ms: performance.now() - started };
}

test('quorum writes: 202 after the enqueue acks (one group is enough), 503 miroir_no_quorum when no group can ack, committed all the same', async () => {
  const nodes = new EngineNodes();
  const urls = { n1: await nodes.start('n1'), n2: await nodes.start('n2') };
  const l = await layout(['p1', 'p2', 'p3']);
  const peers: Peer[] = [];
  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await nodes.close();
    await removeLayout(l);
  });
  for (const [i, id] of ['p1', 'p2', 'p3'].entries()) {
    const file = {
      ...configFile(l, id),
      groups: [{ id: 'g1', nodes: [{ id: 'n1', url: urls.n1 }] }, { id: 'g2', nodes: [{ id: 'n2', url: urls.n2 }] }],
      rf: 1,
      write: { ackMode: 'quorum', quorumTimeoutMs: QUORUM_TIMEOUT_MS },
    };
    const config = loadConfig({
      fileText: JSON.stringify(file),
      env: { MIROIR_CLUSTER_SECRET: CLUSTER_SECRET, MIROIR_MASTER_KEY: MASTER_KEY, MIROIR_ADMIN_KEY: 'write-quorum-admin-key-0123456789', MIROIR_NODE_MASTER_KEY: NODE_KEY },
    });
    peers.push(await startPeer(config, { clock: realClock, rng: seededRng(40 + i), clientApi: true }));
  }
  const leader = await eventually(() => peers.find((p) => p.services.raft().role === 'leader'), 'a leader');
  await eventually(() => peers.every((p) => p.services.state().nodes.size === 2 && p.services.state().settings.writeAckMode === 'quorum'), 'bootstrap everywhere');
  const follower = peers.find((p) => p !== leader)!;
  const url = follower.clientUrl!;
  const client = new Meilisearch({ host: url, apiKey: MASTER_KEY });
  await client.tasks.waitForTask((await client.createIndex('q', { primaryKey: 'id' })).taskUid, { timeout: 20_000, interval: 50 });
  const docs = (from: number) => Array.from({ length: 20 }, (_, i) => ({ id: from + i, title: `doc ${from + i}` }));

  const healthy = await post(url, docs(0));
  assert.equal(healthy.status, 202, JSON.stringify(healthy.body));
  assert.equal(healthy.degraded, null);
  // The 202 came after a node enqueued the write: one group's node lists it at once.
  const listed = await Promise.all([urls.n1, urls.n2].map(async (nodeUrl) => {
    const tasks = await new Meilisearch({ host: nodeUrl, apiKey: NODE_KEY }).tasks.getTasks({ indexUids: ['q'], types: ['documentAdditionOrUpdate'] });
    return tasks.results.some((t) => t.details?.receivedDocuments === 20);
  }));
  assert.ok(listed.includes(true), 'a node enqueued the write before the 202');

  await nodes.stop('n2');
  const oneGroup = await post(url, docs(100));
  assert.equal(oneGroup.status, 202, JSON.stringify(oneGroup.body));
  assert.equal(oneGroup.degraded, null, 'every shard acked in g1: met');

  await nodes.stop('n1');
  const none = await post(url, docs(200));
  assert.equal(none.status, 503, JSON.stringify(none.body));
  assert.equal(none.body.code, 'miroir_no_quorum');
  assert.equal(none.body.type, 'system');
  assert.match(none.body.message, /will still be dispatched/);
  assert.equal(none.degraded, 'groups=g1,g2');
  assert.ok(none.ms >= QUORUM_TIMEOUT_MS - 50 && none.ms < QUORUM_TIMEOUT_MS + 5_000, `answered after ${Math.round(none.ms)} ms`);

  // The refused acknowledgement left the write committed: it succeeds once the nodes return.
  const uid = Number(/Task (\d+) is committed/.exec(none.body.message)?.[1]);
  assert.ok(Number.isSafeInteger(uid));
  await nodes.start('n1', Number(new URL(urls.n1).port));
  await nodes.start('n2', Number(new URL(urls.n2).port));
  const task = await client.tasks.waitForTask(uid, { timeout: 30_000, interval: 100 });
  assert.equal(task.status, 'succeeded', JSON.stringify(task.error));
  for (const nodeUrl of [urls.n1, urls.n2]) {
    const node = new Meilisearch({ host: nodeUrl, apiKey: NODE_KEY });
    const held = await node.index('q').getDocuments({ limit: 100, fields: ['id'] });
    assert.equal(held.total, 60, `${nodeUrl} holds every write (one full copy per group)`);
  }
});
