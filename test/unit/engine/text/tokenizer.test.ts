// Goal: the tokenizer splits, normalizes and locates words like charabia does
// for Latin text, and its spans and positions are always consistent.
// Method: fixed examples for each rule, then fast-check properties over
// arbitrary strings (spans ascending and exact, byte offsets equal to
// Buffer's, positions strictly increasing, normalization idempotent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Tokenizer } from '../../../../engine/text/tokenizer.ts';
import { normalizeWord } from '../../../../engine/text/normalize.ts';

const plain = new Tokenizer({ separatorTokens: [], nonSeparatorTokens: [], dictionary: [], stopWords: [] });
const words = (t: Tokenizer, s: string) => t.tokenize(s).filter((x) => x.kind === 'word').map((x) => [x.lemma, x.position]);

test('soft separators advance by 1, hard ones by 8', () => {
  assert.deepEqual(words(plain, 'How to Train'), [['how', 0], ['to', 1], ['train', 2]]);
  assert.deepEqual(words(plain, 'dragon. world'), [['dragon', 0], ['world', 8]]);
  assert.deepEqual(words(plain, 'a; b! c? d\ne'), [['a', 0], ['b', 8], ['c', 16], ['d', 24], ['e', 32]]);
  assert.deepEqual(words(plain, 'a: b, c - d'), [['a', 0], ['b', 1], ['c', 2], ['d', 3]]);
  // Like milli, a leading separator moves the first word.
  assert.deepEqual(words(plain, ' a'), [['a', 1]]);
});

test('lower-cases and folds Latin diacritics only', () => {
  assert.deepEqual(words(plain, 'Gläss Élan CAFÉ'), [['glass', 0], ['elan', 1], ['cafe', 2]]);
  assert.equal(normalizeWord('Œuvre'), 'oeuvre');
  assert.equal(normalizeWord('й'), 'й');
});

test('apostrophes and underscores separate words', () => {
  assert.deepEqual(words(plain, "l'été foo_bar"), [['l', 0], ['ete', 1], ['foo', 2], ['bar', 3]]);
});

test('separatorTokens, nonSeparatorTokens and dictionary change the split', () => {
  const t = new Tokenizer({ separatorTokens: ['&'], nonSeparatorTokens: ['+', '#'], dictionary: ['j. r. r.'], stopWords: [] });
  assert.deepEqual(words(t, 'C++ #tag J. R. R. Tolkien rock&roll'), [['c++', 0], ['#tag', 1], ['j. r. r.', 2], ['tolkien', 3], ['rock', 4], ['roll', 5]]);
});

test('stop words are flagged, keep their position and are not indexed', () => {
  const t = new Tokenizer({ separatorTokens: [], nonSeparatorTokens: [], dictionary: [], stopWords: ['The'] });
  const tokens = t.tokenize('the dragon').filter((x) => x.kind === 'word');
  assert.deepEqual(tokens.map((x) => [x.lemma, x.stopWord, x.position]), [['the', true, 0], ['dragon', false, 1]]);
  assert.deepEqual(t.indexableWords('the dragon').map((x) => x.lemma), ['dragon']);
});

test('words over 250 bytes are not indexed; byte spans are UTF-8', () => {
  assert.deepEqual(plain.indexableWords(`${'a'.repeat(251)} ok`).map((x) => x.lemma), ['ok']);
  const [first, second] = plain.tokenize('Gläss dé').filter((x) => x.kind === 'word');
  assert.deepEqual([first!.byteStart, first!.byteEnd, second!.byteStart, second!.byteEnd], [0, 6, 7, 10]);
});

test('properties: spans tile the text, bytes match Buffer, positions increase, lemmas are normalized', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
      const tokens = plain.tokenize(text);
      let cursor = 0;
      let last = -1;
      for (const t of tokens) {
        assert.ok(t.charStart >= cursor, 'spans ascend');
        assert.equal(text.slice(t.charStart, t.charEnd), t.text);
        assert.equal(Buffer.byteLength(text.slice(0, t.charStart)), t.byteStart);
        assert.equal(Buffer.byteLength(t.text), t.byteEnd - t.byteStart);
        cursor = t.charEnd;
        if (t.kind === 'word') {
          assert.ok(t.position > last, 'positions increase');
          last = t.position;
          assert.equal(normalizeWord(t.lemma), t.lemma);
        }
      }
    }),
    { seed: 42, numRuns: 300 },
  );
});

test('the fast Latin scanner splits exactly like Intl.Segmenter', () => {
  const segmenter = new Intl.Segmenter('und', { granularity: 'word' });
  const reference = (text: string) =>
    [...segmenter.segment(text)].filter((s) => s.isWordLike).flatMap((s) => s.segment.split(/['\u2019_]/)).filter((w) => w.length > 0).map(normalizeWord);
  const alphabet = [...'ab zé9.,:;\'’_-!?\n·ÅΩж'];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (chars) => {
      const text = chars.join('');
      assert.deepEqual(plain.tokenize(text).filter((t) => t.kind === 'word').map((t) => t.lemma), reference(text));
    }),
    { seed: 7, numRuns: 500 },
  );
});
