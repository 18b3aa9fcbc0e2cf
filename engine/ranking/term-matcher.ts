// Resolves the query graph's nodes against one index: the words and phrases
// each node stands for at each typo level (0, 1, 2), the documents matching
// each level (from postings, so proportional to the postings touched), and,
// for one document at a time, where each node occurs (from the forward index).
// Level 0 holds the word itself, its prefix completions and its synonyms;
// level 1 the one-typo words and the word split in two; level 2 the two-typo
// words. Derivations are never capped (see word-dictionary.ts).
import { Bitset } from '../core/bitset.ts';
import type { Settings } from '../core/settings.ts';
import type { DocTokens, InvertedIndex } from '../index/inverted-index.ts';
import type { QueryNode } from '../query/query-graph.ts';
import { isNumericWord } from '../query/typo-budget.ts';

/** A phrase as word ids; null holds the place of a stop word. */
export type IdPhrase = Array<number | null>;

export interface ResolvedNode {
  node: QueryNode;
  /** Per level: word id → whether it is a derived word (restricted to non-exact-only fields). */
  words: [Map<number, boolean>, Map<number, boolean>, Map<number, boolean>];
  phrases: [IdPhrase[], IdPhrase[], IdPhrase[]];
  /** The node's own word or phrase, when it is an exact term (never for n-grams). */
  exactWord: number | undefined;
  exactPhrase: IdPhrase | undefined;
  docs: [Bitset, Bitset, Bitset];
}

export interface Occurrence {
  slot: number;
  start: number;
  end: number;
}

/** Per node, per level, where the node occurs in one document. */
export type DocOccurrences = Array<[Occurrence[], Occurrence[], Occurrence[]]>;

export interface SlotFilter {
  /** Slots searched at all (attributesToSearchOn), null for all. */
  allowed: (slot: number) => boolean;
  mask: number;
}

export class TermMatcher {
  readonly resolved: ResolvedNode[];

  constructor(
    private readonly index: InvertedIndex,
    nodes: readonly QueryNode[],
    settings: Settings,
    private readonly filter: SlotFilter,
    capacity: number,
  ) {
    this.resolved = nodes.map((node) => this.resolve(node, settings, capacity));
  }

  private resolve(node: QueryNode, settings: Settings, capacity: number): ResolvedNode {
    const words: ResolvedNode['words'] = [new Map(), new Map(), new Map()];
    const phrases: ResolvedNode['phrases'] = [[], [], []];
    let exactWord: number | undefined;
    let exactPhrase: IdPhrase | undefined;
    if (node.kind === 'phrase') {
      const p = this.phraseIds(node.phrase ?? []);
      if (p) {
        phrases[0].push(p);
        exactPhrase = p;
      }
    } else {
      const own = this.index.wordId(node.word);
      if (own !== undefined) {
        words[0].set(own, node.isNgram);
        if (!node.isNgram) exactWord = own;
      }
      this.addDerivations(node, settings, words);
      for (const synonym of node.synonyms) {
        const p = this.phraseIds(synonym);
        if (p) phrases[0].push(p);
      }
      for (const split of this.splits(node)) phrases[1].push(split);
    }
    const docs: ResolvedNode['docs'] = [new Bitset(capacity), new Bitset(capacity), new Bitset(capacity)];
    for (let level = 0; level < 3; level++) this.collectDocs(words[level]!, phrases[level]!, docs[level]!);
    return { node, words, phrases, exactWord, exactPhrase, docs };
  }

  private addDerivations(node: QueryNode, settings: Settings, words: ResolvedNode['words']): void {
    const skipNumbers = settings.typoTolerance.disableOnNumbers;
    for (const d of this.index.dictionary.derive(node.word, node.maxTypos, node.isPrefix)) {
      if (d.word === node.word) continue;
      if (skipNumbers && isNumericWord(d.word)) continue;
      const id = this.index.wordId(d.word);
      if (id === undefined) continue;
      const level = Math.min(d.typos, 2);
      // A word reachable at several levels belongs to the cheapest.
      if ([0, 1, 2].some((l) => l < level && words[l]!.has(id))) continue;
      words[level]!.set(id, true);
    }
  }

  /**
   * Every split of the word into two indexed words. milli keeps only the split
   * most frequent in the index; keeping all of them makes a document's match
   * depend on the document alone.
   */
  private splits(node: QueryNode): IdPhrase[] {
    const out: IdPhrase[] = [];
    const chars = [...node.word];
    for (let i = 1; i < chars.length; i++) {
      const left = chars.slice(0, i).join('');
      const right = chars.slice(i).join('');
      const l = this.index.wordId(left);
      const r = this.index.wordId(right);
      if (l === undefined || r === undefined) continue;
      if (!this.index.dictionary.has(left) || !this.index.dictionary.has(right)) continue;
      out.push([l, r]);
    }
    return out;
  }

  private phraseIds(words: ReadonlyArray<string | null>): IdPhrase | null {
    const out: IdPhrase = [];
    for (const w of words) {
      if (w === null) {
        out.push(null);
        continue;
      }
      const id = this.index.wordId(w);
      if (id === undefined || !this.index.dictionary.has(w)) return null;
      out.push(id);
    }
    return out.some((x) => x !== null) ? out : null;
  }

  private collectDocs(words: Map<number, boolean>, phrases: IdPhrase[], into: Bitset): void {
    const derivedMask = this.filter.mask & this.index.derivedWordMask();
    for (const [id, derived] of words) {
      this.index.postings(this.index.word(id))?.collect(into, derived ? derivedMask : this.filter.mask);
    }
    for (const phrase of phrases) this.collectPhraseDocs(phrase, into);
  }

  private collectPhraseDocs(phrase: IdPhrase, into: Bitset): void {
    const ids = phrase.filter((x): x is number => x !== null);
    const lists = ids.map((id) => this.index.postings(this.index.word(id))!).sort((a, b) => a.size - b.size);
    const first = lists[0];
    if (!first) return;
    for (let i = 0; i < first.docs.length; i++) {
      const doc = first.docs[i]!;
      if ((first.masks[i]! & this.filter.mask) === 0) continue;
      const tokens = this.index.tokensOf(doc);
      if (tokens && phraseOccurrences(tokens, phrase, this.filter).length > 0) into.add(doc);
    }
  }

  /** Where every node occurs in `doc`, by level. */
  occurrences(doc: number): DocOccurrences {
    const out: DocOccurrences = this.resolved.map(() => [[], [], []]);
    const tokens = this.index.tokensOf(doc);
    if (!tokens) return out;
    const wanted = this.wordTable();
    for (let k = 0; k < tokens.words.length; k++) {
      const hits = wanted.get(tokens.words[k]!);
      if (!hits) continue;
      const slot = tokens.slots[k]!;
      if (!this.filter.allowed(slot)) continue;
      const position = tokens.positions[k]!;
      for (const hit of hits) {
        if (hit.derived && this.index.isExactOnlySlot(slot)) continue;
        out[hit.node]![hit.level]!.push({ slot, start: position, end: position });
      }
    }
    this.resolved.forEach((r, n) => {
      for (let level = 0; level < 3; level++) {
        for (const phrase of r.phrases[level]!) out[n]![level]!.push(...phraseOccurrences(tokens, phrase, this.filter));
      }
    });
    return out;
  }

  private table: Map<number, Array<{ node: number; level: number; derived: boolean }>> | null = null;

  private wordTable(): Map<number, Array<{ node: number; level: number; derived: boolean }>> {
    if (this.table) return this.table;
    const table = new Map<number, Array<{ node: number; level: number; derived: boolean }>>();
    this.resolved.forEach((r, node) => {
      r.words.forEach((map, level) => {
        for (const [id, derived] of map) {
          const list = table.get(id) ?? [];
          list.push({ node, level, derived });
          table.set(id, list);
        }
      });
    });
    this.table = table;
    return table;
  }
}

/** Occurrences of a phrase: its words at consecutive positions in one field. */
export function phraseOccurrences(tokens: DocTokens, phrase: IdPhrase, filter: SlotFilter): Occurrence[] {
  const firstIndex = phrase.findIndex((x) => x !== null);
  const firstWord = phrase[firstIndex]!;
  const out: Occurrence[] = [];
  const n = tokens.words.length;
  for (let k = 0; k < n; k++) {
    if (tokens.words[k] !== firstWord || !filter.allowed(tokens.slots[k]!)) continue;
    const slot = tokens.slots[k]!;
    const start = tokens.positions[k]! - firstIndex;
    if (start < 0) continue;
    if (matchesAt(tokens, phrase, slot, start, k)) out.push({ slot, start, end: start + phrase.length - 1 });
  }
  return out;
}

function matchesAt(tokens: DocTokens, phrase: IdPhrase, slot: number, start: number, from: number): boolean {
  for (let i = 0; i < phrase.length; i++) {
    const want = phrase[i];
    if (want === null || want === undefined) continue;
    const position = start + i;
    let found = false;
    // Tokens of one slot are in position order; search near `from`.
    for (let k = Math.max(0, from - phrase.length); k < tokens.words.length; k++) {
      if (tokens.slots[k] !== slot) continue;
      const p = tokens.positions[k]!;
      if (p > position) break;
      if (p === position && tokens.words[k] === want) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

