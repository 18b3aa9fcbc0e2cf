// Goal: topology, key and cluster-setting commands apply atomically or are
// rejected/ignored without side effects, and the lookups see the result.
// Method: apply sequences that include races (a node added to a missing group,
// a duplicate key, a stale cursor) and check results, state and queries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterCommand, NodeState } from '../../../../runtime/cluster/commands.ts';
import { keyView } from '../../../../api/protocol/auth/key-view.ts';
import { cursorOf, dispatchTargets, listGroups, listKeys, nodesInGroup } from '../../../../runtime/cluster/queries.ts';
import { isDispatchable } from '../../../../runtime/cluster/apply.ts';
import { restoreState, serializeState } from '../../../../runtime/cluster/snapshot.ts';
import { Replica, T0 } from './fixtures.ts';

const nodeState = (id: string, state: NodeState): ClusterCommand => ({ v: 1, kind: 'node.state', id, state, nowMs: T0 + 1 });

test('nodes join groups, follow their lifecycle, and refuse illegal moves', () => {
  const r = new Replica();
  const results = r.runAll([
    { v: 1, kind: 'node.add', id: 'n1', url: 'http://a', group: 'g1', nowMs: T0 },
    { v: 1, kind: 'group.add', id: 'g1', nowMs: T0 },
    { v: 1, kind: 'group.add', id: 'g1', nowMs: T0 },
    { v: 1, kind: 'node.add', id: 'n2', url: 'http://b', group: 'g1', nowMs: T0 },
    { v: 1, kind: 'node.add', id: 'n1', url: 'http://a', group: 'g1', nowMs: T0 },
    { v: 1, kind: 'node.add', id: 'n1', url: 'http://a', group: 'g1', nowMs: T0 },
    nodeState('n1', 'active'),
    nodeState('n1', 'active'),
    nodeState('n1', 'joining'),
    nodeState('n2', 'draining'),
    nodeState('n2', 'removed'),
    nodeState('n2', 'active'),
    nodeState('n9', 'active'),
  ]);
  assert.deepEqual(
    results.map((x) => (x.kind === 'rejected' ? x.error.code : x.kind)),
    ['miroir_unknown_group', 'applied', 'miroir_invalid_topology', 'applied', 'applied', 'miroir_invalid_topology',
      'applied', 'ignored', 'miroir_invalid_topology', 'applied', 'applied', 'miroir_invalid_topology', 'miroir_unknown_node'],
  );
  assert.deepEqual(nodesInGroup(r.state, 'g1').map((n) => [n.id, n.state]), [['n1', 'active'], ['n2', 'removed']]);
  assert.deepEqual(nodesInGroup(r.state, 'g1', ['active']).map((n) => n.id), ['n1']);
  assert.deepEqual(dispatchTargets(r.state).map((n) => n.id), ['n1']);
});

test('dispatcher cursors only move forward, never past their own entry, only for live nodes', () => {
  const r = new Replica();
  r.runAll([
    { v: 1, kind: 'group.add', id: 'g', nowMs: T0 },
    { v: 1, kind: 'node.add', id: 'a', url: 'http://a', group: 'g', nowMs: T0 },
    { v: 1, kind: 'node.add', id: 'b', url: 'http://b', group: 'g', nowMs: T0 },
  ]);
  const cursor = (cursors: { nodeId: string; index: number }[]): ClusterCommand => ({ v: 1, kind: 'dispatcher.cursor', cursors });
  assert.equal(r.run(cursor([{ nodeId: 'a', index: 3 }, { nodeId: 'b', index: 2 }, { nodeId: 'zz', index: 1 }])).kind, 'applied');
  assert.equal(r.run(cursor([{ nodeId: 'a', index: 2 }])).kind, 'ignored', 'a re-proposed older cursor is a no-op');
  assert.equal(r.run(cursor([{ nodeId: 'a', index: 99 }])).kind, 'ignored', 'no node acknowledged an entry not yet written');
  // A node's cursor starts at the entry that added it (b: 3), so b's 2 was behind it already.
  assert.deepEqual([cursorOf(r.state, 'a'), cursorOf(r.state, 'b'), cursorOf(r.state, 'zz')], [3, 3, 0]);
  r.run(nodeState('b', 'removed'));
  assert.equal(r.state.cursors.has('b'), false);
});

test('removing a group removes its nodes and cursors; other groups are untouched', () => {
  const r = new Replica();
  r.runAll([
    { v: 1, kind: 'group.add', id: 'g1', nowMs: T0 },
    { v: 1, kind: 'group.add', id: 'g2', nowMs: T0 },
    { v: 1, kind: 'node.add', id: 'a', url: 'http://a', group: 'g1', nowMs: T0 },
    { v: 1, kind: 'node.add', id: 'b', url: 'http://b', group: 'g2', nowMs: T0 },
    { v: 1, kind: 'dispatcher.cursor', cursors: [{ nodeId: 'a', index: 1 }, { nodeId: 'b', index: 1 }] },
    { v: 1, kind: 'group.remove', id: 'g1', nowMs: T0 },
  ]);
  assert.deepEqual(listGroups(r.state).map((g) => g.id), ['g2']);
  assert.deepEqual([...r.state.nodes.keys()], ['b']);
  assert.deepEqual([...r.state.cursors.keys()], ['b']);
  const again = r.run({ v: 1, kind: 'group.remove', id: 'g1', nowMs: T0 });
  assert.equal(again.kind === 'rejected' && again.error.code, 'miroir_unknown_group');
});

test('peers: add, re-add with a new address, remove', () => {
  const r = new Replica();
  const kinds = r.runAll([
    { v: 1, kind: 'peer.add', id: 'p', address: 'ws://a' },
    { v: 1, kind: 'peer.add', id: 'p', address: 'ws://a' },
    { v: 1, kind: 'peer.add', id: 'p', address: 'ws://b' },
    { v: 1, kind: 'peer.remove', id: 'p' },
    { v: 1, kind: 'peer.remove', id: 'p' },
  ]).map((x) => x.kind);
  assert.deepEqual(kinds, ['applied', 'ignored', 'applied', 'applied', 'ignored']);
  assert.equal(r.state.peers.size, 0);
});

test('API keys: create, refuse a duplicate uid, update only name/description, delete', () => {
  const r = new Replica();
  const key = (uid: string, nowMs: number): ClusterCommand => ({
    v: 1, kind: 'key.create', uid, name: uid, description: null, actions: ['search'], indexes: ['*'], expiresAtMs: null, nowMs,
  });
  const results = r.runAll([
    key('k1', T0), key('k2', T0 + 5), key('k1', T0 + 9),
    { v: 1, kind: 'key.update', uid: 'k1', description: 'front', nowMs: T0 + 10 },
    { v: 1, kind: 'key.update', uid: 'nope', name: 'x', nowMs: T0 },
    { v: 1, kind: 'key.delete', uid: 'k2' },
    { v: 1, kind: 'key.delete', uid: 'k2' },
  ]);
  assert.deepEqual(results.map((x) => (x.kind === 'rejected' ? x.error.code : x.kind)),
    ['applied', 'applied', 'api_key_already_exists', 'applied', 'api_key_not_found', 'applied', 'api_key_not_found']);
  const [k1] = listKeys(r.state);
  assert.deepEqual(k1, {
    uid: 'k1', name: 'k1', description: 'front', actions: ['search'], indexes: ['*'], expiresAtMs: null, createdAtMs: T0, updatedAtMs: T0 + 10,
  });
  assert.ok(k1);
  assert.deepEqual(Object.keys(keyView(k1, 'master-key')), ['name', 'description', 'key', 'uid', 'actions', 'indexes', 'expiresAt', 'createdAt', 'updatedAt']);
  assert.equal(keyView(k1, 'master-key').updatedAt, '2026-01-02T03:04:05.61Z');
  r.run(key('k3', T0 + 20));
  assert.deepEqual(listKeys(r.state).map((k) => k.uid), ['k3', 'k1'], 'newest first');
});

test('config.set changes only the given knobs', () => {
  const r = new Replica();
  r.run({ v: 1, kind: 'config.set', rf: 2 });
  assert.deepEqual(r.state.settings, { defaultShards: 64, rf: 2, writeAckMode: 'log', taskRetentionMax: 100_000 });
});

test('entries whose task failed at apply stay undispatchable until every live node has passed them', () => {
  const r = new Replica();
  r.runAll([
    { v: 1, kind: 'group.add', id: 'g', nowMs: T0 },
    { v: 1, kind: 'node.add', id: 'a', url: 'http://a', group: 'g', nowMs: T0 },
    { v: 1, kind: 'node.add', id: 'b', url: 'http://b', group: 'g', nowMs: T0 },
    { v: 1, kind: 'index.create', uid: 'x', primaryKey: null, shards: 1, nowMs: T0 }, // 4: dispatched
    { v: 1, kind: 'index.create', uid: 'x', primaryKey: null, shards: 1, nowMs: T0 }, // 5: fails at apply
  ]);
  assert.deepEqual([4, 5].map((i) => isDispatchable(r.state, i)), [true, false]);
  r.run({ v: 1, kind: 'dispatcher.cursor', cursors: [{ nodeId: 'a', index: 5 }] });
  assert.equal(isDispatchable(r.state, 5), false, 'node b has not passed entry 5 yet');
  r.run({ v: 1, kind: 'node.state', id: 'b', state: 'removed', nowMs: T0 });
  assert.equal(r.state.undispatchable.size, 0, 'a removed node no longer holds entries back');
  assert.deepEqual(restoreState(serializeState(r.state)), r.state);
});
