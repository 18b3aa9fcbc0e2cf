// Resolves the query graph's nodes against one index: the words and phrases
// each node stands for at each typo level (0, 1, 2), the documents matching
// each level (from postings, so proportional to the postings touched), and,
// for one document at a time, where each node occurs (from the forward index).
// Level 0 holds the word itself, its prefix completions and its synonyms;
// level 1 the one-typo words and the word split in two; level 2 the two-typo
// words. Derivations are never capped (see word-dictionary.ts).
import { Bitset } from '../core/bitset.ts';
import type { Settings } from '../../api/protocol/settings/settings.ts';
import type { DocTokens, InvertedIndex } from '../index/inverted-index.ts';
import type { QueryNode } from '../query/query-graph.ts';
import { BUCKET_BITS, bucketBit, bucketValue } from '../index/position-buckets.ts';
import { OVERFLOW_SLOT_BIT, slotBit } from '../index/searchable-fields.ts';
import { isNumericWord } from '../query/typo-budget.ts';

/**
 * The field-mask bits of the slots `filter` excludes; null when a mask bit
 * cannot tell them from allowed slots (slots past the overflow bit share it).
 */
function excludedBits(index: InvertedIndex, filter: SlotFilter): number | null {
  let bits = 0;
  for (let slot = 0; slot < index.fields.slotCount; slot++) {
    if (filter.allowed(slot)) continue;
    if (slot >= OVERFLOW_SLOT_BIT) return null;
    bits |= slotBit(slot);
  }
  return bits;
}

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
    private readonly capacity: number,
  ) {
    this.resolved = nodes.map((node) => this.resolve(node, settings, capacity));
    // Posting masks and positions cover every field; they answer exactly when
    // no field is excluded, or when the query's words occur in no excluded field.
    this.postingMasksExact = !index.hasExactOnlyFields && (filter.mask === ~0 || this.wordsAvoid(excludedBits(index, filter)));
  }

  /**
   * Whether no posting of any word the query resolved to (words and phrase
   * words, every level) has a bit of `excluded`. A cluster searches every
   * document field but its own `_miroir_shard` (attributesToSearchOn):
   * query words seldom occur there, and then the postings answer alone.
   */
  private wordsAvoid(excluded: number | null): boolean {
    if (excluded === null) return false;
    const checked = new Set<number>();
    const avoids = (id: number | null): boolean => {
      if (id === null || checked.has(id)) return true;
      checked.add(id);
      const p = this.index.postings(this.index.word(id));
      if (p) for (let i = 0; i < p.size; i++) if ((p.maskAt(i) & excluded) !== 0) return false;
      return true;
    };
    for (const r of this.resolved) {
      for (let level = 0; level < 3; level++) {
        for (const id of r.words[level]!.keys()) if (!avoids(id)) return false;
        for (const phrase of r.phrases[level]!) for (const id of phrase) if (!avoids(id)) return false;
      }
    }
    return true;
  }

  private readonly postingMasksExact: boolean;
  private readonly accumulators = new Map<number, { fields: Uint32Array; positions: Uint32Array } | null>();
  private readonly costTables = new Map<string, Int32Array>();

  /**
   * Per document, the union of the field masks and position buckets of node
   * `n`'s words at `level`, gathered once from the postings (so the cost is
   * the postings the node touches, whatever the number of candidates); null
   * when postings cannot answer exactly (phrases, excluded fields).
   */
  private levelMasks(n: number, level: number): { fields: Uint32Array; positions: Uint32Array } | null {
    const key = n * 3 + level;
    const known = this.accumulators.get(key);
    if (known !== undefined) return known;
    const r = this.resolved[n]!;
    let out: { fields: Uint32Array; positions: Uint32Array } | null = null;
    if (this.postingMasksExact && r.phrases[level]!.length === 0) {
      const fields = new Uint32Array(this.capacity);
      const positions = new Uint32Array(this.capacity);
      for (const id of r.words[level]!.keys()) {
        const p = this.index.postings(this.index.word(id));
        if (!p) continue;
        for (let i = 0; i < p.size; i++) {
          const doc = p.docAt(i);
          fields[doc] = fields[doc]! | p.maskAt(i);
          positions[doc] = positions[doc]! | p.positionsAt(i);
        }
      }
      out = { fields, positions };
    }
    this.accumulators.set(key, out);
    return out;
  }

  /** The union over the allowed levels of one kind of mask for `doc`, or null when postings cannot answer. */
  private unionMask(doc: number, n: number, levels: number, kind: 'fields' | 'positions'): number | null {
    let mask = 0;
    for (let l = 0; l < 3; l++) {
      if ((levels & (1 << l)) === 0) continue;
      const acc = this.levelMasks(n, l);
      if (!acc) return null;
      mask |= acc[kind][doc]!;
    }
    return mask;
  }

  private costTable(posStart: number, len: number, cost: (d: number) => number): Int32Array {
    const key = `${posStart}:${len}`;
    let table = this.costTables.get(key);
    if (!table) {
      table = new Int32Array(BUCKET_BITS);
      for (let bit = 0; bit < BUCKET_BITS; bit++) {
        const distance = Math.abs(bucketValue(bit) - posStart);
        let c = 0;
        for (let i = 0; i < len; i++) c += cost(distance + i);
        table[bit] = c;
      }
      this.costTables.set(key, table);
    }
    return table;
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
    // Documents holding every word first, from the postings; only those are checked for adjacency.
    const both = new Bitset(this.capacity);
    first.collect(both, this.filter.mask);
    for (const other of lists.slice(1)) {
      const next = new Bitset(this.capacity);
      for (const doc of other.ids()) if (both.has(doc)) next.add(doc);
      both.intersect(next);
    }
    for (const doc of both) {
      const tokens = this.index.tokensOf(doc);
      if (tokens && phraseOccurrences(tokens, phrase, this.filter).length > 0) into.add(doc);
    }
  }

  /** Where every node occurs in `doc`, by level: one pass over the document's words. */
  occurrences(doc: number): DocOccurrences {
    const out: DocOccurrences = this.resolved.map(() => [[], [], []]);
    const tokens = this.index.tokensOf(doc);
    if (!tokens) return out;
    const { marks, hits } = this.wordTable();
    const words = tokens.words;
    for (let k = 0; k < words.length; k++) {
      const mark = marks[words[k]!]!;
      if (mark === 0) continue;
      const slot = tokens.slots[k]!;
      if (!this.filter.allowed(slot)) continue;
      const position = tokens.positions[k]!;
      for (const hit of hits[mark - 1]!) {
        if (hit.derived && this.index.isExactOnlySlot(slot)) continue;
        out[hit.node]![hit.level]!.push({ slot, start: position, end: position });
      }
    }
    for (let n = 0; n < this.resolved.length; n++) {
      const r = this.resolved[n]!;
      for (let level = 0; level < 3; level++) {
        for (const phrase of r.phrases[level]!) out[n]![level]!.push(...phraseOccurrences(tokens, phrase, this.filter));
      }
    }
    return out;
  }

  /**
   * The smallest wordPosition cost of node `n` in `doc` over its single-word
   * matches at the allowed `levels`, in one pass and without allocating; null
   * when the node has phrases at those levels (the caller then uses
   * occurrences()).
   */
  minPositionCost(doc: number, n: number, levels: number, len: number, posStart: number, cost: (d: number) => number, bucket: (p: number) => number): number | null {
    const mask = this.unionMask(doc, n, levels, 'positions');
    if (mask !== null) {
      const table = this.costTable(posStart, len, cost);
      let best = 10 * len;
      for (let m = mask; m !== 0; m &= m - 1) {
        const c = table[31 - Math.clz32(m & -m)]!;
        if (c < best) best = c;
      }
      return best;
    }
    if (this.hasPhrases(n, levels)) return null;
    const tokens = this.index.tokensOf(doc);
    let best = 10 * len;
    if (!tokens) return best;
    const { marks, hits } = this.wordTable();
    const words = tokens.words;
    for (let k = 0; k < words.length; k++) {
      const mark = marks[words[k]!]!;
      if (mark === 0 || !this.matchesNode(hits[mark - 1]!, n, levels, tokens.slots[k]!)) continue;
      const distance = Math.abs(bucket(tokens.positions[k]!) - posStart);
      let c = 0;
      for (let i = 0; i < len; i++) c += cost(distance + i);
      if (c < best) best = c;
      if (best === 0) break;
    }
    return best;
  }

  /** The lightest field weight node `n` occurs in, like minPositionCost; null when phrases are involved. */
  minWeight(doc: number, n: number, levels: number, maxWeight: number, weightOf: (slot: number) => number): number | null {
    const mask = this.unionMask(doc, n, levels, 'fields');
    if (mask !== null && this.index.fields.slotCount <= OVERFLOW_SLOT_BIT) {
      let best = maxWeight;
      for (let m = mask; m !== 0; m &= m - 1) {
        const w = weightOf(31 - Math.clz32(m & -m));
        if (w < best) best = w;
      }
      return best;
    }
    if (this.hasPhrases(n, levels)) return null;
    const tokens = this.index.tokensOf(doc);
    let best = maxWeight;
    if (!tokens) return best;
    const { marks, hits } = this.wordTable();
    const words = tokens.words;
    for (let k = 0; k < words.length && best > 0; k++) {
      const mark = marks[words[k]!]!;
      if (mark === 0 || !this.matchesNode(hits[mark - 1]!, n, levels, tokens.slots[k]!)) continue;
      const w = weightOf(tokens.slots[k]!);
      if (w < best) best = w;
    }
    return best;
  }

  /**
   * The smallest milli proximity (capped at `cap`) between node `left`'s
   * words and node `right`'s words in one field of `doc`, in one pass and
   * without allocating: in position order, the nearest preceding match of the
   * other side gives the best pair. Null when phrases are involved.
   */
  minProximity(doc: number, left: number, leftLevels: number, right: number, rightLevels: number, cap: number, byAttribute: boolean): number | null {
    if (this.hasPhrases(left, leftLevels) || this.hasPhrases(right, rightLevels)) return null;
    const tokens = this.index.tokensOf(doc);
    if (!tokens) return cap;
    const { marks, hits } = this.wordTable();
    let best = cap;
    let slot = -1;
    let lastLeft = -1;
    let lastRight = -1;
    for (let k = 0; k < tokens.words.length && best > 1; k++) {
      const mark = marks[tokens.words[k]!]!;
      if (mark === 0) continue;
      const s = tokens.slots[k]!;
      if (s !== slot) {
        slot = s;
        lastLeft = -1;
        lastRight = -1;
      }
      const list = hits[mark - 1]!;
      const isLeft = this.matchesNode(list, left, leftLevels, s);
      const isRight = this.matchesNode(list, right, rightLevels, s);
      const p = tokens.positions[k]!;
      if (isRight && lastLeft >= 0) best = Math.min(best, byAttribute ? 1 : Math.min(p - lastLeft, cap));
      if (isLeft && lastRight >= 0) best = Math.min(best, byAttribute ? 1 : Math.min(p - lastRight + 1, cap));
      if (isLeft) lastLeft = p;
      if (isRight) lastRight = p;
    }
    return best;
  }

  /** Whether `word` occurs at the bucketed position of `position` in `doc`, from its posting; null when postings cannot answer exactly. */
  wordAtBucket(doc: number, word: number, position: number): boolean | null {
    if (!this.postingMasksExact) return null;
    const p = this.index.postings(this.index.word(word));
    const i = p ? p.find(doc) : -1;
    return i >= 0 && (p!.positionsAt(i) & (1 << bucketBit(position))) !== 0;
  }

  private hasPhrases(n: number, levels: number): boolean {
    const r = this.resolved[n]!;
    for (let l = 0; l < 3; l++) if (levels & (1 << l) && r.phrases[l]!.length > 0) return true;
    return false;
  }

  private matchesNode(list: Array<{ node: number; level: number; derived: boolean }>, n: number, levels: number, slot: number): boolean {
    if (!this.postingMasksExact && !this.filter.allowed(slot)) return false;
    for (let i = 0; i < list.length; i++) {
      const hit = list[i]!;
      if (hit.node !== n || (levels & (1 << hit.level)) === 0) continue;
      if (hit.derived && !this.postingMasksExact && this.index.isExactOnlySlot(slot)) continue;
      return true;
    }
    return false;
  }

  private table: { marks: Int32Array; hits: Array<Array<{ node: number; level: number; derived: boolean }>> } | null = null;

  /** Word id → the (node, level) pairs it stands for, as a flat array indexed by word id. */
  private wordTable(): { marks: Int32Array; hits: Array<Array<{ node: number; level: number; derived: boolean }>> } {
    if (this.table) return this.table;
    const marks = new Int32Array(this.index.vocabularySize);
    const hits: Array<Array<{ node: number; level: number; derived: boolean }>> = [];
    this.resolved.forEach((r, node) => {
      r.words.forEach((map, level) => {
        for (const [id, derived] of map) {
          if (marks[id] === 0) {
            hits.push([]);
            marks[id] = hits.length;
          }
          hits[marks[id]! - 1]!.push({ node, level, derived });
        }
      });
    });
    this.table = { marks, hits };
    return this.table;
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

