// Goal: `_rankingScore` and `_rankingScoreDetails` are computed exactly as
// Meilisearch computes them (API.md §5), starting with its own worked check.
// Method: Meilisearch's test_score_details corpus and query, compared key by
// key and number by number; then one small corpus per rule where the bucket
// and the details are worked out by hand from milli's cost formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexOf, MOVIES, ruleDetail, searchQuery } from './search-fixture.ts';

test('"train dragon" reproduces API.md §5.1 / §11.12 exactly (4305/4536)', () => {
  const index = indexOf(MOVIES);
  const res = index.search(searchQuery({ q: 'train dragon', showRankingScore: true, showRankingScoreDetails: true }), 'movies');
  assert.equal(res.hits.length, 1);
  const hit = res.hits[0]!;
  assert.equal(hit.id, '166428');
  assert.equal(hit._rankingScore, 4305 / 4536);
  assert.equal(JSON.stringify(hit._rankingScoreDetails), JSON.stringify({
    words: { order: 0, matchingWords: 2, maxMatchingWords: 2, score: 1.0 },
    typo: { order: 1, typoCount: 0, maxTypoCount: 2, score: 1.0 },
    proximity: { order: 2, score: 0.75 },
    attributeRank: { order: 3, score: 1.0 },
    wordPosition: { order: 4, score: 0.8095238095238095 },
    exactness: { order: 5, matchType: 'noExactMatch', matchingWords: 2, maxMatchingWords: 2, score: 0.3333333333333333 },
  }));
});

test('words: dropped terms under `last` lower matchingWords; `all` removes the rule', () => {
  const index = indexOf([{ id: 1, t: 'red fox' }, { id: 2, t: 'red hen' }], () => {}, 'id');
  const res = index.search(searchQuery({ q: 'red fox', showRankingScoreDetails: true }), 'i');
  assert.deepEqual(res.hits.map((h) => h.id), [1, 2]);
  const words = res.hits.map((h) => ruleDetail(h, 'words'));
  assert.deepEqual(words.map((w) => [w.matchingWords, w.maxMatchingWords]), [[2, 2], [1, 2]]);
  const all = index.search(searchQuery({ q: 'red fox', matchingStrategy: 'all', showRankingScoreDetails: true }), 'i');
  assert.deepEqual(all.hits.map((h) => h.id), [1]);
  assert.equal('words' in (all.hits[0]!._rankingScoreDetails as object), false);
});

test('typo: a one-typo match ranks below an exact one; first-letter typos need a budget of 2', () => {
  const index = indexOf([{ id: 1, t: 'dragin' }, { id: 2, t: 'dragon' }, { id: 3, t: 'xragon' }]);
  const res = index.search(searchQuery({ q: 'dragon ', showRankingScoreDetails: true }), 'i');
  assert.deepEqual(res.hits.map((h) => h.id), [2, 1]);
  const typo = ruleDetail(res.hits[1]!, 'typo');
  assert.deepEqual([typo.typoCount, typo.maxTypoCount, typo.score], [1, 1, 0.5]);
  const long = indexOf([{ id: 1, t: 'xragonfly' }, { id: 2, t: 'dragonfly' }]);
  const both = long.search(searchQuery({ q: 'dragonfly ', showRankingScoreDetails: true }), 'i');
  assert.deepEqual(both.hits.map((h) => h.id), [2, 1]);
  assert.equal(ruleDetail(both.hits[1]!, 'typo').typoCount, 2);
});

test('proximity: adjacent 1.0, reversed or one apart 0.75, far or in another field 0.25', () => {
  const index = indexOf([
    { id: 1, a: 'dragon x x x x train' },
    { id: 2, a: 'dragon train' },
    { id: 3, a: 'train dragon' },
    { id: 4, a: 'train', b: 'dragon' },
  ]);
  const res = index.search(searchQuery({ q: 'train dragon ', showRankingScoreDetails: true }), 'i');
  const prox = Object.fromEntries(res.hits.map((h) => [String(h.id), ruleDetail(h, 'proximity').score]));
  assert.deepEqual(prox, { 1: 0.25, 2: 0.75, 3: 1, 4: 0.25 });
  assert.equal(res.hits[0]!.id, 3);
});

test('attributeRank and wordPosition follow searchableAttributes order and word positions', () => {
  const index = indexOf([{ id: 1, title: 'x', body: 'dragon' }, { id: 2, title: 'a b c dragon', body: 'x' }], (s) => {
    s.searchableAttributes = ['title', 'body'];
  });
  const res = index.search(searchQuery({ q: 'dragon ', showRankingScoreDetails: true }), 'i');
  assert.deepEqual(res.hits.map((h) => h.id), [2, 1]);
  // max attributeRank = 1 + (2 − 1)·1 = 2; title costs 0, body 1.
  assert.deepEqual(res.hits.map((h) => ruleDetail(h, 'attributeRank').score), [1, 0.5]);
  // max wordPosition = 1 + 10; position 3 costs 2, position 0 costs 0.
  assert.deepEqual(res.hits.map((h) => ruleDetail(h, 'wordPosition').score), [9 / 11, 1]);
});

test('legacy `attribute` reports attributeRankingOrderScore and queryWordDistanceScore together', () => {
  const index = indexOf([{ id: 1, title: 'a dragon' }], (s) => {
    s.rankingRules = ['words', 'attribute'];
  });
  const res = index.search(searchQuery({ q: 'dragon ', showRankingScoreDetails: true, showRankingScore: true }), 'i');
  assert.deepEqual(res.hits[0]!._rankingScoreDetails, {
    words: { order: 0, matchingWords: 1, maxMatchingWords: 1, score: 1 },
    attribute: { order: 1, attributeRankingOrderScore: 1, queryWordDistanceScore: 10 / 11, score: 10 / 11 },
  });
  assert.equal(res.hits[0]!._rankingScore, 10 / 11);
});

test('exactness: exactMatch, matchesStart, then noExactMatch with counted words', () => {
  const index = indexOf([
    { id: 1, t: 'captain marvel returns' },
    { id: 2, t: 'the captain marvel' },
    { id: 3, t: 'Captain Marvel' },
  ]);
  const res = index.search(searchQuery({ q: 'captain marvel', showRankingScoreDetails: true, showRankingScore: true }), 'i');
  const ex = res.hits.map((h) => [h.id, ruleDetail(h, 'exactness').matchType]);
  assert.deepEqual(ex.find((e) => e[0] === 3)?.[1], 'exactMatch');
  assert.deepEqual(ex.find((e) => e[0] === 1)?.[1], 'matchesStart');
  assert.deepEqual(ex.find((e) => e[0] === 2)?.[1], 'noExactMatch');
  assert.equal(res.hits[0]!.id, 3);
});

test('placeholder search: score 1.0, internal-id order, only sort rules in the details', () => {
  const index = indexOf([{ id: 1, n: 3 }, { id: 2, n: 1 }, { id: 3 }], (s) => {
    s.sortableAttributes = ['n'];
  });
  const res = index.search(searchQuery({ showRankingScore: true, showRankingScoreDetails: true }), 'i');
  assert.deepEqual(res.hits.map((h) => h.id), [1, 2, 3]);
  assert.ok(res.hits.every((h) => h._rankingScore === 1 && JSON.stringify(h._rankingScoreDetails) === '{}'));
  const sorted = index.search(searchQuery({ sort: ['n:asc'], showRankingScoreDetails: true }), 'i');
  assert.deepEqual(sorted.hits.map((h) => h.id), [2, 1, 3]);
  assert.deepEqual(sorted.hits[0]!._rankingScoreDetails, { 'n:asc': { order: 0, value: 1 } });
  assert.deepEqual(sorted.hits[2]!._rankingScoreDetails, { 'n:asc': { order: 0, value: null } });
});

test('a sort rule splits the rules: `_rankingScore` folds only the first group (milli ScoreDetails::global_score)', () => {
  const search = (rankingRules: string[] | null) => {
    const index = indexOf(MOVIES, (s) => {
      s.sortableAttributes = ['title'];
      if (rankingRules) s.rankingRules = rankingRules;
    });
    const res = index.search(searchQuery({ q: 'train dragon', sort: ['title:asc'], showRankingScore: true, showRankingScoreDetails: true }), 'movies');
    assert.equal(res.hits.length, 1);
    return res.hits[0]!;
  };
  // Default rules (words, typo, proximity, attributeRank, sort, wordPosition,
  // exactness): words 2/2, typo 3/3, proximity 3/4 and attributeRank 1/1 fold
  // to 23/24; wordPosition 17/21 and exactness come after the sort and are left out.
  const byDefault = search(null);
  assert.deepEqual(Object.keys(byDefault._rankingScoreDetails as object), ['words', 'typo', 'proximity', 'attributeRank', 'title:asc', 'wordPosition', 'exactness']);
  assert.equal(byDefault._rankingScore, 23 / 24);
  // The sort last: every scored rule is in the first group (the worked 4305/4536).
  assert.equal(search(['words', 'typo', 'proximity', 'attributeRank', 'wordPosition', 'exactness', 'sort'])._rankingScore, 4305 / 4536);
  // A leading sort is skipped: the first group is every rule after it (the worked 4305/4536).
  assert.equal(search(['sort', 'words', 'typo', 'proximity', 'attributeRank', 'wordPosition', 'exactness'])._rankingScore, 4305 / 4536);
  // Only `words` precedes the sort: its 2/2 alone is the score, whatever the rules after it say.
  assert.equal(search(['words', 'sort', 'typo', 'proximity', 'attributeRank', 'wordPosition', 'exactness'])._rankingScore, 1);
});
