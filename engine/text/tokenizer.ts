// Splits text into word and separator tokens the way Meilisearch's charabia
// does for Latin-like text: Intl.Segmenter finds word boundaries, the index's
// `dictionary`, `separatorTokens` and `nonSeparatorTokens` override them, and
// every word is normalized (normalize.ts).
// Positions: the first word is at 0; the next word is 1 further when only soft
// separators (or nothing) stand between them and 8 further when any hard
// separator does. Every token keeps its span in the original text in UTF-16
// units (for slicing) and in UTF-8 bytes (for `_matchesPosition`).
// Invariants: spans are ascending and non-overlapping; word positions strictly
// increase.
import { normalizeWord, utf8Length } from './normalize.ts';

export interface TokenizerConfig {
  separatorTokens: readonly string[];
  nonSeparatorTokens: readonly string[];
  dictionary: readonly string[];
  stopWords: readonly string[];
}

export interface TextToken {
  kind: 'word' | 'separator';
  /** The slice of the original text. */
  text: string;
  /** The normalized word; for a separator, its text. */
  lemma: string;
  /** Separators only: contains a hard separator. */
  hard: boolean;
  stopWord: boolean;
  /** Words only: the word position in the text; -1 for separators. */
  position: number;
  charStart: number;
  charEnd: number;
  byteStart: number;
  byteEnd: number;
}

/** Words longer than this many UTF-8 bytes are not indexed (milli MAX_WORD_LENGTH). */
export const MAX_WORD_BYTES = 250;
/** Positions above this are not indexed. */
export const MAX_POSITION = 65535;

const HARD_SEPARATOR = /[.!?;\n\r\u2026\u3002\uff01\uff1f\uff1b\u00a1\u00bf\u2029]/;

/** Text made only of these ranges is segmented by scanSimple. */
const SIMPLE_SCRIPT = /^[\u0000-\u058f\u1e00-\u1eff\u2000-\u206f]*$/;
const LETTER = /^[\p{L}\p{M}]$/u;
const DIGIT = /^\p{Nd}$/u;
const letterCache = new Int8Array(0x590);
const digitCache = new Int8Array(0x590);

function classify(c: number, cache: Int8Array, re: RegExp): boolean {
  if (c >= cache.length) return re.test(String.fromCharCode(c));
  const v = cache[c]!;
  if (v !== 0) return v > 0;
  const r = re.test(String.fromCharCode(c));
  cache[c] = r ? 1 : -1;
  return r;
}

function isLetter(c: number): boolean {
  return classify(c, letterCache, LETTER);
}

function isDigit(c: number): boolean {
  return classify(c, digitCache, DIGIT);
}

function isWordChar(c: number): boolean {
  return c === 0x5f || isLetter(c) || isDigit(c);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c || c === 0xa0 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f;
}

/** UAX #29 WB6/7 (MidLetter, MidNumLet between letters) and WB11/12 (MidNum, MidNumLet between digits). */
function joins(before: number, mid: number, after: number): boolean {
  const midNumLet = mid === 0x2e || mid === 0x27 || mid === 0x2019 || mid === 0x2018 || mid === 0x2024;
  if (isLetter(before) && isLetter(after)) return midNumLet || mid === 0x3a || mid === 0xb7 || mid === 0x387 || mid === 0x2027;
  if (isDigit(before) && isDigit(after)) return midNumLet || mid === 0x2c || mid === 0x3b || mid === 0x37e;
  return false;
}

interface Piece {
  start: number;
  end: number;
  kind: 'word' | 'separator' | 'glue';
}

export class Tokenizer {
  private readonly segmenter = new Intl.Segmenter('und', { granularity: 'word' });
  private readonly dictionary: string[];
  private readonly separators: string[];
  private readonly nonSeparators: Set<string>;
  private readonly stopWords: Set<string>;

  constructor(config: TokenizerConfig) {
    const longestFirst = (xs: readonly string[]) => [...new Set(xs.filter((x) => x.length > 0))].sort((a, b) => b.length - a.length);
    this.dictionary = longestFirst(config.dictionary.map((w) => w.toLowerCase()));
    this.separators = longestFirst(config.separatorTokens);
    this.nonSeparators = new Set(config.nonSeparatorTokens);
    this.stopWords = new Set(config.stopWords.map(normalizeWord));
  }

  tokenize(text: string): TextToken[] {
    const pieces = this.mergeGlue(this.pieces(text));
    return this.locate(text, pieces);
  }

  /** Word tokens that get indexed: positions within bounds, lemma not too long. */
  indexableWords(text: string): TextToken[] {
    return this.tokenize(text).filter(
      (t) => t.kind === 'word' && !t.stopWord && t.position <= MAX_POSITION && t.lemma.length > 0 && utf8Length(t.lemma) <= MAX_WORD_BYTES,
    );
  }

  isStopWord(lemma: string): boolean {
    return this.stopWords.has(lemma);
  }

  private pieces(text: string): Piece[] {
    const out: Piece[] = [];
    const lower = text.toLowerCase();
    const foldable = lower.length === text.length;
    let plainStart = 0;
    let i = 0;
    while (i < text.length) {
      const dict = foldable ? this.dictionary.find((w) => lower.startsWith(w, i)) : undefined;
      const sep = dict === undefined ? this.separators.find((s) => text.startsWith(s, i)) : undefined;
      const forced = dict ?? sep;
      if (forced === undefined) {
        i++;
        continue;
      }
      this.segment(text, plainStart, i, out);
      out.push({ start: i, end: i + forced.length, kind: dict !== undefined ? 'word' : 'separator' });
      i += forced.length;
      plainStart = i;
    }
    this.segment(text, plainStart, text.length, out);
    return out;
  }

  private segment(text: string, start: number, end: number, out: Piece[]): void {
    if (start >= end) return;
    const chunk = text.slice(start, end);
    if (SIMPLE_SCRIPT.test(chunk)) {
      this.scanSimple(text, start, end, out);
      return;
    }
    for (const s of this.segmenter.segment(chunk)) {
      const from = start + s.index;
      if (s.isWordLike) this.splitInner(text, from, from + s.segment.length, out);
      else this.pushSeparatorRun(text, from, from + s.segment.length, out);
    }
  }

  /**
   * The UAX #29 word rules Intl.Segmenter applies, for text in scripts where
   * they are all that matters (Latin, Greek, Cyrillic…): letters, digits and
   * marks form words; `.` `'` `’` `:` `·` join two letters, and `.` `,` `;`
   * `'` join two digits. Ten times faster than the segmenter, and checked
   * against it by a property test.
   */
  private scanSimple(text: string, start: number, end: number, out: Piece[]): void {
    let i = start;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (isWordChar(c)) {
        let j = i + 1;
        for (;;) {
          if (j < end && isWordChar(text.charCodeAt(j))) {
            j++;
            continue;
          }
          if (j + 1 < end && joins(text.charCodeAt(j - 1), text.charCodeAt(j), text.charCodeAt(j + 1))) {
            j += 2;
            continue;
          }
          break;
        }
        this.splitInner(text, i, j, out);
        i = j;
      } else if (isSpace(c)) {
        let j = i + 1;
        while (j < end && isSpace(text.charCodeAt(j))) j++;
        this.pushSeparatorRun(text, i, j, out);
        i = j;
      } else {
        this.pushSeparatorRun(text, i, i + 1, out);
        i++;
      }
    }
  }

  /** Splits a segmenter word on apostrophes (' ’) and underscores, which charabia treats as separators. */
  private splitInner(text: string, start: number, end: number, out: Piece[]): void {
    let wordStart = start;
    for (let i = start; i < end; i++) {
      const code = text.charCodeAt(i);
      if (code !== 0x27 && code !== 0x2019 && code !== 0x5f) continue;
      if (this.nonSeparators.size > 0 && this.nonSeparators.has(text[i]!)) continue;
      if (i > wordStart) out.push({ start: wordStart, end: i, kind: 'word' });
      out.push({ start: i, end: i + 1, kind: 'separator' });
      wordStart = i + 1;
    }
    if (end > wordStart) out.push({ start: wordStart, end, kind: 'word' });
  }

  /** A non-word segment: characters listed in nonSeparatorTokens become glue that joins words. */
  private pushSeparatorRun(text: string, start: number, end: number, out: Piece[]): void {
    const segment = text.slice(start, end);
    if (this.nonSeparators.size > 0 && this.nonSeparators.has(segment)) {
      out.push({ start, end, kind: 'glue' });
      return;
    }
    out.push({ start, end, kind: 'separator' });
  }

  /** Contiguous runs of words and glue become one word. */
  private mergeGlue(pieces: Piece[]): Piece[] {
    const out: Piece[] = [];
    for (const p of pieces) {
      const last = out[out.length - 1];
      const joinable = p.kind !== 'separator';
      if (joinable && last !== undefined && last.kind === 'word' && last.end === p.start) {
        last.end = p.end;
      } else {
        out.push({ start: p.start, end: p.end, kind: joinable ? 'word' : 'separator' });
      }
    }
    return out;
  }

  private locate(text: string, pieces: Piece[]): TextToken[] {
    const tokens: TextToken[] = [];
    let byte = 0;
    let cursor = 0;
    // Like milli's extractor: the first word is at 0 only when nothing precedes it.
    let position = 0;
    let gap: 'none' | 'soft' | 'hard' | 'start' = 'start';
    for (const p of pieces) {
      byte += utf8Length(text.slice(cursor, p.start));
      const slice = text.slice(p.start, p.end);
      const bytes = utf8Length(slice);
      cursor = p.end;
      if (p.kind === 'separator') {
        const hard = HARD_SEPARATOR.test(slice);
        if (hard) gap = 'hard';
        else if (gap !== 'hard') gap = 'soft';
        tokens.push({ kind: 'separator', text: slice, lemma: slice, hard, stopWord: false, position: -1, charStart: p.start, charEnd: p.end, byteStart: byte, byteEnd: byte + bytes });
      } else {
        const lemma = normalizeWord(slice);
        position = gap === 'start' ? 0 : position + (gap === 'hard' ? 8 : 1);
        gap = 'none';
        tokens.push({ kind: 'word', text: slice, lemma, hard: false, stopWord: this.stopWords.has(lemma), position, charStart: p.start, charEnd: p.end, byteStart: byte, byteEnd: byte + bytes });
      }
      byte += bytes;
    }
    return tokens;
  }
}
