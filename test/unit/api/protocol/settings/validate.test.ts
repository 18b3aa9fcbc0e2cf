// Goal: settings bodies are validated with Meilisearch's codes and messages,
// read back as Meilisearch stores them (sets sorted), and patches apply with
// null resets and nested merges. Method: literal bodies through
// parseSettingsBody / parseSettingValue / applySettingsPatch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeiliError } from '../../../../../api/errors/registry.ts';
import { defaultSettings } from '../../../../../api/protocol/settings/settings.ts';
import { applySettingsPatch } from '../../../../../api/protocol/settings/apply.ts';
import { parseSettingsBody, parseSettingValue } from '../../../../../api/protocol/settings/validate.ts';

function error(fn: () => unknown): MeiliError {
  try { fn(); } catch (e) { assert.ok(e instanceof MeiliError); return e; }
  assert.fail('expected an error');
}

test('ranking rules: names, custom asc/desc, unknown rule, mixed attribute rules', () => {
  assert.deepEqual(parseSettingsBody({ rankingRules: ['words', 'price:asc', 'attribute'] }), { rankingRules: ['words', 'price:asc', 'attribute'] });
  const e = error(() => parseSettingsBody({ rankingRules: ['custom'] }));
  assert.equal(e.code, 'invalid_settings_ranking_rules');
  assert.equal(e.message, 'Invalid value at `.rankingRules[0]`: `custom` ranking rule is invalid. Valid ranking rules are words, typo, sort, proximity, attribute, exactness and custom ranking rules.');
  assert.equal(error(() => parseSettingsBody({ rankingRules: ['attribute', 'wordPosition'] })).code, 'invalid_settings_ranking_rules');
});

test('unknown fields and wrong types', () => {
  const unknown = error(() => parseSettingsBody({ rankingRule: [] }));
  assert.equal(unknown.code, 'bad_request');
  assert.match(unknown.message, /^Unknown field `rankingRule`: did you mean `rankingRules`\? expected one of `displayedAttributes`, /);
  const type = error(() => parseSettingsBody({ stopWords: 'the' }));
  assert.equal(type.code, 'invalid_settings_stop_words');
  assert.equal(type.message, 'Invalid value type at `.stopWords`: expected null or an array, but found a string: `"the"`');
  assert.equal(error(() => parseSettingValue('distinctAttribute', 3, '')).message, 'Invalid value type: expected null or a string, but found a positive integer: `3`');
  assert.equal(error(() => parseSettingValue('proximityPrecision', 'byWords', '')).message, 'Unknown value `byWords`: did you mean `byWord`? expected one of `byWord`, `byAttribute`');
});

test('pagination must be non-zero; typo sizes ordered (checked when applied)', () => {
  assert.equal(error(() => parseSettingsBody({ pagination: { maxTotalHits: 0 } })).code, 'invalid_settings_pagination');
  const patch = parseSettingsBody({ typoTolerance: { minWordSizeForTypos: { oneTypo: 9, twoTypos: 3 } } });
  assert.equal(error(() => applySettingsPatch(defaultSettings(), patch)).code, 'invalid_settings_typo_tolerance');
});

test('sets read back sorted and deduplicated; null resets; nested objects merge', () => {
  const patch = parseSettingsBody({ stopWords: ['the', 'a', 'the'], sortableAttributes: ['b', 'a'], displayedAttributes: ['z', 'a'] });
  const s = applySettingsPatch(defaultSettings(), patch);
  assert.deepEqual(s.stopWords, ['a', 'the']);
  assert.deepEqual(s.sortableAttributes, ['a', 'b']);
  assert.deepEqual(s.displayedAttributes, ['z', 'a']);
  const merged = applySettingsPatch(s, parseSettingsBody({ typoTolerance: { minWordSizeForTypos: { oneTypo: 4 } }, faceting: { maxValuesPerFacet: 7 } }));
  assert.deepEqual(merged.typoTolerance.minWordSizeForTypos, { oneTypo: 4, twoTypos: 9 });
  assert.deepEqual(merged.faceting, { maxValuesPerFacet: 7, sortFacetValuesBy: { '*': 'alpha' } });
  const reset = applySettingsPatch(merged, parseSettingsBody({ stopWords: null, typoTolerance: null }));
  assert.deepEqual(reset.stopWords, []);
  assert.deepEqual(reset.typoTolerance, defaultSettings().typoTolerance);
});

test('filterable attributes: strings and rule objects with feature defaults', () => {
  const patch = parseSettingsBody({ filterableAttributes: ['genre', { attributePatterns: ['price'], features: { filter: { comparison: true } } }] });
  assert.deepEqual(patch.filterableAttributes, ['genre', { attributePatterns: ['price'], features: { facetSearch: false, filter: { equality: true, comparison: true } } }]);
});
