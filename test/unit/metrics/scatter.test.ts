// Goal: the read path reports to the peer's metrics what issue 6 asks — the
// nodes one scatter asks (first round and failover rounds), every node call's
// duration and outcome by node, and the shards left degraded.
// Method: real engine nodes on loopback hold one index (test/unit/runtime/
// search/cluster-harness.ts); searches run through searchIndex with real
// PromSearchMetrics on a fresh registry; a node made unreachable forces a
// failover (RF 2) or a degraded answer (RF 1).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { PromSearchMetrics } from '../../../runtime/metrics/index.ts';
import type { PeerServices } from '../../../runtime/peer/services.ts';
import { searchIndex } from '../../../runtime/search/scatter-search.ts';
import { corpus, fakePeer, loadIndex, startEngines, type Engines, type FakePeer, type IndexSpec } from '../runtime/search/cluster-harness.ts';
import { assertPromtoolAccepts, sampleValue } from './promtool.ts';

const rf1: IndexSpec = { uid: 'films', shards: 8, settings: { filterableAttributes: ['genre'] }, docs: corpus(60, 5) };
const rf2: IndexSpec = { uid: 'films_rf2', shards: 8, settings: { filterableAttributes: ['genre'] }, docs: corpus(60, 5) };

let engines: Engines;
const peers: FakePeer[] = [];
before(async () => {
  engines = await startEngines(['n1', 'n2', 'n3']);
  await loadIndex(engines, 1, rf1);
  await loadIndex(engines, 2, rf2);
});
after(async () => {
  for (const peer of peers) await peer.close();
  await engines.close();
});

function observed(rf: number, spec: IndexSpec): { peer: FakePeer; services: PeerServices; registry: Registry } {
  const peer = fakePeer(engines, rf, [spec]);
  peers.push(peer);
  const registry = new Registry();
  return { peer, services: { ...peer.services, metrics: new PromSearchMetrics(registry) }, registry };
}

test('a scatter reports its fan-out and one ok duration per node asked', async () => {
  const { services, registry } = observed(1, rf1);
  for (let i = 0; i < 2; i++) {
    const outcome = await searchIndex(services, 'films', { q: 'river' });
    assert.deepEqual(outcome.degradedShards, []);
  }
  const text = await registry.metrics();
  assertPromtoolAccepts(text);
  assert.equal(sampleValue(text, 'miroir_search_fanout_nodes_count{round="first"}'), 2, 'one first round per search');
  assert.equal(sampleValue(text, 'miroir_search_fanout_nodes_sum{round="first"}'), 6, 'three nodes cover the 8 shards each time');
  for (const node of ['n1', 'n2', 'n3']) {
    assert.equal(sampleValue(text, `miroir_search_node_request_duration_seconds_count{node="${node}",outcome="ok"}`), 2, node);
  }
  assert.equal(sampleValue(text, 'miroir_search_degraded_shards_total'), 0);
});

test('an unreachable node: errors by node, a failover round (RF 2), degraded shards (RF 1)', async () => {
  const failover = observed(2, rf2);
  failover.peer.broken.add('n2');
  for (let turn = 0; turn < 3; turn++) {
    const outcome = await searchIndex(failover.services, 'films_rf2', { q: 'stone' });
    assert.deepEqual(outcome.degradedShards, [], 'RF 2 fails over without losing shards');
  }
  let text = await failover.registry.metrics();
  assert.ok((sampleValue(text, 'miroir_search_node_request_duration_seconds_count{node="n2",outcome="error"}') ?? 0) >= 1, text);
  assert.ok((sampleValue(text, 'miroir_search_fanout_nodes_count{round="failover"}') ?? 0) >= 1, 'failover rounds are observed');

  const degraded = observed(1, rf1);
  degraded.peer.broken.add('n3');
  const outcome = await searchIndex(degraded.services, 'films', { q: 'stone' });
  assert.ok(outcome.degradedShards.length > 0);
  text = await degraded.registry.metrics();
  assert.equal(sampleValue(text, 'miroir_search_degraded_shards_total'), outcome.degradedShards.length);
  assertPromtoolAccepts(text);
});
