// Goal: a document's match, score and score details depend only on the
// query, the settings and the document — never on the other documents of the
// index — because Miroir merges shards by these scores (ARCHITECTURE §4).
// Method: seeded random corpora over a small vocabulary (so typos, prefixes,
// n-grams and splits all occur); each corpus is split in two random shards;
// every document found in a shard must be found in the whole index with the
// same `_rankingScore` and the same details, and vice versa. The `frequency`
// strategy is index-local by design and left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Document, SearchIndex } from '../../../../engine/core/contracts.ts';
import { seededRng } from '../../../../runtime/env/rng.ts';
import { indexOf, searchQuery } from './search-fixture.ts';

const VOCAB = ['dragon', 'dragin', 'drag', 'on', 'train', 'trains', 'hidden', 'world', 'word', 'sun', 'flower', 'sunflower', 'captain', 'marvel', 'the', 'how'];

function corpus(seed: number, size: number): Document[] {
  const rng = seededRng(seed);
  const text = (n: number) => Array.from({ length: n }, () => VOCAB[rng.int(VOCAB.length)]).join(rng.int(5) === 0 ? '. ' : ' ');
  return Array.from({ length: size }, (_, i) => ({ id: i, title: text(1 + rng.int(4)), body: text(rng.int(12)) }));
}

function scores(index: SearchIndex, q: string, strategy: 'last' | 'all'): Map<unknown, string> {
  const res = index.search(searchQuery({ q, limit: 1000, matchingStrategy: strategy, showRankingScore: true, showRankingScoreDetails: true }), 'i');
  return new Map(res.hits.map((h) => [h.id, JSON.stringify([h._rankingScore, h._rankingScoreDetails])]));
}

test('the same document scores the same in any index that holds it', () => {
  const queries = ['dragon', 'train dragon', 'sun flower', 'sunflower', 'dragn world', 'hidden wor', '"hidden world" train', 'captain marvl the', 'how to train'];
  for (let seed = 1; seed <= 6; seed++) {
    const docs = corpus(seed, 60);
    const rng = seededRng(seed * 101);
    const shard = docs.filter(() => rng.int(2) === 0);
    const settings = (s: Parameters<NonNullable<Parameters<typeof indexOf>[1]>>[0]) => {
      s.searchableAttributes = seed % 2 === 0 ? ['title', 'body'] : ['*'];
      s.synonyms = { marvel: ['wonder'] };
    };
    const whole = indexOf(docs, settings);
    const part = indexOf(shard, settings);
    for (const q of queries) {
      for (const strategy of ['last', 'all'] as const) {
        const a = scores(whole, q, strategy);
        const b = scores(part, q, strategy);
        for (const [id, detail] of b) assert.equal(a.get(id), detail, `seed ${seed} q=${q} ${strategy} id=${String(id)}`);
        for (const d of shard) if (a.has(d.id)) assert.ok(b.has(d.id), `seed ${seed} q=${q} id=${String(d.id)} lost in shard`);
      }
    }
  }
});
