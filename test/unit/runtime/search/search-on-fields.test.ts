// Goal: `_miroir_shard`, stamped on every document of every node, never
// matches a query: with the default `searchableAttributes: ["*"]` a search
// through the cluster gives the hits, totals and ranking scores of one engine
// node holding the same documents without the stamp (the oracle), also for
// queries made of small numbers ("5" is a shard number), for facet search and
// for a client `attributesToSearchOn` naming `*`. Method: three real engine
// nodes (S=8, RF 1) against the oracle, through searchIndex/facetSearchIndex;
// the harness's index record carries the fields the cluster state records.
// The same query sent straight to a node shows what the restriction removes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { facetSearchIndex, searchIndex } from '../../../../runtime/search/scatter-search.ts';
import { fakePeer, http, loadIndex, startEngines, type Doc, type Engines, type FakePeer, type IndexSpec } from './cluster-harness.ts';

const models = ['iphone 12', 'galaxy 5', 'pixel 7', 'nokia 3310', 'moto g', 'iphone 5 mini'];
const docs: Doc[] = Array.from({ length: 120 }, (_, i) => ({
  id: i + 1,
  name: models[i % models.length],
  spec: { size: (i % 7) + 1, color: i % 2 === 0 ? 'black' : 'white' },
  ...(i % 3 === 0 ? { note: `batch ${i % 9}` } : {}),
}));
const phones: IndexSpec = { uid: 'phones', shards: 8, settings: { filterableAttributes: ['spec.color'] }, docs };

let engines: Engines;
let peer: FakePeer;

before(async () => {
  engines = await startEngines(['n1', 'n2', 'n3']);
  await loadIndex(engines, 1, phones);
  peer = fakePeer(engines, 1, [phones]);
});

after(async () => {
  await peer?.close();
  await engines?.close();
});

const QUERIES: Record<string, unknown>[] = [
  { q: '5', limit: 200, showRankingScore: true },
  { q: '3', limit: 200 },
  { q: 'iphone 12', limit: 200, showRankingScoreDetails: true },
  { q: '5 black', limit: 200, showRankingScore: true },
  { q: 'batch 6', limit: 200, showRankingScoreDetails: true },
  { q: '7', attributesToSearchOn: ['*'], limit: 200 },
  { q: '5', attributesToSearchOn: ['spec'], limit: 200 },
  { q: '5', page: 2, hitsPerPage: 5 },
  { q: 'galaxy 5', filter: 'spec.color = white', facets: ['spec.color'] },
  { q: 'iphone 5', attributesToHighlight: ['*'], showMatchesPosition: true, limit: 30 },
];

test('searches equal the oracle: the shard stamp matches nothing', async () => {
  for (const body of QUERIES) {
    const { processingTimeMs: _a, requestUid: _b, ...expected } = await http(engines.oracle.url, 'POST', '/indexes/phones/search', body);
    const { processingTimeMs: _c, requestUid: _d, ...actual } = (await searchIndex(peer.services, 'phones', body)).response as unknown as Record<string, unknown>;
    assert.deepEqual(actual, expected, JSON.stringify(body));
  }
});

test('facet search equals the oracle', async () => {
  const body = { facetName: 'spec.color', q: '5' };
  const { processingTimeMs: _a, ...expected } = await http(engines.oracle.url, 'POST', '/indexes/phones/facet-search', body);
  const { processingTimeMs: _b, ...actual } = (await facetSearchIndex(peer.services, 'phones', body)).response;
  assert.deepEqual(actual, expected);
});

test('without the restriction a node matches the stamp (what the edge prevents)', async () => {
  let stampOnly = 0;
  for (const node of engines.nodes.values()) {
    const { hits } = await http(node.url, 'POST', '/indexes/phones/search', { q: '5', limit: 200, attributesToRetrieve: ['*'] });
    stampOnly += (hits as Doc[]).filter((h) => h['_miroir_shard'] === 5 && !JSON.stringify({ ...h, _miroir_shard: null }).match(/\b5\b/)).length;
  }
  assert.ok(stampOnly > 0, 'some documents of shard 5 match "5" only through _miroir_shard');
});
