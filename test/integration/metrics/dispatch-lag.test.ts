// Goal: on a real peer, a node that cannot be reached falls behind, and its
// dispatcher lag says so in entries and in log bytes (sizes read from the
// peer's Raft log), while the peer's Raft gauges show it leading.
// Method: one in-process peer (startPeer) whose two nodes point at closed
// loopback ports; index creations are committed through its services and
// the metrics are read from its registry.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPeer, type Peer } from '../../../cli/commands/peer.ts';
import { realClock } from '../../../runtime/env/real.ts';
import { seededRng } from '../../../runtime/env/rng.ts';
import { assertPromtoolAccepts, sampleValue } from '../../unit/metrics/promtool.ts';
import { eventually, layout, peerConfig, removeLayout, type ClusterLayout } from '../peer/cluster-helpers.ts';

let cluster: ClusterLayout | null = null;
let peer: Peer | null = null;
after(async () => {
  await peer?.close();
  if (cluster !== null) await removeLayout(cluster);
});

test('writes for unreachable nodes show as dispatcher lag in entries and bytes', async () => {
  cluster = await layout(['p1']);
  peer = await startPeer(peerConfig(cluster, 'p1'), { clock: realClock, rng: seededRng(11) });
  const services = peer.services;
  await eventually(() => services.raft().role === 'leader' && services.state().nodes.size === 2, 'a bootstrapped leader', 30_000);
  for (const uid of ['movies', 'books', 'songs']) {
    const result = await services.propose({ v: 1, kind: 'index.create', uid, primaryKey: 'id', shards: 8, nowMs: realClock.nowMs() });
    assert.equal(result.kind, 'task');
  }
  const text = await peer.runtime.metrics.exposition();
  assertPromtoolAccepts(text);
  for (const node of ['n1', 'n2']) {
    const entries = sampleValue(text, `miroir_dispatcher_lag_entries{node="${node}",group="g1"}`) ?? 0;
    const bytes = sampleValue(text, `miroir_dispatcher_lag_bytes{node="${node}",group="g1"}`) ?? 0;
    assert.ok(entries >= 3, `${node} owes the three creations (${entries})`);
    // Each entry is at least its 24-byte header plus a non-empty command.
    assert.ok(bytes > 24 * entries, `${node} lag bytes ${bytes} for ${entries} entries`);
  }
  assert.equal(sampleValue(text, 'miroir_raft_is_leader'), 1);
  assert.equal(sampleValue(text, 'miroir_raft_driver_running'), 1);
  assert.ok((sampleValue(text, 'miroir_raft_applied_index') ?? 0) >= (sampleValue(text, 'miroir_raft_snapshot_index') ?? Infinity));
  assert.ok((sampleValue(text, 'miroir_tasks{status="enqueued"}') ?? 0) + (sampleValue(text, 'miroir_tasks{status="processing"}') ?? 0) >= 3);
});
