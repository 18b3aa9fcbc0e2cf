// Goal: a node's dispatcher lag is what it still owes — the dispatch records
// targeting it above its committed cursor — in entries and in the sizes of
// their log entries; removed nodes, records below the cursor and entries
// whose size cannot be read (no longer in the log) do not count in bytes.
// Method: a cluster state built by applying real commands (bootstrap, index
// creations, dispatcher cursors) with the real placement, and a hand-built
// state for the cases apply reaches only through long histories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, bootstrapCommands, emptyState, encodeCommand, type ClusterCommand, type ClusterState } from '../../../runtime/cluster/index.ts';
import { validateConfig } from '../../../runtime/config/index.ts';
import { dispatchLag } from '../../../runtime/metrics/index.ts';
import { createRouter } from '../../../runtime/routing/index.ts';

const KEY_UIDS = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000004'] as const;

/** A cluster state and the size of each applied entry (what the Raft log would answer). */
async function appliedCluster(): Promise<{ state: ClusterState; bytes: Map<number, number>; run(c: ClusterCommand): number }> {
  const config = validateConfig(
    { peerId: 'p1', groups: [{ id: 'g1', nodes: [{ id: 'n1', url: 'http://127.0.0.1:1' }, { id: 'n2', url: 'http://127.0.0.1:2' }] }] },
    { masterKey: null, adminKey: null, nodeMasterKey: null, clusterSecret: null },
  );
  const router = await createRouter();
  const state = emptyState();
  const bytes = new Map<number, number>();
  let index = 0;
  const run = (command: ClusterCommand): number => {
    index += 1;
    apply(state, command, index, router);
    bytes.set(index, encodeCommand(command).length);
    return index;
  };
  for (const command of bootstrapCommands(config, KEY_UIDS, 1_000)) run(command);
  return { state, bytes, run };
}

test('lag counts the records above the cursor, in entries and recorded bytes', async () => {
  const { state, bytes, run } = await appliedCluster();
  const idle = dispatchLag(state, (i) => bytes.get(i));
  assert.deepEqual(idle.map((l) => [l.nodeId, l.entries, l.bytes]), [['n1', 0, 0], ['n2', 0, 0]], 'nothing owed after bootstrap');

  const first = run({ v: 1, kind: 'index.create', uid: 'movies', primaryKey: 'id', shards: 4, nowMs: 2_000 });
  const second = run({ v: 1, kind: 'index.create', uid: 'books', primaryKey: 'id', shards: 4, nowMs: 2_001 });
  const sizeOf = (i: number): number => bytes.get(i) ?? assert.fail(`entry ${i} has a recorded size`);
  const both = sizeOf(first) + sizeOf(second);
  const owed = dispatchLag(state, (i) => bytes.get(i));
  assert.deepEqual(owed.map((l) => ({ node: l.nodeId, entries: l.entries, bytes: l.bytes })), [
    { node: 'n1', entries: 2, bytes: both },
    { node: 'n2', entries: 2, bytes: both },
  ]);
  // A node's cursor starts where it joined (node.add), below the creations.
  for (const l of owed) assert.ok(l.cursor > 0 && l.cursor < first, `${l.nodeId} cursor ${l.cursor}`);
  const n2Cursor = owed[1]!.cursor;

  // n1 acknowledges the first creation: it owes only the second; n2 still owes both.
  run({ v: 1, kind: 'dispatcher.cursor', cursors: [{ nodeId: 'n1', index: first }], outcomes: [{ nodeId: 'n1', logIndex: first, status: 'succeeded', counts: {} }], nowMs: 2_100 });
  const lag = dispatchLag(state, (i) => bytes.get(i));
  assert.deepEqual(lag.map((l) => [l.nodeId, l.entries, l.bytes, l.cursor]), [['n1', 1, sizeOf(second), first], ['n2', 2, both, n2Cursor]]);

  // Both acknowledge everything: nothing is owed.
  const through = second;
  run({
    v: 1, kind: 'dispatcher.cursor', cursors: [{ nodeId: 'n1', index: through }, { nodeId: 'n2', index: through }],
    outcomes: [
      { nodeId: 'n1', logIndex: second, status: 'succeeded', counts: {} },
      { nodeId: 'n2', logIndex: first, status: 'succeeded', counts: {} },
      { nodeId: 'n2', logIndex: second, status: 'succeeded', counts: {} },
    ],
    nowMs: 2_200,
  });
  assert.deepEqual(dispatchLag(state, (i) => bytes.get(i)).map((l) => [l.nodeId, l.entries, l.bytes]), [['n1', 0, 0], ['n2', 0, 0]]);
});

test('removed nodes owe nothing; records below the cursor and unknown sizes are left out', () => {
  const state = emptyState();
  for (const [id, group, nodeState] of [['n1', 'g1', 'active'], ['n2', 'g2', 'active'], ['n3', 'g1', 'removed']] as const) {
    state.nodes.set(id, { id, url: `http://${id}`, group, state: nodeState, addedAtMs: 0, stateChangedAtMs: 0 });
  }
  const record = (logIndex: number, nodeIds: string[]): void => {
    state.dispatch.set(logIndex, {
      logIndex, taskUid: logIndex, createsIndex: false, copies: {}, outcomes: [],
      targets: nodeIds.map((nodeId) => ({ nodeId, group: state.nodes.get(nodeId)!.group, shards: null })),
    });
  };
  record(10, ['n1', 'n2']);
  record(12, ['n1']);
  record(15, ['n2', 'n3']);
  state.cursors.set('n1', 10);
  const sizes = new Map([[10, 100], [12, 20]]);
  assert.deepEqual(dispatchLag(state, (i) => sizes.get(i)), [
    { nodeId: 'n1', group: 'g1', cursor: 10, entries: 1, bytes: 20 },
    { nodeId: 'n2', group: 'g2', cursor: 0, entries: 2, bytes: 100 },
  ]);
});
