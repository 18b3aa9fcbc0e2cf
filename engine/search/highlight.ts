// Which words of a text match the query, for `_formatted` and
// `_matchesPosition`: a token matches fully when its normalized word is one
// the query resolved to (the word itself, a typo or synonym derivation, a
// phrase word), and partially when it only completes the query's last word
// as a prefix, in which case only the typed prefix is highlighted.
// Also highlighting and cropping of one string. Pure given the matcher.
import type { TextToken, Tokenizer } from '../text/tokenizer.ts';
import { utf8Length } from '../text/normalize.ts';

export interface MatchWords {
  full: Set<string>;
  prefixes: string[];
}

export interface TokenMatch {
  token: TextToken;
  /** UTF-16 length of the highlighted part from the token start. */
  chars: number;
}

export function matchToken(token: TextToken, words: MatchWords): TokenMatch | null {
  if (token.kind !== 'word') return null;
  for (const p of words.prefixes) {
    if (token.lemma !== p && token.lemma.startsWith(p) && !words.full.has(token.lemma)) {
      return { token, chars: Math.min(token.text.length, [...p].length) };
    }
  }
  if (words.full.has(token.lemma)) return { token, chars: token.text.length };
  for (const p of words.prefixes) if (token.lemma.startsWith(p)) return { token, chars: token.text.length };
  return null;
}

export function matchesIn(text: string, tokenizer: Tokenizer, words: MatchWords): TokenMatch[] {
  const out: TokenMatch[] = [];
  for (const token of tokenizer.tokenize(text)) {
    const m = matchToken(token, words);
    if (m) out.push(m);
  }
  return out;
}

/** `{start, length}` in UTF-8 bytes of each match. */
export function bytePositions(text: string, matches: TokenMatch[]): Array<{ start: number; length: number }> {
  return matches.map((m) => ({ start: m.token.byteStart, length: utf8Length(text.slice(m.token.charStart, m.token.charStart + m.chars)) }));
}

export interface Tags {
  pre: string;
  post: string;
}

function renderRange(text: string, from: number, to: number, matches: TokenMatch[], tags: Tags | null): string {
  if (!tags) return text.slice(from, to);
  let out = '';
  let cursor = from;
  for (const m of matches) {
    const start = m.token.charStart;
    const end = start + m.chars;
    if (start < from || end > to) continue;
    out += text.slice(cursor, start) + tags.pre + text.slice(start, end) + tags.post;
    cursor = end;
  }
  return out + text.slice(cursor, to);
}

export function highlight(text: string, tokenizer: Tokenizer, words: MatchWords, tags: Tags): string {
  return renderRange(text, 0, text.length, matchesIn(text, tokenizer, words), tags);
}

/**
 * Keeps `cropLength` words around the best window of matches (the window of
 * that many words holding the most distinct matched words, earliest first),
 * adds the marker where text was cut, and highlights when `tags` is given.
 */
export function crop(text: string, tokenizer: Tokenizer, words: MatchWords, cropLength: number, marker: string, tags: Tags | null): string {
  const tokens = tokenizer.tokenize(text);
  const wordTokens = tokens.filter((t) => t.kind === 'word');
  const matches = tokens.map((t) => matchToken(t, words)).filter((m): m is TokenMatch => m !== null);
  if (wordTokens.length === 0) return renderRange(text, 0, text.length, matches, tags);
  if (cropLength === 0) return marker;
  const first = bestWindowStart(wordTokens, words, cropLength);
  const last = Math.min(wordTokens.length, first + cropLength) - 1;
  const from = wordTokens[first]!.charStart;
  const to = wordTokens[last]!.charEnd;
  const before = first > 0 ? marker : '';
  const after = last < wordTokens.length - 1 ? marker : '';
  return before + renderRange(text, from, to, matches, tags) + after;
}

function bestWindowStart(wordTokens: TextToken[], words: MatchWords, cropLength: number): number {
  const matched = wordTokens.map((t) => (matchToken(t, words) ? t.lemma : null));
  const firstMatch = matched.findIndex((m) => m !== null);
  if (firstMatch < 0) return 0;
  let bestStart = 0;
  let bestCount = -1;
  for (let start = 0; start <= Math.max(0, wordTokens.length - 1); start++) {
    const window = new Set(matched.slice(start, start + cropLength).filter((m): m is string => m !== null));
    if (window.size > bestCount) {
      bestCount = window.size;
      bestStart = start;
    }
  }
  // Center the matches: move the window back so the words around the first
  // match are split evenly before and after it.
  const windowMatches = matched.slice(bestStart, bestStart + cropLength);
  const firstInWindow = bestStart + Math.max(0, windowMatches.findIndex((m) => m !== null));
  const lastInWindow = bestStart + windowMatches.length - 1 - [...windowMatches].reverse().findIndex((m) => m !== null);
  const span = lastInWindow - firstInWindow + 1;
  const spare = Math.max(0, cropLength - span);
  const start = Math.max(0, firstInWindow - Math.floor(spare / 2));
  return Math.max(0, Math.min(start, wordTokens.length - cropLength));
}
