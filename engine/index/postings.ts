// The documents holding one word: ascending internal ids, each with a bitmask
// of the searchable fields (by field slot, see searchable-fields.ts) it occurs
// in and the bucketed positions it occupies. New documents have the highest
// ids, so adding is usually an append; a replaced document keeps its id and is
// inserted in place.
// Entry i is the triple data[3i] (document), data[3i+1] (field mask),
// data[3i+2] (position buckets) in one Int32Array, valid up to `size` entries
// and grown by doubling from one entry: a corpus holds hundreds of thousands
// of words (every id and number is one), most in one or two documents, so one
// small typed array per word, neither boxed nor scanned by the garbage
// collector, is what keeps the word index compact.
import { Bitset } from '../core/bitset.ts';

const NONE = new Int32Array(0);
const STRIDE = 3;

export class Postings {
  private data: Int32Array = NONE;
  size = 0;

  docAt(i: number): number {
    return this.data[i * STRIDE]!;
  }

  maskAt(i: number): number {
    return this.data[i * STRIDE + 1]!;
  }

  /** The bucketed positions (position-buckets.ts bits) of entry i, over all fields. */
  positionsAt(i: number): number {
    return this.data[i * STRIDE + 2]!;
  }

  add(doc: number, mask: number, positions: number): void {
    const n = this.size;
    if (n > 0 && this.docAt(n - 1) >= doc) {
      const i = this.lowerBound(doc);
      if (this.docAt(i) === doc) {
        this.data[i * STRIDE + 1] = this.maskAt(i) | mask;
        this.data[i * STRIDE + 2] = this.positionsAt(i) | positions;
        return;
      }
      this.reserve(n + 1);
      this.data.copyWithin((i + 1) * STRIDE, i * STRIDE, n * STRIDE);
      this.set(i, doc, mask, positions);
      this.size = n + 1;
      return;
    }
    this.reserve(n + 1);
    this.set(n, doc, mask, positions);
    this.size = n + 1;
  }

  remove(doc: number): void {
    const n = this.size;
    const i = this.lowerBound(doc);
    if (i >= n || this.docAt(i) !== doc) return;
    this.data.copyWithin(i * STRIDE, (i + 1) * STRIDE, n * STRIDE);
    this.size = n - 1;
  }

  /** Index of `doc` in the postings, or -1. */
  find(doc: number): number {
    const i = this.lowerBound(doc);
    return i < this.size && this.docAt(i) === doc ? i : -1;
  }

  /** The document ids in ascending order (a copy). */
  ids(): number[] {
    const out: number[] = new Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.docAt(i);
    return out;
  }

  /** Adds to `into` the documents whose mask meets `fieldMask`. */
  collect(into: Bitset, fieldMask: number): void {
    const { data } = this;
    const end = this.size * STRIDE;
    if (fieldMask === ALL_FIELDS) {
      for (let k = 0; k < end; k += STRIDE) into.add(data[k]!);
      return;
    }
    for (let k = 0; k < end; k += STRIDE) if ((data[k + 1]! & fieldMask) !== 0) into.add(data[k]!);
  }

  private set(i: number, doc: number, mask: number, positions: number): void {
    const k = i * STRIDE;
    this.data[k] = doc;
    this.data[k + 1] = mask;
    this.data[k + 2] = positions;
  }

  private reserve(entries: number): void {
    const capacity = this.data.length / STRIDE;
    if (entries <= capacity) return;
    const next = new Int32Array(Math.max(entries, capacity * 2) * STRIDE);
    next.set(this.data.subarray(0, this.size * STRIDE));
    this.data = next;
  }

  private lowerBound(doc: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.docAt(mid) < doc) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** A mask selecting every field slot. */
export const ALL_FIELDS = 0xffffffff | 0;
