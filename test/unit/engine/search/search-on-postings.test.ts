// Goal: with `attributesToSearchOn` excluding a field, a keyword search ranks
// exactly as over documents that never had that field (under `*` every field
// weighs 0), both when the query's words never occur in the excluded field
// (the term matcher then answers from postings alone) and when they do (it
// reads each document's tokens). This is a cluster node's case: every field
// but `_miroir_shard` is searched.
// Method: seeded documents with title, body and a `shard` field; the same
// documents without `shard` in a second index; many queries (words that are
// also shard values or not, prefixes, typos, two words) compared hit for hit
// with ranking details.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRng } from '../../../../runtime/env/rng.ts';
import type { Document } from '../../../../engine/core/contracts.ts';
import { indexOf, searchQuery } from './search-fixture.ts';

const WORDS = ['red', 'rose', 'river', 'stone', 'seven', 'five', 'garden', 'gardens', 'light', 'night'];

test('searching on every field but one ranks as if that field were absent', () => {
  const rng = seededRng(11);
  const pick = () => WORDS[rng.int(WORDS.length)]!;
  const docs: Document[] = Array.from({ length: 300 }, (_, i) => ({
    id: i,
    title: Array.from({ length: 1 + rng.int(3) }, pick).join(' '),
    body: Array.from({ length: 3 + rng.int(8) }, pick).join(' '),
    // Some query words occur here: 'seven' and 'five' in a third of the documents.
    shard: rng.int(3) === 0 ? pick() : String(rng.int(64)),
  }));
  const withShard = indexOf(docs);
  const without = indexOf(docs.map(({ shard: _s, ...rest }) => rest));
  const queries = ['seven', 'five garden', 'gardn', 'ri', 'stone light', 'red rose river', 'nigth', '12', 'seven 5'];
  for (const q of queries) {
    const options = { q, limit: 50, showRankingScore: true, showRankingScoreDetails: true };
    const got = withShard.search(searchQuery({ ...options, attributesToSearchOn: ['id', 'title', 'body'] }), 'x');
    const want = without.search(searchQuery(options), 'x');
    assert.deepEqual(got.hits.map(({ shard: _s, ...hit }) => hit), want.hits, q);
    assert.equal(got.estimatedTotalHits, want.estimatedTotalHits, q);
  }
});
