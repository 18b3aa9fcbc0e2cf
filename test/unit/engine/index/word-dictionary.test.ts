// Goal: typo and prefix derivation finds exactly the words milli's automata
// would (uncapped), with milli's typo counts.
// Method: compare WordDictionary.derive against a brute-force oracle (an
// optimal-string-alignment distance over every word, with milli's first-letter
// rule) on seeded random vocabularies over a small alphabet, so near misses
// are frequent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WordDictionary } from '../../../../engine/index/word-dictionary.ts';
import { seededRng } from '../../../../runtime/env/rng.ts';

/** The distance over code points (a, b as arrays), so astral characters count as one letter. */
function osa(a: string | readonly string[], b: string | readonly string[]): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

function oracle(words: string[], query: string, maxTypos: number, prefix: boolean): Map<string, number> {
  const out = new Map<string, number>();
  const q = [...query];
  for (const word of words) {
    const w = [...word];
    const distance = prefix ? Math.min(...Array.from({ length: w.length + 1 }, (_, k) => osa(q, w.slice(0, k)))) : osa(q, w);
    const sameFirst = w[0] === q[0];
    if (maxTypos === 0 && distance === 0) out.set(word, 0);
    else if (maxTypos === 1 && sameFirst && distance <= 1) out.set(word, distance);
    else if (maxTypos === 2 && sameFirst && distance <= 2) out.set(word, distance);
    else if (maxTypos === 2 && !sameFirst && distance <= 1) out.set(word, 2);
  }
  return out;
}

function checkAgainstOracle(seed: number, alphabet: readonly string[], rounds: number): void {
  const rng = seededRng(seed);
  const word = () => Array.from({ length: 1 + rng.int(7) }, () => alphabet[rng.int(alphabet.length)]).join('');
  for (let round = 0; round < rounds; round++) {
    const dict = new WordDictionary();
    const words = [...new Set(Array.from({ length: 80 }, word))];
    for (const w of words) dict.add(w);
    for (let k = 0; k < 10; k++) {
      const q = word();
      for (const maxTypos of [0, 1, 2]) {
        for (const prefix of [false, true]) {
          const got = new Map(dict.derive(q, maxTypos, prefix).map((d) => [d.word, d.typos]));
          assert.deepEqual(got, oracle(words, q, maxTypos, prefix), `q=${q} typos=${maxTypos} prefix=${prefix}`);
        }
      }
    }
  }
}

test('derive matches the brute-force oracle', () => {
  checkAgainstOracle(7, ['a', 'b', 'c', 'd'], 40);
});

test('derive counts code points: accented and astral letters are one letter each', () => {
  // Surrogate pairs sharing their high half (😀 😁) and letters around them in
  // UTF-16 order make runs the walk must split on the full code point.
  checkAgainstOracle(11, ['a', 'é', '😀', '😁', '\uffee'], 30);
});

test('a derivation is remembered until the word set changes', () => {
  const dict = new WordDictionary();
  for (const w of ['dragon', 'dragons', 'wagon']) dict.add(w);
  const words = (q: string, typos: number, prefix: boolean) => dict.derive(q, typos, prefix).map((d) => `${d.word}:${d.typos}`);
  assert.deepEqual(words('dragom', 1, false), ['dragon:1']);
  assert.equal(dict.derive('dragom', 1, false), dict.derive('dragom', 1, false), 'a repeated query is answered from memory');
  assert.deepEqual(words('dragom', 1, true), ['dragon:1', 'dragons:1'], 'the prefix mode is its own entry');
  dict.add('dragoman');
  assert.deepEqual(words('dragom', 1, false), ['dragon:1'], 'an added word that does not match');
  assert.deepEqual(words('dragom', 1, true), ['dragoman:0', 'dragon:1', 'dragons:1'], 'an added word is found');
  dict.delete('dragon');
  assert.deepEqual(words('dragom', 1, false), [], 'a deleted word is gone');
  assert.deepEqual(words('dragom', 0, true), ['dragoman:0']);
  dict.add('dragon');
  assert.deepEqual(words('dragom', 1, false), ['dragon:1'], 'a word added back is found again');
});

test('deleted words disappear and the sorted view stays sorted', () => {
  const dict = new WordDictionary();
  for (const w of ['dragon', 'drag', 'train', 'trains']) dict.add(w);
  dict.delete('drag');
  dict.add('dram');
  assert.deepEqual(dict.sorted(), ['dragon', 'dram', 'train', 'trains']);
  assert.deepEqual(dict.withPrefix('dra'), ['dragon', 'dram']);
  assert.equal(dict.has('drag'), false);
});
