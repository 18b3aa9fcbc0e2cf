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
  /** Word → the query term it stands for, to count distinct matched terms when cropping. */
  ids: Map<string, number>;
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
 * Keeps `cropLength` words around the best interval of matches and adds the
 * marker where text was cut; highlights when `tags` is given. Follows milli's
 * matches/mod.rs: the best interval maximizes distinct matched query words,
 * then closeness, then order; the window then grows from the matches one
 * token at a time, words first on the left, soft separators before hard.
 */
export function crop(text: string, tokenizer: Tokenizer, words: MatchWords, cropLength: number, marker: string, tags: Tags | null): string {
  const tokens = tokenizer.tokenize(text);
  const located = locateMatches(tokens, words);
  if (cropLength === 0) return renderRange(text, 0, text.length, located.map((m) => m.match), tags);
  const interval = bestInterval(located, cropLength);
  const [from, to] = cropBounds(text, tokens, interval, cropLength);
  const before = from > 0 ? marker : '';
  const after = to < text.length ? marker : '';
  return before + renderRange(text, from, to, interval.map((m) => m.match), tags) + after;
}

interface LocatedMatch {
  match: TokenMatch;
  tokenIndex: number;
  wordPosition: number;
  id: number;
}

function locateMatches(tokens: TextToken[], words: MatchWords): LocatedMatch[] {
  const out: LocatedMatch[] = [];
  let wordPosition = -1;
  tokens.forEach((token, tokenIndex) => {
    if (token.kind !== 'word') return;
    wordPosition++;
    const match = matchToken(token, words);
    if (match) out.push({ match, tokenIndex, wordPosition, id: words.ids.get(token.lemma) ?? prefixId(token.lemma, words) });
  });
  return out;
}

function prefixId(lemma: string, words: MatchWords): number {
  const i = words.prefixes.findIndex((p) => lemma.startsWith(p));
  return words.ids.get(words.prefixes[i] ?? '') ?? 1_000_000 + i;
}

function intervalScore(ms: LocatedMatch[]): [number, number, number] {
  let order = 0;
  let distance = 0;
  for (let i = 0; i + 1 < ms.length; i++) {
    if (ms[i + 1]!.id > ms[i]!.id) order++;
    distance -= Math.min(ms[i + 1]!.wordPosition - ms[i]!.wordPosition, 7);
  }
  return [new Set(ms.map((m) => m.id)).size, distance, order];
}

function better(a: [number, number, number], b: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}

function bestInterval(ms: LocatedMatch[], cropSize: number): LocatedMatch[] {
  if (ms.length <= 1) return ms;
  let best: [number, number] = [0, 0];
  let bestScore = intervalScore(ms.slice(0, 1));
  let first = 0;
  let last = 0;
  for (let i = 1; i < ms.length; i++) {
    if (ms[i]!.wordPosition - ms[first]!.wordPosition >= cropSize) {
      const score = intervalScore(ms.slice(first, last + 1));
      if (better(score, bestScore)) {
        best = [first, last];
        bestScore = score;
      }
      while (ms[i]!.wordPosition - ms[first]!.wordPosition >= cropSize) first++;
    }
    last = i;
  }
  if (better(intervalScore(ms.slice(first, last + 1)), bestScore)) best = [first, last];
  return ms.slice(best[0], best[1] + 1);
}

/** The [start, end) character bounds of the crop window (milli `crop_bounds`). */
function cropBounds(text: string, tokens: TextToken[], ms: LocatedMatch[], cropSize: number): [number, number] {
  const firstWord = ms[0]?.wordPosition ?? 0;
  const lastWord = ms[ms.length - 1]?.wordPosition ?? 0;
  let before = (ms[0]?.tokenIndex ?? 0) - 1;
  let after = ms[ms.length - 1]?.tokenIndex ?? 0;
  let remaining = cropSize + firstWord - lastWord;
  const kind = (i: number): 'word' | 'soft' | 'hard' | null => {
    const t = tokens[i];
    if (!t) return null;
    return t.kind === 'word' ? 'word' : t.hard ? 'hard' : 'soft';
  };
  while (remaining > 0) {
    const b = kind(before);
    const a = kind(after);
    if (b === null && a === null) break;
    if (b !== null && a !== null) {
      if (b !== 'word' && a !== 'word') {
        if (b === a) {
          before--;
          if (remaining > 1) after++;
        } else if (b === 'hard') after++;
        else before--;
      } else if (b === 'word' && a !== 'word') {
        before--;
        remaining--;
      } else if (b !== 'word' && a === 'word') {
        after++;
        remaining--;
      } else {
        before--;
        remaining--;
        if (remaining > 0) {
          after++;
          remaining--;
        }
      }
    } else if (b !== null) {
      before--;
      if (b === 'word') remaining--;
    } else {
      after++;
      if (a === 'word') remaining--;
    }
  }
  const start = before >= 0 ? tokens[before]!.charEnd : 0;
  const end = after < tokens.length ? tokens[after]!.charStart : text.length;
  return [start, end];
}
