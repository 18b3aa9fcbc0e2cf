// Goal: the layout `miroir dev` derives from its flags is what its help
// promises (ports P+i, P+100+i, P+200+j, P+300+i; nodes per group), every
// peer config file it writes passes the real config loader, and a restart
// with contradicting flags is refused with a reason instead of ignored.
// Method: the pure functions of cli/dev/layout.ts, and loadConfig.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_OPTIONS, layoutConflicts, optionIssues, peerConfigFile, planLayout, portCount, portOwner } from '../../../cli/dev/layout.ts';
import { loadConfig } from '../../../runtime/config/index.ts';

test('default layout: three peers on 7700…, meshes on 7800…, nodes on 7900…, metrics on 8000…', async () => {
  const layout = planLayout(DEFAULT_OPTIONS);
  assert.deepEqual(layout.peers.map((p) => [p.id, p.clientPort, p.peerPort, p.metricsPort, p.dir]), [
    ['p1', 7700, 7800, 8000, 'peers/p1'],
    ['p2', 7701, 7801, 8001, 'peers/p2'],
    ['p3', 7702, 7802, 8002, 'peers/p3'],
  ]);
  assert.deepEqual(layout.nodes.map((n) => [n.id, n.group, n.port, n.dir]), [
    ['n1', 'g1', 7900, 'nodes/n1'],
    ['n2', 'g1', 7901, 'nodes/n2'],
    ['n3', 'g1', 7902, 'nodes/n3'],
  ]);
});

test('--groups 2 --nodes 2 --rf 2: every group holds a complete copy; port 0 draws every port', async () => {
  const options = { ...DEFAULT_OPTIONS, groups: 2, nodesPerGroup: 2, rf: 2, port: 0 };
  assert.equal(portCount(options), 3 * 3 + 4);
  const free = Array.from({ length: portCount(options) }, (_, i) => 40_000 + i);
  const layout = planLayout(options, free);
  assert.deepEqual(layout.nodes.map((n) => `${n.group}/${n.id}`), ['g1/n1', 'g1/n2', 'g2/n3', 'g2/n4']);
  const ports = [...layout.peers.flatMap((p) => [p.clientPort, p.peerPort, p.metricsPort]), ...layout.nodes.map((n) => n.port)];
  assert.deepEqual(ports.sort(), free);
  assert.equal(portOwner(layout, layout.peers[1]!.peerPort), 'peer p2 (mesh)');
  assert.equal(portOwner(layout, layout.nodes[3]!.port), 'node n4');
  assert.equal(portOwner(layout, 39_999), null);
  // A repeated port would make two children bind the same one: refused.
  assert.throws(() => planLayout(options, [...free.slice(1), free[1]!]), /distinct free ports/);
});

test('every peer config file passes the real loader, with the secrets from the environment', async () => {
  const layout = planLayout({ ...DEFAULT_OPTIONS, groups: 2, rf: 2 });
  const env = {
    MIROIR_MASTER_KEY: 'a-master-key-of-enough-bytes', MIROIR_ADMIN_KEY: 'an-admin-key-of-enough-bytes',
    MIROIR_CLUSTER_SECRET: 'a-cluster-secret-long-enough', MIROIR_NODE_MASTER_KEY: 'node-key',
  };
  for (const peer of layout.peers) {
    const config = loadConfig({ fileText: JSON.stringify(peerConfigFile(layout, peer, '/data/dev')), env });
    assert.equal(config.peerId, peer.id);
    assert.equal(config.dataDir, `/data/dev/peers/${peer.id}`);
    assert.equal(config.listen.clientPort, peer.clientPort);
    assert.equal(config.peers.length, 3);
    assert.deepEqual(config.groups.map((g) => g.nodes.length), [3, 3]);
    assert.equal(config.rf, 2);
  }
});

test('options out of range are reported, one sentence each', () => {
  assert.deepEqual(optionIssues(DEFAULT_OPTIONS), []);
  const issues = optionIssues({ ...DEFAULT_OPTIONS, peers: 0, rf: 4, port: 65_400 });
  assert.equal(issues.length, 3);
  assert.match(issues.join('\n'), /--peers/);
  assert.match(issues.join('\n'), /--rf/);
  assert.match(issues.join('\n'), /--port 65400/);
});

test('a restart refuses flags that contradict the saved layout, and accepts matching ones', async () => {
  const saved = planLayout(DEFAULT_OPTIONS);
  assert.deepEqual(layoutConflicts(saved, {}), []);
  assert.deepEqual(layoutConflicts(saved, { peers: 3, nodesPerGroup: 3, port: 0 }), []);
  const conflicts = layoutConflicts(saved, { peers: 5, rf: 2 });
  assert.deepEqual(conflicts, [
    '--peers 5: this data dir holds a cluster with --peers 3',
    '--rf 2: this data dir holds a cluster with --rf 1',
  ]);
});
