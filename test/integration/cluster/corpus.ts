// The seeded corpus of the cluster tests and its settings, shared by the
// cluster and by the single-node oracle of the differential test.
//
// - `keyword`: one 8-letter word of consonants per document, at Hamming
//   distance ≥ 3 from every other keyword and far from every (vowelled)
//   vocabulary word, so that even with typo tolerance (1 typo at 5–8 letters)
//   and prefix search it matches exactly its own document.
// - `seq` is unique and is the last ranking rule (`seq:asc`): every tie of the
//   other rules is broken the same way on one node and across shards, so the
//   cluster's order can be compared exactly with one node's (API.md §5.3: ties
//   otherwise follow each node's internal document ids).
// - The fields asked for as facets (genre, color, tags, year) have fewer
//   values than maxValuesPerFacet (100), so no value is cut from a node's
//   list and summed distributions are exact whatever the value order. `price`
//   (about 1,000 values) is for filters and sort only.
import type { Rng } from '../../../runtime/env/clock.ts';
import { seededRng } from '../../../runtime/env/rng.ts';

export const WORDS = [
  'river', 'stone', 'light', 'shadow', 'garden', 'winter', 'summer', 'forest', 'ocean', 'mountain',
  'silver', 'golden', 'night', 'morning', 'storm', 'harbor', 'island', 'desert', 'valley', 'castle',
  'dragon', 'falcon', 'wolf', 'tiger', 'raven', 'comet', 'planet', 'engine', 'signal', 'mirror',
];
export const GENRES = ['drama', 'comedy', 'horror', 'action', 'romance', 'documentary', 'animation', 'thriller'];
export const COLORS = ['red', 'blue', 'green', 'black', 'white', 'yellow'];
export const TAGS = ['classic', 'indie', 'award', 'cult', 'family', 'remake', 'sequel', 'festival', 'short', 'silent'];
export const FAMILIES = 150;

export interface Doc {
  id: number;
  seq: number;
  keyword: string;
  title: string;
  overview: string;
  genre: string;
  color: string;
  tags: string[];
  year: number;
  price: number;
  family: string;
}

export const SETTINGS = {
  searchableAttributes: ['title', 'keyword', 'overview'],
  filterableAttributes: ['genre', 'color', 'tags', 'year', 'price', 'family', 'id'],
  sortableAttributes: ['year', 'price', 'title'],
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness', 'seq:asc'],
};

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)]!;

/** `count` keywords of 8 consonant-heavy letters, pairwise Hamming distance ≥ 3. */
export function keywords(rng: Rng, count: number): string[] {
  const letters = 'bcdfghjkmnpqrstvwxz';
  const out: string[] = [];
  while (out.length < count) {
    const word = Array.from({ length: 8 }, () => letters[rng.int(letters.length)]).join('');
    const near = out.some((other) => {
      let differences = 0;
      for (let i = 0; i < 8; i++) if (other[i] !== word[i]) differences++;
      return differences < 3;
    });
    if (!near) out.push(word);
  }
  return out;
}

const phrase = (rng: Rng, min: number, max: number): string =>
  Array.from({ length: min + rng.int(max - min + 1) }, () => pick(rng, WORDS)).join(' ');

export function makeCorpus(count: number, seed = 4242): Doc[] {
  const rng = seededRng(seed);
  const keys = keywords(rng, count);
  return keys.map((keyword, i) => {
    const tags = [...new Set(Array.from({ length: 1 + rng.int(3) }, () => pick(rng, TAGS)))].sort();
    return {
      id: i + 1,
      // A permutation-like unique rank, not the id order, so the tiebreak is not insertion order.
      seq: (i * 7919) % 100_003,
      keyword,
      title: phrase(rng, 2, 4),
      overview: phrase(rng, 6, 14),
      genre: pick(rng, GENRES),
      color: pick(rng, COLORS),
      tags,
      year: 1990 + rng.int(35),
      price: Math.round(rng.next() * 10_000) / 100,
      family: `f${rng.int(FAMILIES)}`,
    };
  });
}
