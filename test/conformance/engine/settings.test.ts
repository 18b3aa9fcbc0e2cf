// Goal: every setting round-trips through the official client's sub-route
// methods (PUT or PATCH as Meilisearch declares them) and the whole-object
// routes, reads back as Meilisearch returns it, and bad values fail with its
// codes (API.md §1.4, §11 example 4). Method: a real `miroir node` child
// process driven by the client.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorBody, expectApiError, raw, startFixture, type Fixture } from './helpers.ts';

let f: Fixture;
before(async () => { f = await startFixture('settings'); });
after(async () => { await f.close(); });

const FRESH = '{"displayedAttributes":["*"],"searchableAttributes":["*"],"filterableAttributes":[],"sortableAttributes":[],"rankingRules":["words","typo","proximity","attributeRank","sort","wordPosition","exactness"],"stopWords":[],"nonSeparatorTokens":[],"separatorTokens":[],"dictionary":[],"synonyms":{},"distinctAttribute":null,"proximityPrecision":"byWord","typoTolerance":{"enabled":true,"minWordSizeForTypos":{"oneTypo":5,"twoTypos":9},"disableOnWords":[],"disableOnAttributes":[],"disableOnNumbers":false},"faceting":{"maxValuesPerFacet":100,"sortFacetValuesBy":{"*":"alpha"}},"pagination":{"maxTotalHits":1000},"embedders":{},"searchCutoffMs":null,"localizedAttributes":null,"facetSearch":true,"prefixSearch":"indexingTime"}';

test('a fresh index answers the 20 default settings in order; updates create the index', async () => {
  const enqueued = await raw(f, '/indexes/fresh/settings', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(enqueued.status, 202);
  assert.deepEqual(Object.keys(enqueued.body), ['taskUid', 'indexUid', 'status', 'type', 'enqueuedAt']);
  assert.equal(enqueued.body.type, 'settingsUpdate');
  await f.client.tasks.waitForTask(enqueued.body.taskUid as number);
  const res = await fetch(`${f.node.url}/indexes/fresh/settings`, { headers: { authorization: `Bearer ${f.client.config.apiKey}` } });
  assert.equal(await res.text(), FRESH);
  const reset = await f.client.index('never-created').resetSettings().waitTask();
  assert.equal(reset.status, 'failed');
  assert.equal(reset.error?.code, 'index_not_found');
});

test('every sub-route round-trips its value', async () => {
  const index = f.client.index('subroutes');
  await f.client.createIndex('subroutes').waitTask();
  const cases: Array<[string, () => Promise<unknown>, () => Promise<unknown>, unknown]> = [
    ['displayedAttributes', () => index.updateDisplayedAttributes(['title', 'id']).waitTask(), () => index.getDisplayedAttributes(), ['title', 'id']],
    ['searchableAttributes', () => index.updateSearchableAttributes(['title']).waitTask(), () => index.getSearchableAttributes(), ['title']],
    ['filterableAttributes', () => index.updateFilterableAttributes(['genre', { attributePatterns: ['year'], features: { facetSearch: false, filter: { equality: true, comparison: true } } }]).waitTask(), () => index.getFilterableAttributes(),
      ['genre', { attributePatterns: ['year'], features: { facetSearch: false, filter: { equality: true, comparison: true } } }]],
    ['sortableAttributes', () => index.updateSortableAttributes(['year', 'price']).waitTask(), () => index.getSortableAttributes(), ['price', 'year']],
    ['rankingRules', () => index.updateRankingRules(['words', 'year:desc', 'typo']).waitTask(), () => index.getRankingRules(), ['words', 'year:desc', 'typo']],
    ['stopWords', () => index.updateStopWords(['the', 'a']).waitTask(), () => index.getStopWords(), ['a', 'the']],
    ['nonSeparatorTokens', () => index.updateNonSeparatorTokens(['@']).waitTask(), () => index.getNonSeparatorTokens(), ['@']],
    ['separatorTokens', () => index.updateSeparatorTokens(['|']).waitTask(), () => index.getSeparatorTokens(), ['|']],
    ['dictionary', () => index.updateDictionary(['J. R. R.']).waitTask(), () => index.getDictionary(), ['J. R. R.']],
    ['synonyms', () => index.updateSynonyms({ wolverine: ['logan'], logan: ['wolverine'] }).waitTask(), () => index.getSynonyms(), { logan: ['wolverine'], wolverine: ['logan'] }],
    ['distinctAttribute', () => index.updateDistinctAttribute('sku').waitTask(), () => index.getDistinctAttribute(), 'sku'],
    ['proximityPrecision', () => index.updateProximityPrecision('byAttribute').waitTask(), () => index.getProximityPrecision(), 'byAttribute'],
    ['typoTolerance', () => index.updateTypoTolerance({ minWordSizeForTypos: { oneTypo: 4 } }).waitTask(), () => index.getTypoTolerance(),
      { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 9 }, disableOnWords: [], disableOnAttributes: [], disableOnNumbers: false }],
    ['faceting', () => index.updateFaceting({ maxValuesPerFacet: 10 }).waitTask(), () => index.getFaceting(), { maxValuesPerFacet: 10, sortFacetValuesBy: { '*': 'alpha' } }],
    ['pagination', () => index.updatePagination({ maxTotalHits: 50 }).waitTask(), () => index.getPagination(), { maxTotalHits: 50 }],
    ['embedders', () => index.updateEmbedders({}).waitTask(), () => index.getEmbedders(), {}],
    ['searchCutoffMs', () => index.updateSearchCutoffMs(300).waitTask(), () => index.getSearchCutoffMs(), 300],
    ['localizedAttributes', () => index.updateLocalizedAttributes([{ attributePatterns: ['*_ja'], locales: ['jpn'] }]).waitTask(), () => index.getLocalizedAttributes(), [{ attributePatterns: ['*_ja'], locales: ['jpn'] }]],
    ['facetSearch', () => index.updateFacetSearch(false).waitTask(), () => index.getFacetSearch(), false],
    ['prefixSearch', () => index.updatePrefixSearch('disabled').waitTask(), () => index.getPrefixSearch(), 'disabled'],
  ];
  for (const [name, update, get, expected] of cases) {
    const task = (await update()) as { status: string; error: unknown; details: Record<string, unknown> };
    assert.equal(task.status, 'succeeded', `${name}: ${JSON.stringify(task.error)}`);
    assert.deepEqual(Object.keys(task.details), [name]);
    assert.deepEqual(await get(), expected, name);
  }
  const all = await index.getSettings();
  assert.equal(all.pagination?.maxTotalHits, 50);
  const reset = await index.resetSettings().waitTask();
  assert.equal(reset.status, 'succeeded');
  const res = await fetch(`${f.node.url}/indexes/subroutes/settings`, { headers: { authorization: `Bearer ${f.client.config.apiKey}` } });
  assert.equal(await res.text(), FRESH);
});

test('whole-object update with null resets, and sub-route resets', async () => {
  const index = f.client.index('whole');
  const task = await index.updateSettings({ stopWords: ['b', 'a'], distinctAttribute: 'x', rankingRules: null }).waitTask();
  assert.deepEqual(task.details, { rankingRules: null, stopWords: ['a', 'b'], distinctAttribute: 'x' });
  await index.resetStopWords().waitTask();
  assert.deepEqual(await index.getStopWords(), []);
  assert.equal(await index.getDistinctAttribute(), 'x');
});

test('invalid settings answer 400 with invalid_settings_* codes', async () => {
  const index = f.client.index('whole');
  await expectApiError(index.updateRankingRules(['custom']), 400, 'invalid_settings_ranking_rules', /`custom` ranking rule is invalid/);
  await expectApiError(index.updateSettings({ rankingRules: ['custom'] }), 400, 'invalid_settings_ranking_rules',
    'Invalid value at `.rankingRules[0]`: `custom` ranking rule is invalid. Valid ranking rules are words, typo, sort, proximity, attribute, exactness and custom ranking rules.');
  await expectApiError(index.updatePagination({ maxTotalHits: 0 }), 400, 'invalid_settings_pagination');
  const unknown = await raw(f, '/indexes/whole/settings', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"stopWord":[]}' });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.code, 'bad_request');
  assert.match(String(unknown.body.message), /^Unknown field `stopWord`: did you mean `stopWords`\? expected one of/);
  const typo = await index.updateTypoTolerance({ minWordSizeForTypos: { oneTypo: 9, twoTypos: 3 } }).waitTask();
  assert.equal(typo.status, 'failed');
  assert.equal(typo.error?.code, 'invalid_settings_typo_tolerance');
  const wrongType = await raw(f, '/indexes/whole/settings/stop-words', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '"the"' });
  assert.deepEqual(wrongType.body, errorBody('invalid_settings_stop_words', 'Invalid value type: expected null or an array, but found a string: `"the"`'));
  await expectApiError(f.client.index('nope').getSettings(), 404, 'index_not_found', 'Index `nope` not found.');
});
