// Goal: filterable-attribute rules match fields as Meilisearch does: legacy
// strings cover nested fields, granular patterns match exactly or with `*`,
// the first matching rule wins, and faceted-field selection includes
// sortable and distinct fields.
// Method: Meilisearch's attribute_patterns tests plus hand-checked cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings } from '../../../../api/protocol/settings/settings.ts';
import {
  compareBytes, matchFacetedField, matchFieldLegacy, matchingFeatures, matchPattern, patternsWhere,
} from '../../../../engine/facets/rules.ts';

test('granular patterns (milli attribute_patterns tests)', () => {
  const cases: Array<[string, string, string]> = [
    ['*', 'test', 'match'], ['test*', 'test', 'match'], ['test*', 'testa', 'match'], ['*test', 'test', 'match'],
    ['*test', 'atest', 'match'], ['*test*', 'test', 'match'], ['*test*', 'atesta', 'match'], ['*test*', 'atest', 'match'],
    ['*test*', 'testa', 'match'], ['test*test', 'test', 'none'], ['*test', 'testa', 'none'], ['test*', 'atest', 'none'],
    ['a', 'a.b', 'none'], ['a.b', 'a', 'parent'],
  ];
  for (const [pattern, field, expected] of cases) assert.equal(matchPattern(pattern, field), expected, `${pattern} ~ ${field}`);
});

test('legacy strings cover nested fields', () => {
  assert.equal(matchFieldLegacy('a', 'a'), 'match');
  assert.equal(matchFieldLegacy('a', 'a.b.c'), 'match');
  assert.equal(matchFieldLegacy('a', 'ab'), 'none');
  assert.equal(matchFieldLegacy('a.b', 'a'), 'parent');
});

test('the first matching rule decides; patterns list sorted', () => {
  const rules = [
    { attributePatterns: ['price'], features: { facetSearch: false, filter: { equality: false, comparison: false } } },
    'price',
    { attributePatterns: ['b*', 'a*'], features: { facetSearch: true, filter: { equality: true, comparison: false } } },
  ];
  assert.deepEqual(matchingFeatures('price', rules), { ruleIndex: 0, features: { facetSearch: false, equality: false, comparison: false } });
  assert.deepEqual(matchingFeatures('price.eur', rules)?.ruleIndex, 1);
  assert.deepEqual(matchingFeatures('abc', rules)?.ruleIndex, 2);
  assert.equal(matchingFeatures('zzz', rules), null);
  assert.deepEqual(patternsWhere(rules, (f) => f.equality || f.comparison), ['a*', 'b*', 'price']);
  assert.deepEqual(patternsWhere(rules, (f) => f.facetSearch), ['a*', 'b*', 'price']);
});

test('faceted fields include sortable and distinct fields, and parents keep the walk going', () => {
  const s = defaultSettings();
  s.filterableAttributes = [{ attributePatterns: ['dog.age'], features: { facetSearch: false, filter: { equality: true, comparison: false } } }];
  s.sortableAttributes = ['rank'];
  s.distinctAttribute = 'sku.id';
  assert.equal(matchFacetedField('dog.age', s), 'match');
  assert.equal(matchFacetedField('dog', s), 'parent');
  assert.equal(matchFacetedField('rank.x', s), 'match');
  assert.equal(matchFacetedField('sku', s), 'parent');
  assert.equal(matchFacetedField('sku.id', s), 'match');
  assert.equal(matchFacetedField('other', s), 'none');
});

test('string order is UTF-8 byte order', () => {
  assert.ok(compareBytes('\uffff', '🐻') < 0);
  assert.ok(compareBytes('a', 'b') < 0);
  assert.ok(compareBytes('ab', 'a') > 0);
  assert.equal(compareBytes('x', 'x'), 0);
});
