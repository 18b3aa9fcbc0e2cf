// Goal: a `_geoPoint(lat, lng):asc|desc` sort answers as Meilisearch does
// (API.md §4.2 hit keys, §5.2 geo sort): hits ordered by haversine distance
// with documents without `_geo` last in both directions, `_geoDistance` in
// whole metres after the document's fields (only when the retrieved hit has
// `_geo`), the score details keyed `_geoPoint(lat, lng):asc` with
// `{order, value: {lat, lng}, distance}`, the geo sort left out of
// `_rankingScore`, and `invalid_search_sort` when `_geo` is not sortable.
// Method: a real `miroir node` child process and the official client; the
// expected distances come from the haversine formula on the mean Earth radius
// (6371.0088 km, geoutils), computed here independently of the engine.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectApiError, startFixture, type Fixture } from './helpers.ts';

const LILLE: [number, number] = [50.629973371633746, 3.0569447399419567];
const PLACES = [
  { id: 1, name: 'Nantes harbour', _geo: { lat: 47.2184, lng: -1.5536 } },
  { id: 2, name: 'Paris harbour', _geo: { lat: 48.8566, lng: 2.3522 } },
  { id: 3, name: 'Nowhere harbour' },
  { id: 4, name: 'Lille harbour', _geo: { lat: LILLE[0], lng: LILLE[1] } },
  { id: 5, name: 'Lyon harbour', _geo: { lat: '45.764', lng: '4.8357' } },
];

function metres(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((b[0] - a[0]) * rad) / 2) ** 2
    + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(((b[1] - a[1]) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

function pointOf(id: number): [number, number] {
  const g = PLACES.find((p) => p.id === id)!._geo!;
  return [Number(g.lat), Number(g.lng)];
}

const SORT_KEY = `_geoPoint(${LILLE[0]}, ${LILLE[1]})`;

let f: Fixture;
before(async () => {
  f = await startFixture('geo-sort');
  await f.client.index('places').addDocuments(PLACES, { primaryKey: 'id' }).waitTask();
  await f.client.index('places').updateSettings({ sortableAttributes: ['_geo'], filterableAttributes: ['_geo'] }).waitTask();
  await f.client.createIndex('flat').waitTask();
  await f.client.index('flat').addDocuments([{ id: 1, _geo: { lat: 1, lng: 2 } }]).waitTask();
});
after(async () => { await f.close(); });

test('ascending: nearest first, no `_geo` last, `_geoDistance` after the fields, details per hit', async () => {
  const res = await f.client.index('places').search('', {
    sort: [`_geoPoint(${LILLE[0]}, ${LILLE[1]}):asc`], showRankingScore: true, showRankingScoreDetails: true,
  });
  assert.deepEqual(res.hits.map((h) => h.id), [4, 2, 1, 5, 3]);
  for (const hit of res.hits) {
    const id = hit.id as number;
    if (id === 3) {
      assert.deepEqual(Object.keys(hit), ['id', 'name', '_rankingScore', '_rankingScoreDetails']);
      assert.deepEqual(hit._rankingScoreDetails, { [`${SORT_KEY}:asc`]: { order: 0, value: null, distance: null } });
      continue;
    }
    const expected = metres(LILLE, pointOf(id));
    assert.deepEqual(Object.keys(hit), ['id', 'name', '_geo', '_geoDistance', '_rankingScore', '_rankingScoreDetails']);
    assert.equal(hit._geoDistance, Math.round(expected), `hit ${id}`);
    assert.ok(Number.isInteger(hit._geoDistance));
    const detail = (hit._rankingScoreDetails as Record<string, { order: number; value: { lat: number; lng: number }; distance: number }>)[`${SORT_KEY}:asc`]!;
    assert.equal(detail.order, 0);
    assert.deepEqual(detail.value, { lat: pointOf(id)[0], lng: pointOf(id)[1] });
    assert.ok(Math.abs(detail.distance - expected) < 1e-6, `hit ${id}: distance ${detail.distance} vs ${expected}`);
    // A placeholder search has no scored rule: the geo sort is not part of the score.
    assert.equal(hit._rankingScore, 1);
  }
  assert.equal(res.hits[0]!._geoDistance, 0);
});

test('descending: farthest first, documents without `_geo` still last', async () => {
  const res = await f.client.index('places').search('', { sort: [`_geoPoint(${LILLE[0]}, ${LILLE[1]}):desc`] });
  assert.deepEqual(res.hits.map((h) => h.id), [5, 1, 2, 4, 3]);
  assert.deepEqual(res.hits.map((h) => h._geoDistance), [5, 1, 2, 4].map((id) => Math.round(metres(LILLE, pointOf(id)))).concat([undefined as never]));
});

test('with a query: the geo sort sits where `sort` is in the rules and the score folds the rules before it', async () => {
  const res = await f.client.index('places').search('harbour', {
    sort: [`_geoPoint(${LILLE[0]}, ${LILLE[1]}):asc`], showRankingScore: true, showRankingScoreDetails: true,
  });
  assert.deepEqual(res.hits.map((h) => h.id), [4, 2, 1, 5, 3]);
  const details = res.hits[0]!._rankingScoreDetails as Record<string, { order: number; score?: number }>;
  assert.deepEqual(Object.keys(details), ['words', 'typo', 'proximity', 'attributeRank', `${SORT_KEY}:asc`, 'wordPosition', 'exactness']);
  assert.deepEqual(Object.values(details).map((d) => d.order), [0, 1, 2, 3, 4, 5, 6]);
  // words 1/1, typo, proximity and attributeRank all best: the first group scores 1,
  // although wordPosition after the sort is below 1 ("harbour" is the second word).
  assert.ok((details.wordPosition!.score ?? 1) < 1);
  assert.equal(res.hits[0]!._rankingScore, 1);
});

test('`_geoDistance` needs `_geo` in the retrieved hit', async () => {
  const res = await f.client.index('places').search('', { sort: [`_geoPoint(${LILLE[0]}, ${LILLE[1]}):asc`], attributesToRetrieve: ['name'] });
  assert.deepEqual(res.hits.map((h) => Object.keys(h)), PLACES.map(() => ['name']));
});

test('a geo sort on an index where `_geo` is not sortable is refused', async () => {
  await expectApiError(
    f.client.index('flat').search('', { sort: ['_geoPoint(1, 2):asc'] }), 400, 'invalid_search_sort',
    'Index `flat`: Attribute `_geo` is not sortable. This index does not have configured sortable attributes.',
  );
});
