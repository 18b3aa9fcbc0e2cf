// Goal: `miroir ctl` drives a topology change end to end against a real
// peer and real engine nodes: `node add` starts the join job, `migrations
// --watch` follows the migrations to the end (progress bars, exit 0),
// `status` shows the new node active, every shard covered and the job
// succeeded, `rebalance --wait` then has nothing to move, `node drain` and
// `node remove` take the node out again, `group add` syncs a second group and
// `group remove` drops it; no document is lost on the way
// (counted through the official client); an unknown node is exit 1 with the
// Meilisearch-shaped message.
// Method: four `miroir node` children (n3 and n4 start outside the cluster), one
// in-process peer serving its client API with a master key and an admin
// key; every ctl call is a real `miroir ctl` process (not a terminal: the
// --watch frames come as plain lines). Deadlines are generous: the machine
// is shared.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Meilisearch } from 'meilisearch';
import { startPeer, type Peer } from '../../../cli/commands/peer.ts';
import { loadConfig } from '../../../runtime/config/index.ts';
import { realClock } from '../../../runtime/env/real.ts';
import { seededRng } from '../../../runtime/env/rng.ts';
import { runCli, spawnNode, tempDir, type SpawnedNode } from '../engine/spawn-node.ts';
import { eventually, freePort } from '../peer/cluster-helpers.ts';

const MASTER_KEY = 'ctl-topology-master-key-0123456789';
const ADMIN_KEY = 'ctl-topology-admin-key-0123456789';
const NODE_KEY = 'ctl-topology-node-key-0123456789';
const DOCS = 300;

test('miroir ctl adds, watches, rebalances, drains and removes a node, adds and removes a group, against a real cluster', async () => {
  const dir = tempDir('ctl-topology');
  const nodes: SpawnedNode[] = [];
  let peer: Peer | null = null;
  after(async () => {
    await peer?.close();
    await Promise.all(nodes.map((n) => n.kill9()));
    dir.remove();
  });
  for (const id of ['n1', 'n2', 'n3', 'n4']) nodes.push(await spawnNode({ dbPath: join(dir.path, id), masterKey: NODE_KEY }));
  const [n1, n2, n3, n4] = nodes as [SpawnedNode, SpawnedNode, SpawnedNode, SpawnedNode];
  const config = loadConfig({
    fileText: JSON.stringify({
      peerId: 'p1', dataDir: join(dir.path, 'p1'),
      listen: { host: '127.0.0.1', clientPort: 0, peerPort: await freePort() },
      groups: [{ id: 'g1', nodes: [{ id: 'n1', url: n1.url }, { id: 'n2', url: n2.url }] }],
      defaultShards: 8,
      raft: { tickMs: 25, electionTicks: 10, heartbeatTicks: 2 },
    }),
    env: { MIROIR_MASTER_KEY: MASTER_KEY, MIROIR_ADMIN_KEY: ADMIN_KEY, MIROIR_NODE_MASTER_KEY: NODE_KEY },
  });
  peer = await startPeer(config, { clock: realClock, rng: seededRng(11), clientApi: true });
  const url = peer.clientUrl!;
  const client = new Meilisearch({ host: url, apiKey: MASTER_KEY });
  await eventually(() => peer!.services.raft().leader === 'p1' && peer!.services.state().nodes.size === 2, 'a bootstrapped leader');
  const created = await client.createIndex('movies', { primaryKey: 'id' });
  await client.tasks.waitForTask(created.taskUid, { timeout: 60_000, interval: 50 });
  const docs = Array.from({ length: DOCS }, (_, i) => ({ id: i, title: `movie ${i}` }));
  const added = await client.index('movies').addDocuments(docs);
  await client.tasks.waitForTask(added.taskUid, { timeout: 60_000, interval: 50 });
  const ctl = (...args: string[]) => runCli(['ctl', ...args, '--url', url, '--admin-key', ADMIN_KEY, '--timeout-ms', '30000'], 180_000);
  const count = async (): Promise<number> => (await client.index('movies').getDocuments({ limit: 1 })).total;

  // Join: the job starts, the migrations are watched to their end.
  const join3 = await ctl('node', 'add', 'n3', n3.url, '--group', 'g1');
  assert.equal(join3.code, 0, join3.stderr);
  assert.match(join3.stdout, /^node n3 · group g1 · (joining|active) · http:/);
  assert.match(join3.stdout, /^job \S+ · join · /m);
  const watched = await ctl('migrations', '--watch', '--interval-ms', '200');
  assert.equal(watched.code, 0, watched.stderr);
  assert.match(watched.stdout, /done\s+\[#{20}\] 100%/);
  assert.match(watched.stdout, /\d+ migration\(s\): 0 running, 0 failed\n$/);
  await eventually(() => peer!.services.state().nodes.get('n3')?.state === 'active', 'n3 active', 60_000);
  const status = await ctl('status');
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /^n3\s+g1\s+active\s/m);
  assert.match(status.stdout, /^movies\s+8\s+8\/8$/m);
  assert.match(status.stdout, /^\(no migration running\)$/m);
  assert.match(status.stdout, /^job \S+ · join · succeeded/m);
  assert.equal(await count(), DOCS);

  // Everything already sits on its placement: a rebalance moves nothing and succeeds.
  const rebalanced = await ctl('rebalance', '--wait', '--interval-ms', '200');
  assert.equal(rebalanced.code, 0, rebalanced.stderr);
  assert.match(rebalanced.stdout, /· rebalance · succeeded · .* 0\/0 migrations done/);

  // Drain, then remove.
  const drained = await ctl('node', 'drain', 'n3');
  assert.equal(drained.code, 0, drained.stderr);
  assert.match(drained.stdout, /^node n3 · group g1 · draining/);
  const watchedDrain = await ctl('migrations', '--watch', '--interval-ms', '200');
  assert.equal(watchedDrain.code, 0, watchedDrain.stderr);
  await eventually(() => peer!.services.state().nodes.get('n3')?.state === 'removed', 'n3 removed after its drain', 60_000);
  const removed = await ctl('node', 'remove', 'n3');
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(await count(), DOCS);

  // A second group: synced in the background from g1, then serving; removed again, g1 keeps every document.
  const addGroup = await ctl('group', 'add', 'g2', '--node', `n4=${n4.url}`);
  assert.equal(addGroup.code, 0, addGroup.stderr);
  assert.match(addGroup.stdout, /^group g2 · initializing\njob \S+ · group · /);
  const watchedSync = await ctl('migrations', '--watch', '--interval-ms', '200');
  assert.equal(watchedSync.code, 0, watchedSync.stderr);
  await eventually(() => peer!.services.state().nodes.get('n4')?.state === 'active', 'g2 synced and active', 60_000);
  const withG2 = await ctl('status');
  assert.match(withG2.stdout, /^n4\s+g2\s+active\s/m);
  assert.match(withG2.stdout, /^job \S+ · group · succeeded/m);
  const removeGroup = await ctl('group', 'remove', 'g2');
  assert.equal(removeGroup.code, 0, removeGroup.stderr);
  assert.match(removeGroup.stdout, /^group g2 removed: reads no longer go to it$/m);
  assert.equal(await count(), DOCS);

  const unknown = await ctl('node', 'drain', 'nope');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /404 miroir_unknown_node: Node `nope` not found/);
});
