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

export class WordDictionary {
  private words: string[] = [];
  private readonly pending = new Set<string>();
  private readonly removed = new Set<string>();
  private members = new Set<string>();

  add(word: string): void {
    if (this.members.has(word)) {
      this.removed.delete(word);
      return;
    }
    this.members.add(word);
    this.pending.add(word);
  }

  delete(word: string): void {
    if (!this.members.has(word)) return;
    this.members.delete(word);
    if (!this.pending.delete(word)) this.removed.add(word);
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
   */
  derive(query: string, maxTypos: number, prefix: boolean): Derivation[] {
    const q = [...query];
    if (maxTypos === 0) {
      if (prefix) return this.withPrefix(query).map((word) => ({ word, typos: 0 }));
      return this.has(query) ? [{ word: query, typos: 0 }] : [];
    }
    const words = this.sorted();
    const out: Derivation[] = [];
    const first = q[0] ?? '';
    const row0 = Array.from({ length: q.length + 1 }, (_, i) => i);
    const walk: Walk = { words, q, maxTypos, prefix, first, out };
    if (maxTypos === 1) {
      // The first letter is fixed: only the range of words starting with it.
      const lo = lowerBound(words, first);
      const hi = upperBoundPrefix(words, first, lo);
      descend(walk, lo, hi, 0, row0, null, '', Infinity);
    } else {
      descend(walk, 0, words.length, 0, row0, null, '', Infinity);
    }
    return out;
  }
}

interface Walk {
  words: readonly string[];
  q: string[];
  maxTypos: number;
  prefix: boolean;
  first: string;
  out: Derivation[];
}

/**
 * DFS over the words in [lo, hi), which all share `path` (of `depth` code
 * units). `row` is the edit-distance row of `path` against the query, `prev`
 * the row before it (for transpositions), `best` the smallest distance of the
 * query to any prefix of `path` (prefix mode).
 */
function descend(w: Walk, lo: number, hi: number, depth: number, row: number[], prev: number[] | null, path: string, best: number): void {
  const limit = limitFor(w, path);
  const rowMin = Math.min(...row);
  if (w.prefix && best <= limit && rowMin >= best) {
    // No deeper prefix can do better: the whole range matches at `best`.
    for (let i = lo; i < hi; i++) emit(w, w.words[i]!, best);
    return;
  }
  if (rowMin > limit && !(w.prefix && best <= limit)) return;
  let i = lo;
  if (i < hi && w.words[i]!.length === depth) {
    const distance = w.prefix ? Math.min(best, row[w.q.length]!) : row[w.q.length]!;
    if (distance <= limit) emit(w, w.words[i]!, distance);
    i++;
  }
  while (i < hi) {
    const word = w.words[i]!;
    const cp = word.codePointAt(depth)!;
    const ch = String.fromCodePoint(cp);
    const nextPath = path + ch;
    const end = upperBoundPrefix(w.words, nextPath, i, hi);
    const nextRow = step(w.q, row, prev, ch, path.length === 0 ? '' : lastChar(path));
    const nextBest = w.prefix ? Math.min(best, nextRow[w.q.length]!) : best;
    descend(w, i, end, depth + ch.length, nextRow, row, nextPath, nextBest);
    i = end;
  }
}

/** With a budget of 2, a word whose first letter differs may only use one edit. */
function limitFor(w: Walk, path: string): number {
  if (w.maxTypos === 2 && path.length > 0 && !path.startsWith(w.first)) return 1;
  return w.maxTypos;
}

function emit(w: Walk, word: string, distance: number): void {
  const typos = w.maxTypos === 2 && !word.startsWith(w.first) ? 2 : distance;
  w.out.push({ word, typos });
}

/** One DP row of the optimal-string-alignment distance, appending `ch` to the word. */
function step(q: string[], row: number[], prev: number[] | null, ch: string, prevCh: string): number[] {
  const next = new Array<number>(q.length + 1);
  next[0] = row[0]! + 1;
  for (let j = 1; j <= q.length; j++) {
    const cost = q[j - 1] === ch ? 0 : 1;
    let v = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + cost);
    if (prev && j > 1 && q[j - 1] === prevCh && q[j - 2] === ch) v = Math.min(v, prev[j - 2]! + 1);
    next[j] = v;
  }
  return next;
}

function lastChar(s: string): string {
  const chars = [...s];
  return chars[chars.length - 1] ?? '';
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
