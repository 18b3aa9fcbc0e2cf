// The sorted set of every indexed word, used to derive the words a query term
// stands for: exact prefixes and words within 1 or 2 typos (Damerau-Levenshtein
// with adjacent transpositions, like milli's Levenshtein automata).
// The sorted array is walked as an implicit trie: a node is a range of words
// sharing a prefix, so the edit-distance rows of a DFS are shared by every
// word below a prefix, and a subtree is pruned as soon as its row proves no
// word in it can match. Nothing is capped: a document matches a derivation
// whenever its own word is within the budget, whatever else the index holds,
// which keeps a document's match independent of the rest of the corpus.
// Typo counting follows milli: with a budget of 1 the first letter must be
// kept; with 2, a word whose first letter differs is accepted at one edit and
// counted as two typos.

export interface Derivation {
  word: string;
  typos: number;
}

/**
 * Bounds of the derivation cache: past either, it starts over. Query words
 * follow a Zipf law, so a few thousand entries catch most repeats; the word
 * bound keeps short prefixes (thousands of completions each) from pinning
 * memory.
 */
const CACHE_ENTRIES_MAX = 4_096;
const CACHE_WORDS_MAX = 200_000;

export class WordDictionary {
  private words: string[] = [];
  private readonly pending = new Set<string>();
  private readonly removed = new Set<string>();
  private members = new Set<string>();
  /**
   * derive() answers by (query, budget, prefix mode), valid while the word
   * set is unchanged: a derivation depends on the set alone, and the walk
   * costs in proportion to the vocabulary, which a node holding a fraction of
   * the documents barely shrinks, so a repeated query word is looked up.
   */
  private readonly cache = new Map<string, readonly Derivation[]>();
  private cachedWords = 0;

  add(word: string): void {
    if (this.members.has(word)) {
      this.removed.delete(word);
      return;
    }
    this.members.add(word);
    this.pending.add(word);
    this.forget();
  }

  delete(word: string): void {
    if (!this.members.has(word)) return;
    this.members.delete(word);
    if (!this.pending.delete(word)) this.removed.add(word);
    this.forget();
  }

  has(word: string): boolean {
    return this.members.has(word);
  }

  get size(): number {
    return this.members.size;
  }

  /** The sorted word list; pending writes are merged on first use after a change. */
  sorted(): readonly string[] {
    if (this.pending.size === 0 && this.removed.size === 0) return this.words;
    const kept = this.removed.size === 0 ? this.words : this.words.filter((w) => !this.removed.has(w));
    const added = [...this.pending].sort(compare);
    this.words = mergeSorted(kept, added);
    this.pending.clear();
    this.removed.clear();
    return this.words;
  }

  /** Every word starting with `prefix` (the prefix itself included when present). */
  withPrefix(prefix: string): string[] {
    const words = this.sorted();
    const lo = lowerBound(words, prefix);
    const out: string[] = [];
    for (let i = lo; i < words.length && words[i]!.startsWith(prefix); i++) out.push(words[i]!);
    return out;
  }

  /**
   * Words within `maxTypos` of `query` (as a prefix when `prefix`), with the
   * typo count milli would assign. The query word itself is included at 0.
   * The answer is shared with later calls: read it, never change it.
   */
  derive(query: string, maxTypos: number, prefix: boolean): readonly Derivation[] {
    const key = `${maxTypos}${prefix ? 'p' : 'w'}${query}`;
    const known = this.cache.get(key);
    if (known !== undefined) return known;
    const out = this.walk(query, maxTypos, prefix);
    if (this.cache.size >= CACHE_ENTRIES_MAX || this.cachedWords + out.length > CACHE_WORDS_MAX) this.forget();
    this.cache.set(key, out);
    this.cachedWords += out.length;
    return out;
  }

  private forget(): void {
    if (this.cache.size === 0) return;
    this.cache.clear();
    this.cachedWords = 0;
  }

  private walk(query: string, maxTypos: number, prefix: boolean): Derivation[] {
    if (maxTypos === 0) {
      if (prefix) return this.withPrefix(query).map((word) => ({ word, typos: 0 }));
      return this.has(query) ? [{ word: query, typos: 0 }] : [];
    }
    const words = this.sorted();
    const q = Int32Array.from(query, (ch) => ch.codePointAt(0)!);
    const first = q.length > 0 ? q[0]! : NO_CHAR;
    const w: Walk = { words, q, maxTypos, prefix, first, out: [], rows: [], mins: [] };
    const row0 = rowAt(w, 0);
    for (let j = 0; j <= q.length; j++) row0[j] = j;
    w.mins[0] = 0;
    if (maxTypos === 1 && first !== NO_CHAR) {
      // The first letter is fixed: only the range of words starting with it.
      const head = String.fromCodePoint(first);
      const lo = lowerBound(words, head);
      descend(w, lo, upperBoundPrefix(words, head, lo), 0, 0, NO_CHAR, NO_CHAR, Infinity);
    } else {
      descend(w, 0, words.length, 0, 0, NO_CHAR, NO_CHAR, Infinity);
    }
    return w.out;
  }
}

/** No code point: the path is empty, or the query is. */
const NO_CHAR = -1;

interface Walk {
  words: readonly string[];
  /** The query's code points. */
  q: Int32Array;
  maxTypos: number;
  prefix: boolean;
  /** The query's first code point. */
  first: number;
  out: Derivation[];
  /** Edit-distance rows by path length in code points, reused across the walk. */
  rows: Int32Array[];
  /** The smallest value of each row. */
  mins: number[];
}

function rowAt(w: Walk, level: number): Int32Array {
  let row = w.rows[level];
  if (row === undefined) {
    row = new Int32Array(w.q.length + 1);
    w.rows[level] = row;
  }
  return row;
}

/**
 * DFS over the words in [lo, hi), which all share the path of `depth` code
 * units and `level` code points (the words' common prefix). rows[level] is
 * the edit-distance row of the path against the query, rows[level - 1] the
 * row before it (for transpositions); `pathFirst` and `last` are the path's
 * first and last code points; `best` is the smallest distance of the query to
 * any prefix of the path (prefix mode).
 */
function descend(w: Walk, lo: number, hi: number, depth: number, level: number, pathFirst: number, last: number, best: number): void {
  // With a budget of 2, a word whose first letter differs may only use one edit.
  const limit = w.maxTypos === 2 && w.first !== NO_CHAR && pathFirst !== NO_CHAR && pathFirst !== w.first ? 1 : w.maxTypos;
  const row = w.rows[level]!;
  const rowMin = w.mins[level]!;
  const n = w.q.length;
  if (w.prefix && best <= limit && rowMin >= best) {
    // No deeper prefix can do better: the whole range matches at `best`.
    for (let i = lo; i < hi; i++) emit(w, w.words[i]!, best);
    return;
  }
  if (rowMin > limit && !(w.prefix && best <= limit)) return;
  let i = lo;
  if (i < hi && w.words[i]!.length === depth) {
    const distance = w.prefix ? Math.min(best, row[n]!) : row[n]!;
    if (distance <= limit) emit(w, w.words[i]!, distance);
    i++;
  }
  const next = rowAt(w, level + 1);
  const prev = level > 0 ? w.rows[level - 1]! : null;
  while (i < hi) {
    const word = w.words[i]!;
    const cp = word.codePointAt(depth)!;
    const width = cp > 0xffff ? 2 : 1;
    const end = runEnd(w.words, depth, word.charCodeAt(depth), width === 2 ? word.charCodeAt(depth + 1) : NO_CHAR, i + 1, hi);
    w.mins[level + 1] = step(w.q, row, prev, next, cp, last);
    const nextBest = w.prefix ? Math.min(best, next[n]!) : best;
    descend(w, i, end, depth + width, level + 1, level === 0 ? cp : pathFirst, cp, nextBest);
    i = end;
  }
}

function emit(w: Walk, word: string, distance: number): void {
  const typos = w.maxTypos === 2 && w.first !== NO_CHAR && word.codePointAt(0) !== w.first ? 2 : distance;
  w.out.push({ word, typos });
}

/**
 * Writes into `next` the DP row of the optimal-string-alignment distance for
 * the path extended by `ch` (`prevCh` its previous code point) and returns
 * the row's minimum.
 */
function step(q: Int32Array, row: Int32Array, prev: Int32Array | null, next: Int32Array, ch: number, prevCh: number): number {
  let min = row[0]! + 1;
  next[0] = min;
  for (let j = 1; j <= q.length; j++) {
    const cost = q[j - 1] === ch ? 0 : 1;
    let v = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + cost);
    if (prev !== null && j > 1 && q[j - 1] === prevCh && q[j - 2] === ch) v = Math.min(v, prev[j - 2]! + 1);
    next[j] = v;
    if (v < min) min = v;
  }
  return min;
}

/**
 * The end of the run of words in [lo, hi) whose code point at `depth` (code
 * units `unit`, and `low` when it is a surrogate pair) is the one of the word
 * just before `lo`: the words share the prefix up to `depth` and are sorted,
 * so the run is contiguous and found by bisection.
 */
function runEnd(words: readonly string[], depth: number, unit: number, low: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const w = words[mid]!;
    const u = w.charCodeAt(depth);
    const inRun = u < unit || (u === unit && (low === NO_CHAR || w.charCodeAt(depth + 1) <= low));
    if (inRun) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = new Array(a.length + b.length);
  let i = 0, j = 0, k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

function lowerBound(words: readonly string[], key: string, lo = 0, hi = words.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (words[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [lo, hi) whose word does not start with `prefix` (words there are sorted). */
function upperBoundPrefix(words: readonly string[], prefix: string, lo: number, hi = words.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const w = words[mid]!;
    if (w.startsWith(prefix) || w < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
