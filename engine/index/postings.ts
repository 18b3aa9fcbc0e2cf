// The documents holding one word: ascending internal ids, each with a bitmask
// of the searchable fields (by field slot, see searchable-fields.ts) it occurs
// in. New documents have the highest ids, so adding is usually an append; a
// replaced document keeps its id and is inserted in place.
import { Bitset } from '../core/bitset.ts';

export class Postings {
  docs: number[] = [];
  masks: number[] = [];
  /** Per document: the bucketed positions (position-buckets.ts bits) the word occupies, over all fields. */
  positions: number[] = [];

  add(doc: number, mask: number, positions: number): void {
    const n = this.docs.length;
    if (n === 0) {
      // Exact-size arrays for the first document: most words of a corpus
      // (identifiers, numbers, rare words) stay in one or two documents, and
      // a `push` onto an empty array reserves room for 16 more.
      this.docs = [doc];
      this.masks = [mask];
      this.positions = [positions];
      return;
    }
    if (this.docs[n - 1]! < doc) {
      this.docs.push(doc);
      this.masks.push(mask);
      this.positions.push(positions);
      return;
    }
    const i = lowerBound(this.docs, doc);
    if (this.docs[i] === doc) {
      this.masks[i] = this.masks[i]! | mask;
      this.positions[i] = this.positions[i]! | positions;
      return;
    }
    this.docs.splice(i, 0, doc);
    this.masks.splice(i, 0, mask);
    this.positions.splice(i, 0, positions);
  }

  remove(doc: number): void {
    const i = lowerBound(this.docs, doc);
    if (this.docs[i] !== doc) return;
    this.docs.splice(i, 1);
    this.masks.splice(i, 1);
    this.positions.splice(i, 1);
  }

  /** Index of `doc` in the postings, or -1. */
  find(doc: number): number {
    const i = lowerBound(this.docs, doc);
    return this.docs[i] === doc ? i : -1;
  }

  get size(): number {
    return this.docs.length;
  }

  /** Adds to `into` the documents whose mask meets `fieldMask`. */
  collect(into: Bitset, fieldMask: number): void {
    const { docs, masks } = this;
    if (fieldMask === ALL_FIELDS) {
      for (let i = 0; i < docs.length; i++) into.add(docs[i]!);
      return;
    }
    for (let i = 0; i < docs.length; i++) if ((masks[i]! & fieldMask) !== 0) into.add(docs[i]!);
  }
}

/** A mask selecting every field slot. */
export const ALL_FIELDS = 0xffffffff | 0;

function lowerBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
