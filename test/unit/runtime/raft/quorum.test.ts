// Goal: majority arithmetic is exact (STYLE G20: optimized code against a
// naive oracle). Method: random voter sets, match indexes and votes from a
// seeded Rng, compared with brute-force definitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRng } from '../../../../runtime/env/rng.ts';
import { committedIndex, hasQuorum, voteResult } from '../../../../runtime/raft/quorum.ts';

const rng = seededRng(99);

function voters(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `p${i}`);
}

test('committedIndex is the largest index a majority has matched (brute force)', () => {
  for (let round = 0; round < 500; round++) {
    const ids = voters(1 + rng.int(7));
    const progress = new Map(ids.map((id) => [id, { match: rng.int(20) }]));
    let want = 0;
    for (let i = 0; i <= 20; i++) {
      const count = ids.filter((id) => progress.get(id)!.match >= i).length;
      if (count * 2 > ids.length) want = i;
    }
    assert.equal(committedIndex(ids, progress), want);
  }
  assert.equal(committedIndex([], new Map()), 0);
});

test('voteResult: won with a majority of grants, lost once a majority is impossible, else pending', () => {
  for (let round = 0; round < 500; round++) {
    const ids = voters(1 + rng.int(7));
    const votes = new Map<string, boolean>();
    for (const id of ids) {
      const r = rng.int(3);
      if (r < 2) votes.set(id, r === 0);
    }
    const granted = ids.filter((id) => votes.get(id) === true).length;
    const undecided = ids.filter((id) => !votes.has(id)).length;
    const want = granted * 2 > ids.length ? 'won' : (granted + undecided) * 2 > ids.length ? 'pending' : 'lost';
    assert.equal(voteResult(ids, votes), want);
  }
});

test('hasQuorum counts only voters', () => {
  assert.equal(hasQuorum(['a', 'b', 'c'], new Set(['a', 'x', 'y'])), false);
  assert.equal(hasQuorum(['a', 'b', 'c'], new Set(['a', 'c'])), true);
  assert.equal(hasQuorum(['a', 'b', 'c', 'd'], new Set(['a', 'c'])), false);
});
