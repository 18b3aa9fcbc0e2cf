// Goal: federated hits compare like Meilisearch's weighted_scores::compare:
// rule groups and sort values in order, incomparable sorts resolved by the
// number of remaining groups and then the weighted global score.
// Method: build `_rankingScoreDetails` by hand and merge two queries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeHits } from '../../../../engine/federation/merge.ts';
import { compareHits, weightedScoreValues } from '../../../../engine/federation/score-values.ts';

function sorted(id: string, year: number, asc = true, words = 1): Record<string, unknown> {
  return {
    id, _rankingScore: words,
    _rankingScoreDetails: { words: { order: 0, matchingWords: 1, maxMatchingWords: 1, score: words }, [`year:${asc ? 'asc' : 'desc'}`]: { order: 1, value: year }, exactness: { order: 2, matchType: 'exactMatch', score: 1 } },
  };
}

test('without sort rules the group is the weighted _rankingScore', () => {
  const values = weightedScoreValues({ _rankingScore: 0.5, _rankingScoreDetails: { words: { order: 0, score: 1 }, typo: { order: 1, score: 0.5 } } }, 2);
  assert.deepEqual(values, [{ kind: 'score', scores: [1] }]);
});

test('sort values decide across queries after equal first groups', () => {
  const { merged } = mergeHits([
    { queryIndex: 0, indexUid: 'a', weight: 1, hits: [sorted('a2000', 2000), sorted('a2010', 2010)] },
    { queryIndex: 1, indexUid: 'b', weight: 1, hits: [sorted('b1990', 1990), sorted('b2005', 2005)] },
  ], null);
  assert.deepEqual(merged.map((m) => m.hit['id']), ['b1990', 'a2000', 'b2005', 'a2010']);
});

test('a better first group wins over the sort value', () => {
  const left = weightedScoreValues(sorted('x', 2020, true, 1), 1)!;
  const right = weightedScoreValues(sorted('y', 1990, true, 0.5), 1)!;
  assert.equal(compareHits(left, 1, right, 0.5), 1);
});

test('opposite sort directions fall back to the weighted global score', () => {
  const left = weightedScoreValues(sorted('x', 2020, true), 1)!;
  const right = weightedScoreValues(sorted('y', 1990, false), 1)!;
  assert.equal(compareHits(left, 0.4, right, 0.9), -1);
});

test('numbers rank before strings and null ranks last, in either direction', () => {
  const n = [{ kind: 'sort', asc: true, value: 3 }] as const;
  const s = [{ kind: 'sort', asc: true, value: 'abc' }] as const;
  assert.equal(compareHits(n, 1, s, 1), 1);
  assert.equal(compareHits([{ kind: 'sort', asc: true, value: null }], 1, n, 1), -1);
});
