// Goal: the settings routes of the edge commit one settings.update per
// write, read back exactly what clients set (over the defaults, never
// `_miroir_shard`), follow Meilisearch's creation and reset rules, and refuse
// bad bodies exactly as an engine node does. Method: inject() into buildApp
// over the in-memory PeerServices of harness.ts; a real engine node answers
// the same requests for the comparisons.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { master, testApp, type TestPeer } from './harness.ts';
import { askEdge, askNode, startEngineNode, type EngineNode, type Probe } from './engine-parity.ts';

let app: FastifyInstance;
let peer: TestPeer;
let node: EngineNode;
before(async () => {
  ({ app, peer } = await testApp());
  node = await startEngineNode();
  for (const target of ['edge', 'node'] as const) {
    const probe: Probe = { method: 'POST', url: '/indexes', body: { uid: 'movies', primaryKey: 'id' } };
    const res = target === 'edge' ? await askEdge(app, probe) : await askNode(node, probe);
    assert.equal(res.status, 202);
  }
  // The node creates the index asynchronously: wait for it so both answer from an existing index.
  for (let i = 0; i < 100 && (await askNode(node, { method: 'GET', url: '/indexes/movies' })).status !== 200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
});
after(async () => {
  await app.close();
  await node.close();
});

async function taskOf(taskUid: number): Promise<Record<string, unknown>> {
  const res = await app.inject({ method: 'GET', url: `/tasks/${taskUid}`, headers: master });
  return res.json() as Record<string, unknown>;
}

describe('settings reads', () => {
  test('a fresh index answers the 20 default settings, as an engine node does', async () => {
    const probe: Probe = { method: 'GET', url: '/indexes/movies/settings' };
    const [edge, fromNode] = [await askEdge(app, probe), await askNode(node, probe)];
    assert.equal(edge.status, 200);
    assert.equal(Object.keys(edge.body as object).length, 20);
    assert.deepEqual(edge, fromNode);
  });

  test('every sub-route answers its bare value as JSON, as an engine node does', async () => {
    for (const sub of ['distinct-attribute', 'proximity-precision', 'typo-tolerance', 'search-cutoff-ms', 'filterable-attributes']) {
      const probe: Probe = { method: 'GET', url: `/indexes/movies/settings/${sub}` };
      assert.deepEqual(await askEdge(app, probe), await askNode(node, probe), sub);
    }
  });

  test('a missing index is 404 index_not_found', async () => {
    const res = await app.inject({ method: 'GET', url: '/indexes/nope/settings/ranking-rules', headers: master });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'index_not_found');
  });
});

describe('settings writes', () => {
  test('PATCH commits one settings.update and reads back as set, merged over earlier patches', async () => {
    const patch = await askEdge(app, { method: 'PATCH', url: '/indexes/movies/settings', body: { filterableAttributes: ['genre'], typoTolerance: { minWordSizeForTypos: { oneTypo: 4 } } } });
    assert.equal(patch.status, 202);
    assert.equal((patch.body as { type: string }).type, 'settingsUpdate');
    assert.deepEqual(peer.proposed.at(-1), {
      v: 1, kind: 'settings.update', indexUid: 'movies', nowMs: peer.clock.nowMs(), allowIndexCreation: true,
      settings: { filterableAttributes: ['genre'], typoTolerance: { minWordSizeForTypos: { oneTypo: 4 } } },
    });
    const sub = await askEdge(app, { method: 'PATCH', url: '/indexes/movies/settings/typo-tolerance', body: { disableOnNumbers: true } });
    assert.equal(sub.status, 202);
    const typo = await askEdge(app, { method: 'GET', url: '/indexes/movies/settings/typo-tolerance' });
    assert.deepEqual(typo.body, { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 9 }, disableOnWords: [], disableOnAttributes: [], disableOnNumbers: true });
    const all = (await askEdge(app, { method: 'GET', url: '/indexes/movies/settings' })).body as Record<string, unknown>;
    assert.deepEqual(all['filterableAttributes'], ['genre']);
    assert.ok(!JSON.stringify(all).includes('_miroir'), 'no reserved field shows');
  });

  test('PUT on a sub-route replaces the value; DELETE resets it to the default', async () => {
    assert.equal((await askEdge(app, { method: 'PUT', url: '/indexes/movies/settings/stop-words', body: ['the', 'a'] })).status, 202);
    assert.deepEqual((await askEdge(app, { method: 'GET', url: '/indexes/movies/settings/stop-words' })).body, ['a', 'the']);
    assert.equal((await askEdge(app, { method: 'DELETE', url: '/indexes/movies/settings/stop-words' })).status, 202);
    assert.deepEqual((await askEdge(app, { method: 'GET', url: '/indexes/movies/settings/stop-words' })).body, []);
    assert.equal((await askEdge(app, { method: 'PUT', url: '/indexes/movies/settings/distinct-attribute', body: JSON.stringify('title') })).status, 202);
    assert.deepEqual((await askEdge(app, { method: 'GET', url: '/indexes/movies/settings/distinct-attribute' })).body, 'title');
  });

  test('DELETE /settings resets everything', async () => {
    assert.equal((await askEdge(app, { method: 'DELETE', url: '/indexes/movies/settings' })).status, 202);
    const edge = await askEdge(app, { method: 'GET', url: '/indexes/movies/settings' });
    assert.deepEqual(edge, await askNode(node, { method: 'GET', url: '/indexes/movies/settings' }));
  });

  test('an update creates a missing index; a reset of a missing index fails its task with index_not_found', async () => {
    const created = await askEdge(app, { method: 'PUT', url: '/indexes/fresh/settings/sortable-attributes', body: ['year'] });
    assert.equal(created.status, 202);
    // Enqueued: the nodes apply it later; the index exists in the cluster state at once.
    assert.equal((await taskOf((created.body as { taskUid: number }).taskUid))['status'], 'enqueued');
    assert.ok(peer.state.indexes.has('fresh'));
    const reset = await askEdge(app, { method: 'DELETE', url: '/indexes/ghost/settings' });
    assert.equal(reset.status, 202);
    const task = await taskOf((reset.body as { taskUid: number }).taskUid);
    assert.equal(task['status'], 'failed');
    assert.equal((task['error'] as { code: string }).code, 'index_not_found');
    assert.ok(!peer.state.indexes.has('ghost'));
  });

  test('typo word sizes out of order fail the task and leave the settings unchanged', async () => {
    const before = (await askEdge(app, { method: 'GET', url: '/indexes/movies/settings/typo-tolerance' })).body;
    const res = await askEdge(app, { method: 'PATCH', url: '/indexes/movies/settings/typo-tolerance', body: { minWordSizeForTypos: { oneTypo: 10 } } });
    assert.equal(res.status, 202);
    const task = await taskOf((res.body as { taskUid: number }).taskUid);
    assert.equal(task['status'], 'failed');
    assert.equal((task['error'] as { code: string }).code, 'invalid_settings_typo_tolerance');
    assert.deepEqual((await askEdge(app, { method: 'GET', url: '/indexes/movies/settings/typo-tolerance' })).body, before);
  });
});

describe('settings errors are the engine node\'s', () => {
  const bad: Probe[] = [
    { method: 'PATCH', url: '/indexes/movies/settings', body: { rankingRules: ['custom'] } },
    { method: 'PATCH', url: '/indexes/movies/settings', body: { rankingRules: ['attribute', 'wordPosition'] } },
    { method: 'PATCH', url: '/indexes/movies/settings', body: { nope: 1 } },
    { method: 'PATCH', url: '/indexes/movies/settings', body: [] },
    { method: 'PATCH', url: '/indexes/movies/settings', body: { filterableAttributes: 'genre' } },
    { method: 'PATCH', url: '/indexes/movies/settings', body: { filterableAttributes: [{ attributePatterns: 1 }] } },
    { method: 'PATCH', url: '/indexes/movies/settings', body: { pagination: { maxTotalHits: -1 } } },
    { method: 'PATCH', url: '/indexes/movies/settings', body: { faceting: { sortFacetValuesBy: { '*': 'random' } } } },
    { method: 'PATCH', url: '/indexes/movies/settings', body: { synonyms: { a: 'b' } } },
    { method: 'PATCH', url: '/indexes/movies/settings', body: { typoTolerance: { enabled: 'yes' } } },
    { method: 'PATCH', url: '/indexes/movies/settings', body: { proximityPrecision: 'byLetter' } },
    { method: 'PATCH', url: '/indexes/movies/settings', body: '{', contentType: 'application/json' },
    { method: 'PATCH', url: '/indexes/movies/settings', body: '{}', contentType: 'text/plain' },
    { method: 'PATCH', url: '/indexes/movies/settings?foo=1', body: {} },
    { method: 'PUT', url: '/indexes/movies/settings/searchable-attributes', body: JSON.stringify('title') },
    { method: 'PUT', url: '/indexes/movies/settings/search-cutoff-ms', body: -5 },
    { method: 'PUT', url: '/indexes/movies/settings/prefix-search', body: 'sometimes' },
    { method: 'PUT', url: '/indexes/movies/settings/facet-search', body: 1 },
    { method: 'PATCH', url: '/indexes/movies/settings/pagination', body: { maxTotalHits: 'x' } },
    { method: 'PATCH', url: '/indexes/movies/settings/typo-tolerance', body: { minWordSizeForTypos: { oneTypo: 'x' } } },
    { method: 'PUT', url: '/indexes/movies/settings/synonyms', body: { a: ['b', 1] } },
    { method: 'PATCH', url: '/indexes/a%20b/settings', body: {} },
  ];
  for (const probe of bad) {
    test(`${probe.method} ${probe.url} ${typeof probe.body === 'string' ? probe.body : JSON.stringify(probe.body)}`, async () => {
      const before = peer.proposed.length;
      const [edge, fromNode] = [await askEdge(app, probe), await askNode(node, probe)];
      assert.ok(edge.status >= 400, `refused: ${JSON.stringify(edge)}`);
      assert.deepEqual(edge, fromNode);
      assert.equal(peer.proposed.length, before, 'nothing proposed');
    });
  }
});
