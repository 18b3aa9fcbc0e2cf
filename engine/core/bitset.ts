// A dense set of internal document ids. Candidate sets in search and filter
// evaluation are bitsets over the index's id universe: intersection, union and
// difference are word-parallel, and iteration yields ids in ascending order,
// which is internal-id order, the order Meilisearch breaks ties in.

export class Bitset {
  words: Uint32Array;

  constructor(capacity = 0) {
    this.words = new Uint32Array(Math.max(1, Math.ceil(capacity / 32)));
  }

  static of(ids: Iterable<number>, capacity = 0): Bitset {
    const set = new Bitset(capacity);
    for (const id of ids) set.add(id);
    return set;
  }

  /** All ids in [0, size). */
  static full(size: number): Bitset {
    const set = new Bitset(size);
    const whole = size >>> 5;
    set.words.fill(0xffffffff, 0, whole);
    const rest = size & 31;
    if (rest) set.words[whole] = (2 ** rest - 1) >>> 0;
    return set;
  }

  /** The ids it holds room for without growing. */
  get capacity(): number {
    return this.words.length * 32;
  }

  private grow(id: number): void {
    const need = (id >>> 5) + 1;
    if (need <= this.words.length) return;
    const next = new Uint32Array(Math.max(need, this.words.length * 2));
    next.set(this.words);
    this.words = next;
  }

  add(id: number): void {
    this.grow(id);
    this.words[id >>> 5]! |= 1 << (id & 31);
  }

  delete(id: number): void {
    if ((id >>> 5) >= this.words.length) return;
    this.words[id >>> 5]! &= ~(1 << (id & 31));
  }

  has(id: number): boolean {
    const w = this.words[id >>> 5];
    return w !== undefined && (w & (1 << (id & 31))) !== 0;
  }

  clone(): Bitset {
    const copy = new Bitset(0);
    copy.words = this.words.slice();
    return copy;
  }

  /** In place: this ∩ other. */
  intersect(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) a[i]! &= b[i]!;
    a.fill(0, n);
    return this;
  }

  /** In place: this ∪ other. */
  union(other: Bitset): this {
    if (other.words.length > this.words.length) this.grow(other.words.length * 32 - 1);
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < b.length; i++) a[i]! |= b[i]!;
    return this;
  }

  /** In place: this \ other. */
  subtract(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) a[i]! &= ~b[i]!;
    return this;
  }

  get size(): number {
    let count = 0;
    for (const w of this.words) count += popcount(w);
    return count;
  }

  isEmpty(): boolean {
    for (const w of this.words) if (w !== 0) return false;
    return true;
  }

  *[Symbol.iterator](): IterableIterator<number> {
    const words = this.words;
    for (let i = 0; i < words.length; i++) {
      let w = words[i]!;
      while (w !== 0) {
        const low = w & -w;
        yield i * 32 + (31 - Math.clz32(low));
        w ^= low;
      }
    }
  }

  toArray(): number[] {
    return [...this];
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
