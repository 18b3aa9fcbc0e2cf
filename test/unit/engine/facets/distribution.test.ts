// Goal: facetDistribution and facetStats answer what Meilisearch answers:
// the same counts, the same original-cased value, the same order and cut at
// maxValuesPerFacet, the same field selection and the same errors.
// Method: Meilisearch's own examples (milli facet_distribution.rs tests),
// hand-checked ordering cases, and a seeded property comparing counts and
// stats with an oracle that walks each candidate document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Bitset } from '../../../../engine/core/bitset.ts';
import { defaultSettings, type Settings } from '../../../../api/protocol/settings/settings.ts';
import { createFacetStore } from '../../../../engine/facets/facet-store.ts';
import { facetKey, formatF64 } from '../../../../engine/facets/normalize.ts';
import { factsOf } from './oracle.ts';

function storeWith(docs: Array<Record<string, unknown>>, edit: (s: Settings) => void) {
  const settings = defaultSettings();
  edit(settings);
  const store = createFacetStore(settings);
  docs.forEach((d, id) => store.add(id, d));
  return store;
}

test("Meilisearch's few-candidates example: original casing of the first candidate, cut and order", () => {
  const docs = [{ colour: 'Blue' }, { colour: '  blue' }, { colour: 'RED' }];
  const dist = (ids: number[], max = 100, order: 'alpha' | 'count' = 'alpha') =>
    storeWith(docs, (s) => {
      s.filterableAttributes = ['colour'];
      s.faceting = { maxValuesPerFacet: max, sortFacetValuesBy: { '*': order } };
    }).distribution(Bitset.of(ids), ['colour'], 'idx').facetDistribution;
  assert.deepEqual(dist([0, 1, 2]), { colour: { Blue: 2, RED: 1 } });
  assert.deepEqual(dist([1, 2]), { colour: { '  blue': 1, RED: 1 } });
  assert.deepEqual(dist([2]), { colour: { RED: 1 } });
  assert.deepEqual(dist([0, 1, 2], 1), { colour: { Blue: 2 } });
  assert.deepEqual(dist([0, 1, 2], 1, 'count'), { colour: { Blue: 2 } });
});

test("Meilisearch's many-candidates example", () => {
  const values = ['Red', 'RED', ' red ', 'Blue', 'BLUE'];
  const docs = Array.from({ length: 10_000 }, (_, i) => ({ colour: values[i % 5] }));
  const run = (ids: number[], max: number, order: 'alpha' | 'count') =>
    storeWith(docs, (s) => {
      s.filterableAttributes = ['colour'];
      s.faceting = { maxValuesPerFacet: max, sortFacetValuesBy: { '*': 'alpha', colour: order } };
    }).distribution(Bitset.of(ids), ['colour'], 'idx').facetDistribution['colour'];
  const all = Array.from({ length: 10_000 }, (_, i) => i);
  const half = all.slice(0, 5000);
  assert.deepEqual(run(all, 100, 'alpha'), { Blue: 4000, Red: 6000 });
  assert.deepEqual(run(all, 1, 'alpha'), { Blue: 4000 });
  assert.deepEqual(run(half, 100, 'alpha'), { Blue: 2000, Red: 3000 });
  assert.deepEqual(run(half, 1, 'alpha'), { Blue: 2000 });
  assert.deepEqual(run(half, 1, 'count'), { Red: 3000 });
});

test('numbers come before strings, printed as Rust prints an f64, ordered by text over few candidates', () => {
  const docs = [{ n: 9 }, { n: 10 }, { n: 1e21 }, { n: 0.5 }, { n: 'x' }];
  const run = (ids: number[], max: number) =>
    Object.keys(storeWith(docs, (s) => {
      s.filterableAttributes = ['n'];
      s.faceting = { maxValuesPerFacet: max, sortFacetValuesBy: { '*': 'alpha' } };
    }).distribution(Bitset.of(ids), ['n'], 'idx').facetDistribution['n']!);
  // Integer-like keys are reordered by JS objects, so compare the chosen sets.
  assert.deepEqual(new Set(run([0, 1, 2, 3, 4], 2)), new Set(['0.5', '10']));
  assert.deepEqual(new Set(run([0, 1, 2, 3, 4], 5)), new Set(['0.5', '10', '1000000000000000000000', '9', 'x']));
  const many = Array.from({ length: 4000 }, (_, i) => ({ n: i % 2 === 0 ? 9 : 10 }));
  const big = storeWith(many, (s) => {
    s.filterableAttributes = ['n'];
    s.faceting = { maxValuesPerFacet: 1, sortFacetValuesBy: { '*': 'alpha' } };
  });
  // Over more than 3000 candidates the numeric order applies: 9 before 10.
  assert.deepEqual(big.distribution(Bitset.full(4000), ['n'], 'idx').facetDistribution, { n: { 9: 2000 } });
  assert.deepEqual(big.distribution(Bitset.full(3000), ['n'], 'idx').facetDistribution, { n: { 10: 1500 } });
});

test('field selection: `*`, nested selection by a parent name, stats only for numbers', () => {
  const store = storeWith(
    [{ dog: { age: 3, name: 'Rex' }, cat: 'Tom', price: 5 }, { dog: { age: 5 }, price: 'cheap' }, { hidden: 1 }],
    (s) => { s.filterableAttributes = ['dog', 'cat', 'price']; },
  );
  const all = Bitset.full(3);
  assert.deepEqual(store.distribution(all, ['dog'], 'idx'), {
    facetDistribution: { dog: {}, 'dog.age': { 3: 1, 5: 1 }, 'dog.name': { Rex: 1 } },
    facetStats: { 'dog.age': { min: 3, max: 5 } },
  });
  assert.deepEqual(Object.keys(store.distribution(all, ['*'], 'idx').facetDistribution), ['cat', 'dog', 'dog.age', 'dog.name', 'price']);
  assert.deepEqual(store.distribution(all, ['cat', 'price'], 'idx').facetStats, { price: { min: 5, max: 5 } });
  assert.deepEqual(store.distribution(Bitset.of([1]), ['cat'], 'idx'), { facetDistribution: { cat: {} }, facetStats: {} });
  assert.deepEqual(store.distribution(all, [], 'idx'), { facetDistribution: {}, facetStats: {} });
});

test('a facet that no filterable rule matches is invalid_search_facets', () => {
  const error = (rules: Settings['filterableAttributes'], facets: string[]) => {
    const store = storeWith([{ a: 1 }], (s) => { s.filterableAttributes = rules; });
    try {
      store.distribution(Bitset.full(1), facets, 'movies');
    } catch (e) {
      return e as Error & { code: string };
    }
    assert.fail('expected an error');
  };
  const none = error([], ['color']);
  assert.equal(none.code, 'invalid_search_facets');
  assert.equal(none.message, 'Index `movies`: Invalid facet distribution: Attribute `color` is not filterable. This index does not have configured filterable attributes.');
  assert.equal(error(['title', 'id'], ['color']).message, 'Index `movies`: Invalid facet distribution: Attribute `color` is not filterable. Available filterable attributes patterns are: `id, title`.');
  const searchOnly = { attributePatterns: ['color'], features: { facetSearch: true, filter: { equality: false, comparison: false } } };
  assert.equal(
    error(['id', searchOnly], ['color']).message,
    'Index `movies`: Invalid facet distribution: Attribute `color` matched rule #1 in filterableAttributes, but this rule does not enable filtering.\n' +
    'Hint: enable filtering in rule #1 by modifying the features.filter object\n' +
    'Hint: prepend another rule matching `color` with appropriate filter features before rule #1',
  );
});

const scalar = fc.oneof(fc.constantFrom('Red', 'red', ' RED', 'blue', 'é', 'e\u0301', '3', 'true'), fc.constantFrom(1, 2, 3, 0.5, -4), fc.boolean(), fc.constant(null));
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.constantFrom('x', 'y'), scalar, { maxKeys: 2 }));
const doc = fc.dictionary(fc.constantFrom('a', 'b', 'z'), value, { maxKeys: 3 });

test('counts and stats match an oracle over random documents and candidates', () => {
  fc.assert(
    fc.property(fc.array(doc, { maxLength: 30 }), fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), fc.constantFrom('alpha' as const, 'count' as const), (docs, picked, order) => {
      const store = storeWith(docs, (s) => {
        s.filterableAttributes = ['a', 'b'];
        s.faceting = { maxValuesPerFacet: 1000, sortFacetValuesBy: { '*': order } };
      });
      const ids = docs.flatMap((_, i) => (picked[i] ? [i] : []));
      const got = store.distribution(Bitset.of(ids), ['*'], 'idx');
      const expected: Record<string, Record<string, number>> = {};
      const stats: Record<string, { min: number; max: number }> = {};
      const known = new Set(docs.flatMap((d) => [...factsOf(d).keys()]).filter((p) => p === 'a' || p === 'b' || p.startsWith('a.') || p.startsWith('b.')));
      for (const path of known) {
        const numbers = new Map<string, number>();
        const strings = new Map<string, [string, number]>();
        for (const id of ids) {
          const facts = factsOf(docs[id]!).get(path);
          if (!facts) continue;
          for (const n of facts.numbers) {
            numbers.set(formatF64(n), (numbers.get(formatF64(n)) ?? 0) + 1);
            const st = stats[path];
            stats[path] = st ? { min: Math.min(st.min, n), max: Math.max(st.max, n) } : { min: n, max: n };
          }
          for (const key of facts.strings) {
            const entry = strings.get(key);
            strings.set(key, entry ? [entry[0], entry[1] + 1] : [firstOriginal(docs[id]!, path, key), 1]);
          }
        }
        expected[path] = Object.fromEntries([...numbers, ...[...strings.values()]]);
      }
      assert.deepEqual(got.facetDistribution, expected);
      assert.deepEqual(got.facetStats, stats);
    }),
    { numRuns: 300, seed: 99 },
  );
});

/** The first original text under `path` whose key is `key`, in document order. */
function firstOriginal(d: Record<string, unknown>, path: string, key: string): string {
  const found: string[] = [];
  const walk = (p: string, v: unknown): void => {
    if (typeof v === 'string' && p === path && v !== '' && facetKey(v) === key) found.push(v);
    else if (typeof v === 'boolean' && p === path && String(v) === key) found.push(String(v));
    else if (Array.isArray(v)) v.forEach((x) => walk(p, x));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(`${p}.${k}`, x);
  };
  for (const [k, v] of Object.entries(d)) walk(k, v);
  return found[0]!;
}

test('count order: ties by key descending; numbers that fill the cap let every string through (milli quirk)', () => {
  const docs = [{ t: 'a' }, { t: 'b' }, { t: 'c' }, { t: 'c' }, { t: 1 }, { t: 2 }];
  const run = (max: number) => storeWith(docs, (s) => {
    s.filterableAttributes = ['t'];
    s.faceting = { maxValuesPerFacet: max, sortFacetValuesBy: { '*': 'count' } };
  }).distribution(Bitset.full(6), ['t'], 'idx').facetDistribution['t']!;
  assert.deepEqual(run(10), { 1: 1, 2: 1, c: 2, b: 1, a: 1 });
  // JS objects list integer-like keys first; the string keys keep their order.
  assert.deepEqual(Object.keys(run(4)), ['1', '2', 'c', 'b']);
  assert.deepEqual(Object.keys(run(2)), ['1', '2', 'c', 'b', 'a']);
  assert.deepEqual(Object.keys(run(1)), ['2', 'c', 'b', 'a']);
});
