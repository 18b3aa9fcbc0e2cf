// Goal: the `quorum` write acknowledgement mode (ARCHITECTURE §3 step 7)
// with real peers and engine nodes: a write sent through a follower answers
// 202 once each shard has its node enqueue ack in some group, also with one
// group's node down; with every node down it answers 503 miroir_no_quorum
// within the timeout (both groups named), and that write, still committed,
// succeeds once the nodes return. The same for every write that goes to
// every node (index create, update, delete and swap, settings, delete by
// filter, clear): 202 once one group has enough nodes for every shard
// (RF 1: all of them), else 503 — also when a majority of a group answered.
// Method: three peers in this process (LevelDB logs, the WebSocket mesh on
// loopback) over engine nodes, groups g1 = [n1] and g2 = [n2] (then
// g1 = [n1, n2, n3] and g2 = [n4]), RF 1 (quorum 1 per shard and group),
// `write.ackMode: quorum` with a 4 s timeout; requests over HTTP (the
// official client for tasks).
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

/** Three peers over `groups` (RF 1, quorum ack mode), closed with `nodes` after the test; resolves with a follower's client URL. */
async function quorumCluster(nodes: EngineNodes, groups: Record<string, string[]>): Promise<{ url: string; urls: Record<string, string> }> {
  const urls: Record<string, string> = {};
  for (const id of Object.values(groups).flat()) urls[id] = await nodes.start(id);
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
      groups: Object.entries(groups).map(([group, ids]) => ({ id: group, nodes: ids.map((n) => ({ id: n, url: urls[n]! })) })),
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
  const nodeCount = Object.keys(urls).length;
  await eventually(() => peers.every((p) => p.services.state().nodes.size === nodeCount && p.services.state().settings.writeAckMode === 'quorum'), 'bootstrap everywhere');
  return { url: peers.find((p) => p !== leader)!.clientUrl!, urls };
}

test('quorum writes: 202 after the enqueue acks (one group is enough), 503 miroir_no_quorum when no group can ack, committed all the same', async () => {
  const nodes = new EngineNodes();
  const { url, urls } = await quorumCluster(nodes, { g1: ['n1'], g2: ['n2'] });
  const client = new Meilisearch({ host: url, apiKey: MASTER_KEY });
  await client.tasks.waitForTask((await client.createIndex('q', { primaryKey: 'id' })).taskUid, { timeout: 20_000, interval: 50 });
  const docs = (from: number) => Array.from({ length: 20 }, (_, i) => ({ id: from + i, title: `doc ${from + i}` }));

  const healthy = await post(url, docs(0));
  assert.equal(healthy.status, 202, JSON.stringify(healthy.body));
  assert.equal(healthy.degraded, null);
  // The 202 came after a node enqueued the write: one group's node lists it at once.
  const listed = await Promise.all([urls.n1!, urls.n2!].map(async (nodeUrl) => {
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
  await nodes.start('n1', Number(new URL(urls.n1!).port));
  await nodes.start('n2', Number(new URL(urls.n2!).port));
  const task = await client.tasks.waitForTask(uid, { timeout: 30_000, interval: 100 });
  assert.equal(task.status, 'succeeded', JSON.stringify(task.error));
  for (const nodeUrl of [urls.n1!, urls.n2!]) {
    const node = new Meilisearch({ host: nodeUrl, apiKey: NODE_KEY });
    const held = await node.index('q').getDocuments({ limit: 100, fields: ['id'] });
    assert.equal(held.total, 60, `${nodeUrl} holds every write (one full copy per group)`);
  }
});

/** One raw request through the edge: status, X-Miroir-Degraded and body. */
async function send(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; degraded: string | null; body: any }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${MASTER_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, degraded: res.headers.get('x-miroir-degraded'), body: await res.json() };
}

test('quorum broadcasts: index create, update, delete, swap, settings, delete by filter and clear wait for one whole group (RF 1), else 503', async () => {
  const nodes = new EngineNodes();
  const { url, urls } = await quorumCluster(nodes, { g1: ['n1', 'n2', 'n3'], g2: ['n4'] });
  const client = new Meilisearch({ host: url, apiKey: MASTER_KEY });
  const ok = async (method: string, path: string, body?: unknown): Promise<number> => {
    const answer = await send(url, method, path, body);
    assert.deepEqual([answer.status, answer.degraded], [202, null], `${method} ${path}: ${JSON.stringify(answer.body)}`);
    return answer.body.taskUid as number;
  };
  const waitAll = async (uids: number[]): Promise<void> => {
    for (const uid of uids) {
      const task = await client.tasks.waitForTask(uid, { timeout: 30_000, interval: 50 });
      assert.equal(task.status, 'succeeded', `task ${uid} (${task.type}): ${JSON.stringify(task.error)}`);
    }
  };
  const setup: number[] = [];
  for (const uid of ['b', 'e', 'f', 'g', 'h', 'i']) setup.push(await ok('POST', '/indexes', { uid, ...(uid === 'e' ? {} : { primaryKey: 'id' }) }));
  setup.push(await ok('POST', '/indexes/b/documents', [{ id: 1, title: 'one' }, { id: 2, title: 'two' }]));
  setup.push(await ok('POST', '/indexes/h/documents', [{ id: 1, title: 'one' }]));
  setup.push(await ok('PATCH', '/indexes/b/settings', { filterableAttributes: ['title'] }));
  // The 202 came after the acks: every node of some group has the settings task already.
  const enqueued = async (id: string): Promise<boolean> =>
    (await new Meilisearch({ host: urls[id]!, apiKey: NODE_KEY }).tasks.getTasks({ indexUids: ['b'], types: ['settingsUpdate'] })).results.length > 0;
  const g1 = (await Promise.all(['n1', 'n2', 'n3'].map(enqueued))).every(Boolean);
  assert.ok(g1 || (await enqueued('n4')), 'one whole group enqueued the settings before the 202');
  await waitAll(setup);

  await nodes.stop('n4');
  await ok('PATCH', '/indexes/b/settings', { sortableAttributes: ['id'] });

  // Two of g1's three nodes are a majority of the group, but n1's shards would miss every one of these.
  await nodes.stop('n1');
  const broadcasts: Array<[string, string, unknown?]> = [
    ['PATCH', '/indexes/b/settings', { displayedAttributes: ['id', 'title'] }],
    ['POST', '/indexes', { uid: 'd', primaryKey: 'id' }],
    ['PATCH', '/indexes/e', { primaryKey: 'id' }],
    ['POST', '/swap-indexes', [{ indexes: ['f', 'g'] }]],
    ['POST', '/indexes/b/documents/delete', { filter: 'title = one' }],
    ['DELETE', '/indexes/h/documents'],
    ['DELETE', '/indexes/i'],
  ];
  const refused = await Promise.all(broadcasts.map(([method, path, body]) => send(url, method, path, body)));
  const uids = refused.map((answer, i) => {
    const [method, path] = broadcasts[i]!;
    assert.deepEqual([answer.status, answer.body.code, answer.degraded], [503, 'miroir_no_quorum', 'groups=g1,g2'], `${method} ${path}: ${JSON.stringify(answer.body)}`);
    return Number(/Task (\d+) is committed/.exec(answer.body.message)?.[1]);
  });
  // Committed all the same: every one succeeds once the nodes are back.
  await nodes.start('n1', Number(new URL(urls.n1!).port));
  await nodes.start('n4', Number(new URL(urls.n4!).port));
  await waitAll(uids);
});
