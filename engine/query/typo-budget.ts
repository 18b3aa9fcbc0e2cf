// How many typos a query word may carry (milli `number_of_typos_allowed`):
// 0 when typo tolerance is off, the word is shorter than `oneTypo` characters,
// listed in `disableOnWords`, or (with `disableOnNumbers`) made only of digits
// and punctuation; 1 below `twoTypos` characters; 2 otherwise.
import type { Settings } from '../../api/protocol/settings/settings.ts';
import { normalizeWord } from '../text/normalize.ts';

const NUMERIC = /^[\p{Nd}\p{P}]+$/u;

export function isNumericWord(word: string): boolean {
  return NUMERIC.test(word) && /\p{Nd}/u.test(word);
}

export function typoBudget(word: string, settings: Settings): number {
  const typo = settings.typoTolerance;
  const chars = [...word].length;
  if (!typo.enabled || chars < typo.minWordSizeForTypos.oneTypo) return 0;
  if (typo.disableOnWords.some((w) => normalizeWord(w) === word)) return 0;
  if (typo.disableOnNumbers && isNumericWord(word)) return 0;
  return chars < typo.minWordSizeForTypos.twoTypos ? 1 : 2;
}
