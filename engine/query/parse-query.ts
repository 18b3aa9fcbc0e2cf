// Turns the `q` string into located query terms, following milli's
// `located_query_terms_from_tokens`: words and `"phrases"`, `-word` and
// `-"phrase"` exclusions, the prefix flag on the last word when nothing follows
// it, stop words dropped unless last, and per-word typo budgets.
// Positions advance like document positions (1 per soft separator, 8 per
// hard one), so query positions and document positions can be compared.
// Pure: the result depends only on the text and the settings.
import type { Settings } from '../../api/protocol/settings/settings.ts';
import type { Tokenizer } from '../text/tokenizer.ts';
import { typoBudget } from './typo-budget.ts';

/** At most this many tokens of `q` are read (milli MAX_TOKEN_COUNT). */
export const MAX_QUERY_TOKENS = 1000;

export interface WordTerm {
  kind: 'word';
  word: string;
  isPrefix: boolean;
  maxTypos: number;
  position: number;
}

export interface PhraseTerm {
  kind: 'phrase';
  /** The phrase's words; null marks a stop word, which only holds a position. */
  words: Array<string | null>;
  start: number;
  end: number;
}

export type BaseTerm = WordTerm | PhraseTerm;

export interface ParsedQuery {
  terms: BaseTerm[];
  negativeWords: string[];
  negativePhrases: Array<Array<string | null>>;
}

interface PhraseBuilder {
  words: Array<string | null>;
  start: number;
  end: number;
  negative: boolean;
}

export function parseQuery(q: string, settings: Settings, tokenizer: Tokenizer): ParsedQuery {
  const tokens = tokenizer.tokenize(q).slice(0, MAX_QUERY_TOKENS);
  const out: ParsedQuery = { terms: [], negativeWords: [], negativePhrases: [] };
  const allowPrefix = settings.prefixSearch !== 'disabled';
  let phrase: PhraseBuilder | null = null;
  let position = -1;
  let negativeNext = false;
  let afterWhitespace = true;

  const closePhrase = (p: PhraseBuilder): void => {
    if (p.words.length === 0 || p.words.every((w) => w === null)) return;
    if (p.negative) out.negativePhrases.push(p.words);
    else out.terms.push({ kind: 'phrase', words: p.words, start: p.start, end: p.end });
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.lemma.length === 0) continue;
    if (token.kind === 'word') {
      position += 1;
      const isLast = i === tokens.length - 1;
      if (phrase) {
        if (phrase.words.length === 0) phrase.start = position;
        phrase.end = position;
        phrase.words.push(token.stopWord ? null : token.lemma);
      } else if (negativeNext) {
        out.negativeWords.push(token.lemma);
        negativeNext = false;
      } else if (!isLast) {
        if (!token.stopWord) {
          out.terms.push({ kind: 'word', word: token.lemma, isPrefix: false, maxTypos: typoBudget(token.lemma, settings), position });
        }
      } else {
        out.terms.push({ kind: 'word', word: token.lemma, isPrefix: allowPrefix, maxTypos: typoBudget(token.lemma, settings), position });
      }
    } else {
      if (token.hard) position += 7;
      if (phrase && token.hard) {
        // A hard separator inside quotes closes the phrase and opens a new one.
        closePhrase(phrase);
        phrase = { words: [], start: -1, end: -1, negative: phrase.negative };
      }
      let quotes = [...token.lemma].filter((c) => c === '"').length;
      if (quotes > 0) {
        if (phrase) {
          quotes -= 1;
          closePhrase(phrase);
          phrase = null;
        }
        if (quotes % 2 === 1) {
          phrase = { words: [], start: -1, end: -1, negative: negativeNext };
          negativeNext = false;
        }
      }
      negativeNext = phrase === null && token.lemma === '-' && afterWhitespace;
    }
    afterWhitespace = /\s$/.test(token.text);
  }
  if (phrase) closePhrase(phrase);
  return out;
}
