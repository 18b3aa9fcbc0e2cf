// The seeded synthetic corpus and query mix of the engine benchmark: a
// vocabulary of pronounceable words with a Zipf-like frequency, documents with
// a title, a body, three facet fields and two numbers, and queries mixing
// keywords, typos, filters, facets and sort. One seed gives the same corpus
// and queries on every machine.
import type { Rng } from '../../runtime/env/clock.ts';

const SYLLABLES = ['ka', 'lo', 'mi', 'ran', 'te', 'so', 'vu', 'ne', 'dor', 'pa', 'li', 'gu', 'sha', 'ber', 'tin', 'ox', 'el', 'qua', 'zen', 'fi'];

export function vocabulary(rng: Rng, size: number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const n = 2 + rng.int(3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[rng.int(SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}

/** A word drawn with a Zipf-like skew: low ranks are much more frequent. */
function zipfWord(rng: Rng, vocab: string[]): string {
  const r = rng.next();
  return vocab[Math.floor(vocab.length * r * r * r)] as string;
}

function phrase(rng: Rng, vocab: string[], min: number, max: number): string {
  const n = min + rng.int(max - min + 1);
  return Array.from({ length: n }, () => zipfWord(rng, vocab)).join(' ');
}

export const CATEGORIES = Array.from({ length: 20 }, (_, i) => `category-${i}`);
export const BRANDS = Array.from({ length: 200 }, (_, i) => `brand-${i}`);
export const COLORS = ['red', 'blue', 'green', 'black', 'white', 'yellow', 'purple', 'orange', 'pink', 'grey', 'brown', 'cyan'];

export function makeDocument(rng: Rng, vocab: string[], id: number): Record<string, unknown> {
  return {
    id,
    title: phrase(rng, vocab, 3, 6),
    body: phrase(rng, vocab, 20, 40),
    category: CATEGORIES[rng.int(CATEGORIES.length)],
    brand: BRANDS[Math.floor(BRANDS.length * rng.next() * rng.next())],
    color: COLORS[rng.int(COLORS.length)],
    price: Math.round(rng.next() * 100_000) / 100,
    rating: 1 + rng.int(5),
  };
}

export type QueryKind = 'keywords' | 'typo' | 'filter' | 'facets' | 'sort';

export interface BenchQuery {
  kind: QueryKind;
  body: Record<string, unknown>;
}

function typo(rng: Rng, word: string): string {
  const i = 1 + rng.int(Math.max(1, word.length - 1));
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return word.slice(0, i) + letters[rng.int(letters.length)] + word.slice(i + 1);
}

export function makeQuery(rng: Rng, vocab: string[]): BenchQuery {
  const head = vocab.slice(0, 2000);
  const words = (n: number) => Array.from({ length: n }, () => zipfWord(rng, head)).join(' ');
  const roll = rng.next();
  if (roll < 0.4) return { kind: 'keywords', body: { q: words(1 + rng.int(3)) } };
  if (roll < 0.6) return { kind: 'typo', body: { q: words(rng.int(2)).concat(' ', typo(rng, zipfWord(rng, head))).trim() } };
  if (roll < 0.8) {
    return { kind: 'filter', body: { q: words(1 + rng.int(2)), filter: `category = ${CATEGORIES[rng.int(CATEGORIES.length)]} AND price < ${100 + rng.int(900)}` } };
  }
  if (roll < 0.9) return { kind: 'facets', body: { q: words(1), facets: ['category', 'brand', 'color'] } };
  return { kind: 'sort', body: { q: words(1), sort: [rng.next() < 0.5 ? 'price:asc' : 'rating:desc'] } };
}
