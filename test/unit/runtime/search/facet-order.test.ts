// Goal: a merged facetDistribution picks, counts and orders the values one
// node holding every document would (milli `facet_distribution.rs`), for
// facets with more distinct values than maxValuesPerFacet spread over shards.
// Under `alpha`, Meilisearch orders numbers by their printed form when the
// search has at most 3000 candidates (it walks the candidates into a map
// keyed by the printed value) and numerically above (it walks the facet
// levels); numbers come before strings either way. Method: three real engine
// nodes hold the shards, a fourth holds every document (the oracle); each
// facet's entries, in order, must equal the oracle's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { searchIndex } from '../../../../runtime/search/scatter-search.ts';
import { fakePeer, http, loadIndex, startEngines, type Doc, type Engines, type FakePeer, type IndexSpec } from './cluster-harness.ts';

const SHARDS = 16;

/** 700 documents: `price` has about 280 distinct numbers (negative, integral, halves), `label` mixes numbers and strings. */
function smallCorpus(): Doc[] {
  const docs: Doc[] = [];
  for (let id = 1; id <= 700; id++) {
    const price = id % 3 === 0 ? (id % 140) + 0.5 : (id * 7) % 150 - 20;
    const label = id % 2 === 0 ? (id * 13) % 90 : `v${(id * 11) % 70}`;
    docs.push({ id, title: id % 5 === 0 ? 'red apple' : 'green pear', price, label, grade: `g${String(id % 12).padStart(2, '0')}` });
  }
  return docs;
}

let engines: Engines;
let peer: FakePeer;
let small: IndexSpec;
let counted: IndexSpec;
let large: IndexSpec;

before(async () => {
  engines = await startEngines(['n1', 'n2', 'n3']);
  const docs = smallCorpus();
  small = { uid: 'prices', shards: SHARDS, settings: { filterableAttributes: ['price', 'label', 'grade'] }, docs };
  counted = {
    uid: 'prices_count',
    shards: SHARDS,
    settings: { filterableAttributes: ['price', 'label', 'grade'], faceting: { maxValuesPerFacet: 20, sortFacetValuesBy: { '*': 'alpha', grade: 'count' } } },
    docs,
  };
  // Above 3000 candidates, with every shard holding 10 values of `level`
  // (160 in all) so no node holds more than 100 of them: nodes never cut the
  // list, and only the merge's order decides which 100 are shown.
  const largeDocs: Doc[] = [];
  for (let id = 1; id <= 3300; id++) {
    const shard = engines.router.shardOf(id, SHARDS);
    largeDocs.push({ id, level: shard * 10 + (id % 10) + (shard % 2 === 0 ? 0.25 : 0) });
  }
  large = { uid: 'levels', shards: SHARDS, settings: { filterableAttributes: ['level'] }, docs: largeDocs };
  for (const spec of [small, counted, large]) await loadIndex(engines, 1, spec);
  peer = fakePeer(engines, 1, [small, counted, large]);
});

after(async () => {
  await peer?.close();
  await engines?.close();
});

async function assertSameFacets(uid: string, query: Record<string, unknown>): Promise<void> {
  const expected = await http(engines.oracle.url, 'POST', `/indexes/${uid}/search`, query);
  const { response } = await searchIndex(peer.services, uid, query);
  const entries = (d: Record<string, Record<string, number>> | undefined) =>
    Object.entries(d ?? {}).map(([facet, values]) => [facet, Object.entries(values)]);
  assert.deepEqual(entries(response.facetDistribution), entries(expected.facetDistribution), `${uid} ${JSON.stringify(query)}`);
  assert.deepEqual(response.facetStats, expected.facetStats, `${uid} ${JSON.stringify(query)}`);
}

describe('merged facetDistribution equals one node holding every document', () => {
  test('alpha, at most 3000 candidates: numbers by printed form, then strings, cut at 100', async () => {
    const oracle = await http(engines.oracle.url, 'POST', '/indexes/prices/search', { facets: ['price'], limit: 0 });
    // Not vacuous: the printed order keeps values a numeric order would not ("100.5" before "2").
    assert.equal(Object.keys(oracle.facetDistribution.price).length, 100);
    assert.ok('100.5' in oracle.facetDistribution.price && !('50' in oracle.facetDistribution.price));
    for (const query of [
      { facets: ['price'] },
      { facets: ['price', 'label', 'grade'], limit: 0 },
      { q: 'apple', facets: ['price', 'label'] },
      { filter: 'price > 60', facets: ['price'] },
      { facets: ['*'] },
      { facets: ['label'], page: 1, hitsPerPage: 3 },
    ]) {
      await assertSameFacets('prices', query);
    }
  });

  test('count order with ties, and alpha cut at a small maxValuesPerFacet', async () => {
    for (const query of [{ facets: ['grade'] }, { facets: ['grade', 'label'], limit: 0 }, { filter: 'price < 0', facets: ['price'] }]) {
      await assertSameFacets('prices_count', query);
    }
  });

  test('alpha, more than 3000 candidates: numbers in numeric order', async () => {
    const oracle = await http(engines.oracle.url, 'POST', '/indexes/levels/search', { facets: ['level'], limit: 0 });
    assert.equal(Object.keys(oracle.facetDistribution.level).length, 100);
    await assertSameFacets('levels', { facets: ['level'] });
    await assertSameFacets('levels', { facets: ['level'], filter: 'level >= 5' });
    // Below the threshold again: printed order.
    await assertSameFacets('levels', { facets: ['level'], filter: 'level < 60' });
  });
});
