// The word index of one Meilisearch index: word → postings (documents and
// field masks), the sorted word dictionary for prefix and typo derivation, and
// a forward index per document (each indexed word with its field slot and
// position) that ranking reads to compute proximity, positions and exactness
// for the few documents it actually ranks.
// Invariants: a word is in the dictionary iff its postings are non-empty; a
// document's forward entry lists exactly the postings it was added to.
import type { Settings } from '../../api/protocol/settings/settings.ts';
import { utf8Length } from '../text/normalize.ts';
import { MAX_POSITION, MAX_WORD_BYTES, Tokenizer } from '../text/tokenizer.ts';
import { flattenLeaves, leafText, pathMatches } from './flatten.ts';
import { bucketBit } from './position-buckets.ts';
import { Postings } from './postings.ts';
import { SearchableFields, slotBit } from './searchable-fields.ts';
import { WordDictionary } from './word-dictionary.ts';

/** Positions between two elements of an array value, like a hard separator. */
const ARRAY_GAP = 8;

/** One document's indexed words, grouped by field slot, in position order. */
export interface DocTokens {
  slots: Uint16Array;
  positions: Uint16Array;
  words: Int32Array;
  /** Field slot → number of words (stop words included) in that field. */
  wordCounts: Map<number, number>;
}

export class InvertedIndex {
  readonly tokenizer: Tokenizer;
  readonly fields: SearchableFields;
  readonly dictionary = new WordDictionary();
  private readonly wordIds = new Map<string, number>();
  private readonly wordList: string[] = [];
  private readonly postingsById: Postings[] = [];
  private readonly forward: Array<DocTokens | undefined> = [];
  /** Slots whose words match only exactly (typoTolerance.disableOnAttributes). */
  private exactOnlyMask = 0;
  private readonly exactOnlyPatterns: string[];

  constructor(settings: Settings) {
    this.tokenizer = new Tokenizer(settings);
    this.fields = new SearchableFields(settings.searchableAttributes);
    this.exactOnlyPatterns = settings.typoTolerance.disableOnAttributes;
  }

  addDocument(id: number, doc: Record<string, unknown>): void {
    const perSlot = new Map<number, { words: number[]; positions: number[]; count: number; next: number }>();
    for (const leaf of flattenLeaves(doc)) {
      const slot = this.fields.slotOf(leaf.path);
      if (slot === undefined) continue;
      this.noteSlot(slot, leaf.path);
      let acc = perSlot.get(slot);
      if (!acc) {
        acc = { words: [], positions: [], count: 0, next: 0 };
        perSlot.set(slot, acc);
      }
      const base = acc.count === 0 && acc.next === 0 ? 0 : acc.next + ARRAY_GAP;
      let last = base;
      for (const token of this.tokenizer.tokenize(leafText(leaf.value))) {
        if (token.kind !== 'word') continue;
        const position = base + token.position;
        last = position;
        acc.count++;
        if (token.stopWord || position > MAX_POSITION || utf8Length(token.lemma) > MAX_WORD_BYTES || token.lemma.length === 0) continue;
        acc.words.push(this.internWord(token.lemma));
        acc.positions.push(position);
      }
      acc.next = last;
    }
    this.storeForward(id, perSlot);
  }

  removeDocument(id: number): void {
    const tokens = this.forward[id];
    if (!tokens) return;
    const seen = new Set<number>();
    for (const w of tokens.words) {
      if (seen.has(w)) continue;
      seen.add(w);
      const postings = this.postingsById[w]!;
      postings.remove(id);
      if (postings.size === 0) this.dictionary.delete(this.wordList[w]!);
    }
    this.forward[id] = undefined;
  }

  tokensOf(id: number): DocTokens | undefined {
    return this.forward[id];
  }

  wordId(word: string): number | undefined {
    return this.wordIds.get(word);
  }

  /** One past the highest word id: the size of per-word lookup tables. */
  get vocabularySize(): number {
    return this.wordList.length;
  }

  word(id: number): string {
    return this.wordList[id]!;
  }

  postings(word: string): Postings | undefined {
    const id = this.wordIds.get(word);
    return id === undefined ? undefined : this.postingsById[id];
  }

  /** Whether some field matches only exact words (typoTolerance.disableOnAttributes). */
  get hasExactOnlyFields(): boolean {
    return this.exactOnlyMask !== 0;
  }

  /** Field mask of the slots where derived (typo or prefix) words may match. */
  derivedWordMask(): number {
    return ~this.exactOnlyMask;
  }

  isExactOnlySlot(slot: number): boolean {
    return this.exactOnlyPatterns.some((p) => pathMatches(p, this.fields.pathOf(slot)));
  }

  private noteSlot(slot: number, path: string): void {
    if (this.exactOnlyPatterns.some((p) => pathMatches(p, path))) this.exactOnlyMask |= slotBit(slot);
  }

  private internWord(word: string): number {
    let id = this.wordIds.get(word);
    if (id === undefined) {
      id = this.wordList.length;
      this.wordIds.set(word, id);
      this.wordList.push(word);
      this.postingsById.push(new Postings());
    }
    return id;
  }

  /** Per-word scratch for one document's field and position masks; reset after each document. */
  private scratchMasks = new Int32Array(1024);
  private scratchBuckets = new Int32Array(1024);

  private storeForward(id: number, perSlot: Map<number, { words: number[]; positions: number[]; count: number }>): void {
    let total = 0;
    for (const acc of perSlot.values()) total += acc.words.length;
    if (this.scratchMasks.length < this.wordList.length) {
      const size = Math.max(this.wordList.length, this.scratchMasks.length * 2);
      this.scratchMasks = new Int32Array(size);
      this.scratchBuckets = new Int32Array(size);
    }
    // One buffer holds the three arrays (words first, for alignment): a
    // document costs one ArrayBuffer rather than three, which the garbage
    // collector tracks one by one.
    const buffer = new ArrayBuffer(total * 8);
    const words = new Int32Array(buffer, 0, total);
    const slots = new Uint16Array(buffer, total * 4, total);
    const positions = new Uint16Array(buffer, total * 6, total);
    const counts: Array<[number, number]> = [];
    const touched: number[] = [];
    const entries = perSlot.size > 1 ? [...perSlot].sort((a, b) => a[0] - b[0]) : [...perSlot];
    let k = 0;
    for (const [slot, acc] of entries) {
      counts.push([slot, acc.count]);
      const bit = slotBit(slot);
      for (let i = 0; i < acc.words.length; i++) {
        const word = acc.words[i]!;
        slots[k] = slot;
        positions[k] = acc.positions[i]!;
        words[k] = word;
        if (this.scratchMasks[word] === 0) touched.push(word);
        this.scratchMasks[word] = this.scratchMasks[word]! | bit;
        this.scratchBuckets[word] = this.scratchBuckets[word]! | (1 << bucketBit(acc.positions[i]!));
        k++;
      }
    }
    for (const word of touched) {
      const postings = this.postingsById[word]!;
      if (postings.size === 0) this.dictionary.add(this.wordList[word]!);
      postings.add(id, this.scratchMasks[word]!, this.scratchBuckets[word]!);
      this.scratchMasks[word] = 0;
      this.scratchBuckets[word] = 0;
    }
    this.forward[id] = { slots, positions, words, wordCounts: this.sharedCounts(counts) };
  }

  /**
   * Documents with the same word count per field share one map (read-only
   * for the ranking rules): a handful of maps for a whole corpus instead of
   * one per document.
   */
  private sharedCounts(counts: Array<[number, number]>): Map<number, number> {
    const key = counts.join(';');
    let shared = this.countMaps.get(key);
    if (!shared) {
      shared = new Map(counts);
      this.countMaps.set(key, shared);
    }
    return shared;
  }

  private readonly countMaps = new Map<string, Map<number, number>>();

}
