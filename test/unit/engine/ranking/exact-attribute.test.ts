// Goal: the exactness rule's exactAttribute part (milli exact_attribute.rs)
// gives each document the match type milli would: `exactMatch` when one
// searched field holds the query words at their query positions and nothing
// else, `matchesStart` when such a field is longer, `noExactMatch` otherwise,
// including when the words sit at their positions but in different fields,
// and when attributesToSearchOn leaves out the field that would match.
// Method: small documents worked out by hand, read from
// `_rankingScoreDetails.exactness.matchType`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexOf, ruleDetail, searchQuery } from '../search/search-fixture.ts';

const DOCS = [
  { id: 1, title: 'red dragon' },
  { id: 2, title: 'red', body: 'x dragon' },
  { id: 3, title: 'red dragon fire' },
  { id: 4, title: 'red', body: 'red dragon' },
  { id: 5, title: 'the red dragon' },
  { id: 6, title: 'zzz', body: 'red dragon' },
];

function matchTypes(q: string, attributesToSearchOn: string[] | null = null): Record<number, unknown> {
  const index = indexOf(DOCS);
  const res = index.search(searchQuery({ q, matchingStrategy: 'all', attributesToSearchOn, showRankingScoreDetails: true }), 'i');
  return Object.fromEntries(res.hits.map((h) => [h.id as number, ruleDetail(h, 'exactness').matchType]));
}

test('exactAttribute: a whole field, the start of a field, or neither', () => {
  assert.deepEqual(matchTypes('red dragon'), {
    1: 'exactMatch',
    2: 'noExactMatch', // each word at its position, but no field holds both
    3: 'matchesStart',
    4: 'exactMatch', // body holds both at their positions
    5: 'noExactMatch', // not at the start
    6: 'exactMatch',
  });
});

test('exactAttribute: a one-word query and fields left out by attributesToSearchOn', () => {
  assert.deepEqual(matchTypes('red'), { 1: 'matchesStart', 2: 'exactMatch', 3: 'matchesStart', 4: 'exactMatch', 5: 'noExactMatch', 6: 'matchesStart' });
  assert.deepEqual(matchTypes('red dragon', ['body']), { 4: 'exactMatch', 6: 'exactMatch' });
  assert.deepEqual(matchTypes('red dragon', ['title']), { 1: 'exactMatch', 3: 'matchesStart', 5: 'noExactMatch' });
});
