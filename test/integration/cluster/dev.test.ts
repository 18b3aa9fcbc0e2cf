// Goal: `miroir dev` is a usable local cluster (ARCHITECTURE §9, issue 4 §9):
// it reports ready only when a leader is elected, the bootstrap applied and
// every node is up; dev.json lists every process it started; the topology
// shows peers with their Raft roles, nodes, groups and placements; SIGTERM
// stops everything and removes dev.json; a restart from the same data dir
// brings the data back; and a `kill -9` of `miroir dev` itself leaves no
// orphan behind.
// Method: the real command as a child process (port 0, temporary data dir),
// observed through dev.json, /_miroir/topology, the official client and the
// process table. Deadlines are generous: the machine is shared.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, isAlive, removeDataDir, startDev, tempDataDir, type DevCluster } from './harness.ts';

test('miroir dev: ready, listed, topology, clean stop, restart with data, no orphans after kill -9', async () => {
  const dataDir = tempDataDir();
  let cluster: DevCluster | null = null;
  after(async () => {
    await cluster?.kill9();
    removeDataDir(dataDir);
  });

  cluster = await startDev(dataDir);
  const processes = cluster.dev.processes;
  assert.deepEqual(processes.map((p) => `${p.role} ${p.id}`).sort(), ['node n1', 'node n2', 'node n3', 'peer p1', 'peer p2', 'peer p3']);
  for (const p of processes) assert.ok(isAlive(p.pid), `${p.role} ${p.id} (pid ${p.pid}) is running`);
  assert.equal(cluster.dev.url, cluster.peers()[0]!.url);

  const topology = await cluster.topology();
  assert.ok(topology.leader !== null);
  assert.deepEqual(topology.peers.map((p) => p.id), ['p1', 'p2', 'p3']);
  assert.deepEqual(topology.peers.filter((p) => p.isLeader).map((p) => p.id), [topology.leader]);
  assert.deepEqual(topology.nodes.map((n) => [n.id, n.state, n.healthy]), [['n1', 'active', true], ['n2', 'active', true], ['n3', 'active', true]]);
  assert.deepEqual(topology.groups, [{ id: 'g1', state: 'active', nodes: ['n1', 'n2', 'n3'] }]);
  // Every peer agrees on the leader.
  for (const peer of cluster.peers()) assert.equal((await cluster.topology(peer.id)).leader, topology.leader);

  // An index gets a placement: each of its 64 shards on exactly one node (RF 1), every node used.
  const client = cluster.client();
  await client.createIndex('movies', { primaryKey: 'id' });
  const first = cluster;
  const placed = await eventually(async () => (await first.topology()).indexes.find((i) => i.uid === 'movies') ?? null, 'the index in the topology', 30_000);
  assert.equal(placed.shards, 64);
  const owners = placed.placements.g1!;
  assert.equal(owners.length, 64);
  assert.ok(owners.every((o) => o.length === 1));
  assert.deepEqual([...new Set(owners.flat())].sort(), ['n1', 'n2', 'n3']);

  // SIGTERM: every child stops, dev.json goes away, exit code 0.
  assert.equal(await cluster.stop(), 0);
  for (const p of processes) assert.equal(isAlive(p.pid), false, `${p.role} ${p.id} stopped`);
  assert.equal(existsSync(join(dataDir, 'dev.json')), false);

  // Restart: the same ports and the index come back.
  cluster = await startDev(dataDir);
  assert.deepEqual(cluster.dev.processes.map((p) => p.url), processes.map((p) => p.url));
  assert.deepEqual((await cluster.client().getIndexes()).results.map((i) => i.uid), ['movies']);

  // kill -9 of miroir dev: the children notice and stop by themselves.
  const second = cluster.dev.processes;
  await cluster.kill9();
  await eventually(() => second.every((p) => !isAlive(p.pid)), 'every child of the killed miroir dev gone', 30_000);
});
