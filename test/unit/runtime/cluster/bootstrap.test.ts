// Goal: a new cluster seeded from a config holds exactly that topology and
// Meilisearch's default keys in Meilisearch's listing order. Method: load a
// config, apply the bootstrap commands on a fresh replica, inspect queries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapCommands, isPristine } from '../../../../runtime/cluster/bootstrap.ts';
import { listKeys, listNodes } from '../../../../runtime/cluster/queries.ts';
import { loadConfig } from '../../../../runtime/config/load.ts';
import { Replica, T0 } from './fixtures.ts';

test('bootstrap seeds knobs, peers, active nodes and the four default keys', () => {
  const config = loadConfig({
    fileText: JSON.stringify({
      peerId: 'p1', rf: 2, defaultShards: 16, tasks: { retentionMax: 500 },
      groups: [{ id: 'g1', nodes: [{ id: 'n1', url: 'http://n1:7700' }, { id: 'n2', url: 'http://n2:7700' }] }],
    }),
    env: {},
  });
  const r = new Replica();
  assert.equal(isPristine(r.state), true);
  const results = r.runAll(bootstrapCommands(config, ['u-search', 'u-admin', 'u-ro', 'u-chat'], T0));
  assert.ok(results.every((x) => x.kind === 'applied'), JSON.stringify(results));
  assert.equal(isPristine(r.state), false);
  assert.deepEqual(r.state.settings, { defaultShards: 16, rf: 2, writeAckMode: 'log', taskRetentionMax: 500 });
  assert.deepEqual([...r.state.peers.values()], [{ id: 'p1', address: 'ws://127.0.0.1:7800' }]);
  assert.deepEqual(listNodes(r.state).map((n) => [n.id, n.group, n.state]), [['n1', 'g1', 'active'], ['n2', 'g1', 'active']]);
  assert.deepEqual(listKeys(r.state).map((k) => [k.uid, k.name]), [
    ['u-search', 'Default Search API Key'],
    ['u-admin', 'Default Admin API Key'],
    ['u-ro', 'Default Read-Only Admin API Key'],
    ['u-chat', 'Default Chat API Key'],
  ]);
});
