// Goal: `q` becomes the located terms milli builds: phrases, exclusions,
// prefix only on a last word nothing follows, stop words dropped unless last,
// and typo budgets from word length and the typo settings.
// Method: fixed queries with their expected terms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings } from '../../../../api/protocol/settings/settings.ts';
import type { Settings } from '../../../../api/protocol/settings/settings.ts';
import { parseQuery } from '../../../../engine/query/parse-query.ts';
import { typoBudget } from '../../../../engine/query/typo-budget.ts';
import { Tokenizer } from '../../../../engine/text/tokenizer.ts';

function parse(q: string, settings: Settings = defaultSettings()) {
  return parseQuery(q, settings, new Tokenizer(settings));
}

test('words get positions, only the last word is a prefix', () => {
  const p = parse('train dragon');
  assert.deepEqual(p.terms, [
    { kind: 'word', word: 'train', isPrefix: false, maxTypos: 1, position: 0 },
    { kind: 'word', word: 'dragon', isPrefix: true, maxTypos: 1, position: 1 },
  ]);
  assert.equal(parse('dragon ').terms[0]!.kind === 'word' && (parse('dragon ').terms[0] as { isPrefix: boolean }).isPrefix, false);
  const s = defaultSettings();
  s.prefixSearch = 'disabled';
  assert.equal((parse('dragon', s).terms[0] as { isPrefix: boolean }).isPrefix, false);
});

test('phrases, negated words and negated phrases', () => {
  const p = parse('"hidden world" dragon -shazam -"captain marvel"');
  assert.deepEqual(p.terms[0], { kind: 'phrase', words: ['hidden', 'world'], start: 0, end: 1 });
  assert.equal(p.terms.length, 2);
  assert.deepEqual(p.negativeWords, ['shazam']);
  assert.deepEqual(p.negativePhrases, [['captain', 'marvel']]);
  // A dash inside a word is not a negation.
  assert.deepEqual(parse('e-mail').negativeWords, []);
});

test('stop words are dropped unless last, and keep their position', () => {
  const s = defaultSettings();
  s.stopWords = ['the'];
  const p = parse('the dragon', s);
  assert.deepEqual(p.terms.map((t) => (t.kind === 'word' ? [t.word, t.position] : null)), [['dragon', 1]]);
  assert.equal(parse('dragon the', s).terms.length, 2);
});

test('hard separators move query positions by 8', () => {
  const p = parse('dragon. world');
  assert.deepEqual(p.terms.map((t) => (t.kind === 'word' ? t.position : -1)), [0, 8]);
});

test('typo budget: length thresholds, disabled words, numbers and the switch', () => {
  const s = defaultSettings();
  assert.deepEqual(['cat', 'train', 'dragonfly'].map((w) => typoBudget(w, s)), [0, 1, 2]);
  s.typoTolerance.disableOnWords = ['Dragon'];
  assert.equal(typoBudget('dragon', s), 0);
  s.typoTolerance.disableOnNumbers = true;
  assert.equal(typoBudget('123456789', s), 0);
  s.typoTolerance.enabled = false;
  assert.equal(typoBudget('dragonfly', s), 0);
  const t = defaultSettings();
  t.typoTolerance.minWordSizeForTypos = { oneTypo: 2, twoTypos: 4 };
  assert.deepEqual(['a', 'ab', 'abcd'].map((w) => typoBudget(w, t)), [0, 1, 2]);
});
