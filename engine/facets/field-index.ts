// The facet structures of one field: which documents have it, have it null
// or empty, and which hold each string key or number; plus, per document, the
// values it holds (for distinct, and for facet counts over few candidates).
// Invariants: id lists are ascending without duplicates; sorted views (string
// keys in byte order, numbers) are rebuilt lazily after a change, and removed
// ids leave the lists in one sweep before the next read, so bulk loading and
// bulk deletion both stay linear. A replaced document keeps its id (the
// store's), so an id may come back after its removal: it then leaves its old
// value lists at once, before the sweep could take it out of the new ones.
import { Bitset } from '../core/bitset.ts';
import type { DocId } from '../core/contracts.ts';
import type { Depth } from './extract.ts';
import { compareBytes } from './rules.ts';
import { facetKey } from './normalize.ts';

/** One document's values; `originals[i]` is the first text it gave for `keys[i]`. Arrays stay small. */
interface DocValues {
  keys: readonly string[];
  originals: readonly string[];
  numbers: readonly number[];
}

/** The list of a document without values of a kind; shared, never mutated. */
const NONE: readonly never[] = Object.freeze([]);

/**
 * `list` with `x` appended. Small lists are copied at their exact size: most
 * documents hold one value per field, and an array grown by `push` reserves
 * room for 16 more, which over millions of (document, field) pairs is most of
 * the heap and most of the garbage collector's marking work.
 */
function appended<T>(list: readonly T[], x: T): readonly T[] {
  if (list.length === 0) return [x];
  if (list.length < 8) return [...list, x];
  (list as T[]).push(x);
  return list;
}

/** Adds `id` to an ascending list: appended for new ids, inserted in place for a replaced document's. */
function pushId(ids: number[], id: number): void {
  const last = ids[ids.length - 1];
  if (last === undefined || last < id) {
    ids.push(id);
    return;
  }
  const at = lowerBound(ids, id, (a, b) => a - b, false);
  if (ids[at] !== id) ids.splice(at, 0, id);
}

/** Removes `id` from an ascending list; true when the list is left empty. */
function dropId(ids: number[], id: number): boolean {
  const at = lowerBound(ids, id, (a, b) => a - b, false);
  if (ids[at] === id) ids.splice(at, 1);
  return ids.length === 0;
}

/** First index in `sorted` whose element is not below `x` (or above, when `strict`). */
function lowerBound<T>(sorted: readonly T[], x: T, cmp: (a: T, b: T) => number, strict: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = cmp(sorted[mid]!, x);
    if (c < 0 || (strict && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface Bound<T> {
  value: T;
  inclusive: boolean;
}

export class FieldIndex {
  readonly exists = new Bitset();
  readonly nulls = new Bitset();
  readonly empties = new Bitset();
  private readonly strings = new Map<string, number[]>();
  private readonly numbers = new Map<number, number[]>();
  /**
   * Indexed by document id (ids are dense, so an array beats a Map here). A
   * document holding one number, or one string that is its own key, is stored
   * as that value: no object per (document, field) in the common case.
   */
  private readonly docs: Array<DocValues | string | number | undefined> = [];
  private sortedKeys: string[] | null = null;
  private sortedNumbers: number[] | null = null;
  /**
   * The ids of every number, concatenated in ascending number order: the ids
   * of `sortedNumbers[i]` are `flat.ids[flat.starts[i] .. flat.starts[i+1])`.
   * A range filter then reads one contiguous slice instead of a list per value.
   * Dropped on any number change, rebuilt on the next range read.
   */
  private flatNumbers: { starts: Int32Array; ids: Int32Array } | null = null;
  /**
   * Bitsets of the values held by many documents (denseIds), built on first
   * read and dropped when their list changes: a filter on such a value (a
   * cluster node's `_miroir_shard IN [...]` on every search) then unions
   * words instead of adding ids one by one.
   */
  private readonly stringBitsCache = new Map<string, Bitset>();
  private readonly numberBitsCache = new Map<number, Bitset>();
  /** Removed documents whose ids are still in the value lists, with the values they held there. */
  private removed = new Bitset();
  private removedCount = 0;
  private removedValues = new Map<DocId, DocValues | string | number>();

  add(id: DocId, depth: Depth, value: unknown, filterable: boolean): void {
    if (this.removed.has(id)) this.unremove(id);
    this.exists.add(id);
    if (typeof value === 'number' && Number.isFinite(value)) return this.addNumber(id, value === 0 ? 0 : value);
    if (typeof value === 'string' && value !== '') return this.addString(id, value);
    if (typeof value === 'boolean') return this.addString(id, value ? 'true' : 'false');
    if (depth !== 'base' || !filterable) return;
    if (value === null) this.nulls.add(id);
    else if (value === '' || (Array.isArray(value) && value.length === 0)) this.empties.add(id);
    else if (typeof value === 'object' && Object.keys(value).length === 0) this.empties.add(id);
  }

  /** The document's values as an object, converting a single stored value. */
  private doc(id: DocId): DocValues {
    const stored = this.docs[id];
    if (typeof stored === 'object') return stored;
    const values: DocValues = { keys: NONE, originals: NONE, numbers: NONE };
    if (typeof stored === 'string') values.keys = values.originals = [stored];
    if (typeof stored === 'number') values.numbers = [stored];
    this.docs[id] = values;
    return values;
  }

  private addString(id: DocId, original: string): void {
    const key = facetKey(original);
    if (this.docs[id] === undefined && key === original) this.docs[id] = key;
    else this.addKey(this.doc(id), key, original);
    const ids = this.strings.get(key);
    this.stringBitsCache.delete(key);
    if (ids) pushId(ids, id);
    else {
      this.strings.set(key, [id]);
      this.sortedKeys = null;
    }
  }

  private addKey(doc: DocValues, key: string, original: string): void {
    if (!doc.keys.includes(key)) {
      doc.keys = appended(doc.keys, key);
      doc.originals = appended(doc.originals, original);
    }
  }

  private addNumber(id: DocId, n: number): void {
    this.flatNumbers = null;
    if (this.docs[id] === undefined) this.docs[id] = n;
    else {
      const doc = this.doc(id);
      if (!doc.numbers.includes(n)) doc.numbers = appended(doc.numbers, n);
    }
    const ids = this.numbers.get(n);
    this.numberBitsCache.delete(n);
    if (ids) pushId(ids, id);
    else {
      this.numbers.set(n, [id]);
      this.sortedNumbers = null;
    }
  }

  remove(id: DocId): void {
    this.exists.delete(id);
    this.nulls.delete(id);
    this.empties.delete(id);
    const held = this.docs[id];
    if (held === undefined) return;
    this.docs[id] = undefined;
    this.removed.add(id);
    this.removedCount++;
    this.removedValues.set(id, held);
  }

  /** A removed id comes back (its document was replaced): it leaves its old value lists now. */
  private unremove(id: DocId): void {
    const held = this.removedValues.get(id)!;
    const keys = typeof held === 'string' ? [held] : typeof held === 'number' ? [] : held.keys;
    const numbers = typeof held === 'number' ? [held] : typeof held === 'string' ? [] : held.numbers;
    for (const key of keys) {
      const ids = this.strings.get(key);
      this.stringBitsCache.delete(key);
      if (ids && dropId(ids, id)) {
        this.strings.delete(key);
        this.sortedKeys = null;
      }
    }
    for (const n of numbers) {
      const ids = this.numbers.get(n);
      this.numberBitsCache.delete(n);
      if (ids && dropId(ids, id)) {
        this.numbers.delete(n);
        this.sortedNumbers = null;
      }
    }
    if (numbers.length > 0) this.flatNumbers = null;
    this.removed.delete(id);
    this.removedCount--;
    this.removedValues.delete(id);
  }

  /** Drops removed ids from every value list, and values left without documents. */
  private settle(): void {
    if (this.removedCount === 0) return;
    const removed = this.removed;
    const sweep = <K>(map: Map<K, number[]>): boolean => {
      let emptied = false;
      for (const [key, ids] of map) {
        const kept = ids.filter((id) => !removed.has(id));
        if (kept.length === ids.length) continue;
        if (kept.length === 0) {
          map.delete(key);
          emptied = true;
        } else {
          map.set(key, kept);
        }
      }
      return emptied;
    };
    if (sweep(this.strings)) this.sortedKeys = null;
    if (sweep(this.numbers)) this.sortedNumbers = null;
    this.stringBitsCache.clear();
    this.numberBitsCache.clear();
    this.flatNumbers = null;
    this.removed = new Bitset();
    this.removedCount = 0;
    this.removedValues.clear();
  }

  /** The normalized keys and numbers one document holds. */
  valuesOf(id: DocId): { strings: string[]; numbers: number[] } {
    const doc = this.docs[id];
    if (typeof doc === 'string') return { strings: [doc], numbers: [] };
    if (typeof doc === 'number') return { strings: [], numbers: [doc] };
    return doc ? { strings: [...doc.keys], numbers: [...doc.numbers] } : { strings: [], numbers: [] };
  }

  originalOf(id: DocId, key: string): string | undefined {
    const doc = this.docs[id];
    if (typeof doc === 'string') return doc === key ? doc : undefined;
    if (typeof doc !== 'object') return undefined;
    return doc.originals[doc.keys.indexOf(key)];
  }

  stringIds(key: string): readonly number[] {
    this.settle();
    return this.strings.get(key) ?? [];
  }

  numberIds(n: number): readonly number[] {
    this.settle();
    return this.numbers.get(n) ?? [];
  }

  /**
   * The documents holding `key`, as a bitset when many do (see denseIds),
   * else null: the caller reads stringIds.
   */
  stringBits(key: string): Bitset | null {
    return denseIds(this.stringBitsCache, key, this.stringIds(key), this.exists);
  }

  /** Like stringBits, for a number. */
  numberBits(n: number): Bitset | null {
    return denseIds(this.numberBitsCache, n, this.numberIds(n), this.exists);
  }

  keys(): readonly string[] {
    this.settle();
    this.sortedKeys ??= [...this.strings.keys()].sort(compareBytes);
    return this.sortedKeys;
  }

  numberValues(): readonly number[] {
    this.settle();
    this.sortedNumbers ??= [...this.numbers.keys()].sort((a, b) => a - b);
    return this.sortedNumbers;
  }

  /** Ids holding a number within the bounds (an absent bound is open). */
  numberRange(lower: Bound<number> | null, upper: Bound<number> | null, into: Bitset): void {
    const values = this.numberValues();
    const cmp = (a: number, b: number) => a - b;
    const from = lower ? lowerBound(values, lower.value, cmp, !lower.inclusive) : 0;
    const to = upper ? lowerBound(values, upper.value, cmp, upper.inclusive) : values.length;
    if (from >= to) return;
    const { starts, ids } = this.flatNumberIds(values);
    const end = starts[to]!;
    for (let k = starts[from]!; k < end; k++) into.add(ids[k]!);
  }

  private flatNumberIds(values: readonly number[]): { starts: Int32Array; ids: Int32Array } {
    if (this.flatNumbers) return this.flatNumbers;
    const starts = new Int32Array(values.length + 1);
    let total = 0;
    for (let i = 0; i < values.length; i++) {
      starts[i] = total;
      total += this.numbers.get(values[i]!)!.length;
    }
    starts[values.length] = total;
    const ids = new Int32Array(total);
    let k = 0;
    for (const n of values) for (const id of this.numbers.get(n)!) ids[k++] = id;
    this.flatNumbers = { starts, ids };
    return this.flatNumbers;
  }

  /** Ids holding a string key within the bounds, compared in byte order. */
  stringRange(lower: Bound<string> | null, upper: Bound<string> | null, into: Bitset): void {
    const keys = this.keys();
    const from = lower ? lowerBound(keys, lower.value, compareBytes, !lower.inclusive) : 0;
    const to = upper ? lowerBound(keys, upper.value, compareBytes, upper.inclusive) : keys.length;
    for (let i = from; i < to; i++) for (const id of this.strings.get(keys[i]!)!) into.add(id);
  }

}

/**
 * A value's documents as a cached bitset when its list holds at least one id
 * per 64 of the field's id range (a bitset of that range then costs no more
 * than 4 bytes per id; a field has at most 64 such values per value held by
 * a document), else null. `range` bounds the ids: every id of the list is in it.
 */
function denseIds<K>(cache: Map<K, Bitset>, key: K, ids: readonly number[], range: Bitset): Bitset | null {
  const cached = cache.get(key);
  if (cached) return cached;
  if (ids.length === 0 || ids.length * 64 < range.capacity) return null;
  const bits = new Bitset(range.capacity);
  for (const id of ids) bits.add(id);
  cache.set(key, bits);
  return bits;
}
