// Goal: `miroir ctl` against a real peer: `status` shows the leader, the
// nodes with whether searches go to them, and the shards each index has
// covered (degraded once its only node is killed); `tasks` lists the
// cluster's tasks with filters; `--json` prints the admin API's answer; exit
// codes are 0 ok, 1 error (wrong admin key, unreachable peer, a refused
// leadership transfer), 2 usage; `peers` lists the Raft members.
// Method: one engine node (`miroir node` child process) and one in-process
// peer serving its client API with a master key and an admin key; every ctl
// call is a real `miroir ctl` process (the usage table is also checked on the
// argument parser alone); waits have deadlines.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Meilisearch } from 'meilisearch';
import { startPeer, type Peer } from '../../../cli/commands/peer.ts';
import { parseArgs } from '../../../cli/commands/ctl.ts';
import { loadConfig } from '../../../runtime/config/index.ts';
import { realClock } from '../../../runtime/env/real.ts';
import { seededRng } from '../../../runtime/env/rng.ts';
import { runCli, spawnNode, tempDir } from '../engine/spawn-node.ts';
import { eventually, freePort } from '../peer/cluster-helpers.ts';

const MASTER_KEY = 'ctl-test-master-key-0123456789';
const ADMIN_KEY = 'ctl-test-admin-key-0123456789';
const NODE_KEY = 'ctl-test-node-key-0123456789';

test('miroir ctl status and tasks against a real peer, with trustworthy exit codes', async () => {
  const dir = tempDir('ctl');
  const node = await spawnNode({ dbPath: join(dir.path, 'n1'), masterKey: NODE_KEY });
  let peer: Peer | null = null;
  after(async () => {
    await peer?.close();
    await node.kill9();
    dir.remove();
  });
  const config = loadConfig({
    fileText: JSON.stringify({
      peerId: 'p1', dataDir: join(dir.path, 'p1'),
      listen: { host: '127.0.0.1', clientPort: 0, peerPort: await freePort() },
      groups: [{ id: 'g1', nodes: [{ id: 'n1', url: node.url }] }],
      defaultShards: 8,
      raft: { tickMs: 25, electionTicks: 10, heartbeatTicks: 2 },
      health: { probeIntervalMs: 200, probeTimeoutMs: 100, suspectProbeIntervalMs: 50, gossipIntervalMs: 100, viewStalenessMs: 2_000 },
    }),
    env: { MIROIR_MASTER_KEY: MASTER_KEY, MIROIR_ADMIN_KEY: ADMIN_KEY, MIROIR_NODE_MASTER_KEY: NODE_KEY },
  });
  peer = await startPeer(config, { clock: realClock, rng: seededRng(3), clientApi: true });
  const url = peer.clientUrl!;
  const client = new Meilisearch({ host: url, apiKey: MASTER_KEY });
  await eventually(() => peer!.services.raft().leader === 'p1' && peer!.services.state().nodes.size === 1, 'a bootstrapped leader');
  const created = await client.createIndex('movies', { primaryKey: 'id' });
  await client.tasks.waitForTask(created.taskUid, { timeout: 30_000, interval: 50 });
  const ctl = (...args: string[]) => runCli(['ctl', ...args, '--url', url, '--admin-key', ADMIN_KEY]);

  // One after the other: each is a process start on a shared machine.
  const status = await ctl('status');
  const json = await ctl('status', '--json');
  const tasks = await ctl('tasks');
  const filtered = await ctl('tasks', '--statuses', 'failed', '--json');
  const refused = await runCli(['ctl', 'status', '--url', url, '--admin-key', 'not the admin key at all']);
  const unreachable = await runCli(['ctl', 'status', '--url', `http://127.0.0.1:${await freePort()}`, '--timeout-ms', '2000']);
  const usage = await runCli(['ctl', 'status', '--bogus', '1']);
  const peers = await ctl('peers');
  const lone = await ctl('peers', 'transfer');
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /leader p1/);
  assert.match(status.stdout, /^n1\s+g1\s+active\s+yes\s+healthy \(p1, \d+ ms ago\)\s+\d+\.\d ms\s+http:/m);
  assert.match(status.stdout, /^movies\s+8\s+8\/8$/m);

  assert.equal(json.code, 0, json.stderr);
  const { topology } = JSON.parse(json.stdout) as { topology: { peerId: string; nodes: Array<{ id: string; healthy: boolean; health: { status: string; observedBy: string } }> } };
  assert.equal(topology.peerId, 'p1');
  assert.deepEqual(topology.nodes.map((n) => [n.id, n.healthy, n.health.status, n.health.observedBy]), [['n1', true, 'healthy', 'p1']]);

  assert.equal(tasks.code, 0, tasks.stderr);
  assert.match(tasks.stdout, new RegExp(`^${created.taskUid}\\s+movies\\s+indexCreation\\s+succeeded`, 'm'));
  assert.equal(filtered.code, 0, filtered.stderr);
  assert.equal((JSON.parse(filtered.stdout) as { total: number }).total, 0);

  // Errors and usage.
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /403 miroir_invalid_admin_key/);
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stderr, /cannot reach/);
  assert.equal(usage.code, 2, usage.stderr);
  assert.match(usage.stderr, /unknown flag `--bogus` for `status`/);

  // Raft members: the lone peer leads, and has no one to hand the leadership to.
  assert.equal(peers.code, 0, peers.stderr);
  assert.match(peers.stdout, /^leader p1 \(as leader p1 sees it\)/);
  assert.match(peers.stdout, /^p1\s+leader\s+yes\s+\d+\s+ws:/m);
  assert.equal(lone.code, 1);
  assert.match(lone.stderr, /400 miroir_invalid_topology: There is no other voter/);

  // The only node dies: the peer's probes find it, and status says the index is not covered.
  await node.kill9();
  await eventually(() => !peer!.services.isNodeHealthy('n1'), 'n1 failed on the peer', 10_000);
  const degraded = await ctl('status');
  assert.equal(degraded.code, 0, degraded.stderr);
  assert.match(degraded.stdout, /^n1\s+g1\s+active\s+NO\s+down \(p1, \d+ ms ago\)/m);
  assert.match(degraded.stdout, /^movies\s+8\s+0\/8 DEGRADED$/m);
});

test('miroir ctl usage errors are told apart from everything else (exit 2)', () => {
  const env = { MIROIR_ADMIN_KEY: 'from the environment' };
  for (const argv of [[], ['frobnicate'], ['status', '--bogus', '1'], ['status', '--url', 'ftp://x'], ['tasks', '--limit'], ['status', '--timeout-ms', '0'], ['status', '--statuses', 'failed'], ['status', 'extra']]) {
    assert.equal(typeof parseArgs(argv, env), 'string', argv.join(' '));
  }
  const args = parseArgs(['tasks', '--index-uids=movies', '--limit', '5', '--json', '--url', 'http://127.0.0.1:7701/'], env);
  assert.deepEqual(args, {
    command: 'tasks', positionals: {}, flags: { 'index-uids': 'movies', limit: '5' },
    url: 'http://127.0.0.1:7701', adminKey: 'from the environment', json: true, timeoutMs: 10_000,
  });
});
