// Goal: ranking-rule settings and the sort parameter become milli's rule
// pipeline (get_ranking_rules_for_query_graph_search), and the words plan
// drops terms in milli's order.
// Method: fixed settings with their expected step lists; words plans for
// `last`, `frequency` and `all` with phrases and without.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSteps } from '../../../../engine/ranking/rule-list.ts';
import { planWords } from '../../../../engine/ranking/words-rule.ts';
import { merge, globalScore } from '../../../../engine/ranking/rank.ts';
import type { BaseTerm } from '../../../../engine/query/parse-query.ts';

const kinds = (steps: ReturnType<typeof buildSteps>) => steps.map((s) => (s.kind === 'sort' ? `sort:${s.criterion.field}` : s.kind));

test('words is inserted before the first rule that needs it, and left out under `all`', () => {
  assert.deepEqual(kinds(buildSteps(['typo', 'words', 'exactness'], null, 'last', false)), ['words', 'typo', 'exactness']);
  assert.deepEqual(kinds(buildSteps(['price:asc', 'wordPosition'], null, 'last', false)), ['sort:price', 'words', 'position']);
  assert.deepEqual(kinds(buildSteps(['words', 'typo'], null, 'all', false)), ['typo']);
});

test('sort expands to the sort parameter, custom rules skip fields already sorted on, placeholder keeps only sorts', () => {
  const sort = [{ field: 'year', ascending: false }, { field: 'price', ascending: true }];
  assert.deepEqual(kinds(buildSteps(['words', 'sort', 'price:desc', 'year:asc', 'rank:asc'], sort, 'last', false)), ['words', 'sort:year', 'sort:price', 'sort:rank']);
  assert.deepEqual(kinds(buildSteps(['words', 'typo', 'sort', 'exactness', 'rank:desc'], sort, 'last', true)), ['sort:year', 'sort:price', 'sort:rank']);
  assert.deepEqual(kinds(buildSteps(['attribute', 'attribute'], null, 'last', false)), ['words', 'fid', 'position']);
});

const word = (w: string, position: number): BaseTerm => ({ kind: 'word', word: w, isPrefix: false, maxTypos: 0, position });

test('words plan: last drops from the end but never the first term; phrases are kept and counted', () => {
  const terms = [word('a', 0), word('b', 1), word('c', 2)];
  assert.deepEqual(planWords(terms, 'last', () => 1), { kept: [[0, 1, 2], [0, 1], [0]], maxRank: 3 });
  const withPhrase: BaseTerm[] = [{ kind: 'phrase', words: ['x', 'y'], start: 0, end: 1 }, word('c', 2)];
  assert.deepEqual(planWords(withPhrase, 'last', () => 1), { kept: [[0, 1], [0]], maxRank: 3 });
  assert.deepEqual(planWords(terms, 'all', () => 1), { kept: [[0, 1, 2]], maxRank: 1 });
});

test('words plan: frequency drops the most frequent terms first, equal frequencies together', () => {
  const terms = [word('a', 0), word('b', 1), word('c', 2), word('d', 3)];
  const freq = [5, 100, 100, 1];
  assert.deepEqual(planWords(terms, 'frequency', (t) => freq[t]!).kept, [[0, 1, 2, 3], [0, 3], [3]]);
});

test('Rank::merge folds ranks as a mixed-radix number', () => {
  assert.deepEqual(merge({ rank: 2, maxRank: 2 }, { rank: 3, maxRank: 3 }), { rank: 6, maxRank: 6 });
  const ranks = [[2, 2], [3, 3], [3, 4], [1, 1], [17, 21], [1, 3], [3, 3]].map(([rank, maxRank]) => ({ rank: rank!, maxRank: maxRank! }));
  assert.equal(globalScore(ranks), 4305 / 4536);
});
