// Seeded random searches over the corpus of corpus.ts, for the differential
// test: keywords (with typos and prefixes), filters, facets, sort, distinct,
// both pagination modes, retrieved attributes and ranking scores. And the
// normalization that makes two answers comparable: `processingTimeMs` and
// `requestUid` differ by nature; with `distinct`, totals are left out
// (Meilisearch applies distinct per node, so no merge of per-shard totals can
// be exact — API.md §5.3 point 5 — while the hits themselves must be).
import type { Rng } from '../../../runtime/env/clock.ts';
import { COLORS, GENRES, TAGS, WORDS } from './corpus.ts';

export type Query = { q?: string } & Record<string, unknown>;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)]!;

function words(rng: Rng): string {
  const roll = rng.next();
  if (roll < 0.2) return '';
  const base = Array.from({ length: 1 + rng.int(2) }, () => pick(rng, WORDS));
  if (roll < 0.35) base[0] = base[0]!.slice(0, 3 + rng.int(2)); // a prefix
  else if (roll < 0.5) {
    const word = base[0]!;
    const i = 1 + rng.int(word.length - 2);
    base[0] = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2); // a transposition typo
  }
  return base.join(' ');
}

function filter(rng: Rng): string {
  const clauses = [
    () => `genre = ${pick(rng, GENRES)}`,
    () => `color != ${pick(rng, COLORS)}`,
    () => `tags = ${pick(rng, TAGS)}`,
    () => `year > ${1990 + rng.int(35)}`,
    () => `price ${1 + rng.int(80)} TO ${20 + rng.int(80)}`,
    () => `genre IN [${pick(rng, GENRES)}, ${pick(rng, GENRES)}]`,
    () => `NOT tags = ${pick(rng, TAGS)}`,
  ];
  const n = 1 + rng.int(2);
  return Array.from({ length: n }, () => pick(rng, clauses)()).join(rng.next() < 0.7 ? ' AND ' : ' OR ');
}

export function randomQuery(rng: Rng): Query {
  const query: Query = { q: words(rng) };
  if (rng.next() < 0.5) query.filter = filter(rng);
  if (rng.next() < 0.3) query.facets = rng.next() < 0.5 ? ['genre', 'color', 'tags'] : ['year', 'genre'];
  if (rng.next() < 0.3) query.sort = [pick(rng, ['year:desc', 'price:asc', 'title:asc', 'year:asc'])];
  if (rng.next() < 0.2) query.distinct = 'family';
  if (rng.next() < 0.3) {
    query.page = 1 + rng.int(4);
    query.hitsPerPage = 1 + rng.int(25);
  } else {
    query.offset = rng.int(40);
    query.limit = 1 + rng.int(30);
  }
  if (rng.next() < 0.3) query.attributesToRetrieve = ['id', 'title', 'year'];
  if (rng.next() < 0.3) query.showRankingScore = true;
  return query;
}

/** The comparable part of a search answer. */
export function comparable(answer: Record<string, unknown>, query: Query): Record<string, unknown> {
  const { processingTimeMs: _time, requestUid: _uid, ...rest } = answer;
  if (query.distinct !== undefined) {
    for (const key of ['estimatedTotalHits', 'totalHits', 'totalPages', 'facetDistribution']) delete rest[key];
  }
  return rest;
}
