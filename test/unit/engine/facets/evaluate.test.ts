// Goal: FacetStore.evaluate returns exactly the documents a filter matches,
// through additions and removals, on nested objects, arrays, nulls, empty
// values, numbers, booleans and case/space variants of strings.
// Method: seeded random documents and random filters (generated as strings
// and parsed, so the whole stack is exercised), compared with a naive oracle
// that walks each document (oracle.ts); plus hand-checked cases of
// Meilisearch's rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Bitset } from '../../../../engine/core/bitset.ts';
import { defaultSettings } from '../../../../api/protocol/settings/settings.ts';
import { createFacetStore } from '../../../../engine/facets/facet-store.ts';
import { FilterParseError, parseFilter } from '../../../../api/protocol/filter/parse.ts';
import { MeiliError } from '../../../../api/errors/registry.ts';
import { factsOf, matches } from './oracle.ts';

const FIELDS = ['a', 'b', 'c', 'a.x', 'a.y', 'c.x'];
const STRINGS = ['Red', 'red', ' RED ', 'blue', 'Blüe', 'é', 'e\u0301', '1', '10', '9', '1.5', 'true', 'x y', ''];
const OPERANDS = ['Red', 'red', 'blue', 'blüe', 'É', '1', '10', '9', '1.5', '-2', 'true', 'false', 'x y', '0', '2e0'];

const scalar = fc.oneof(
  fc.constantFrom(...STRINGS),
  fc.constantFrom(0, 1, 9, 10, 1.5, -2, 2, 100),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.letrec<{ v: unknown }>((self) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(self('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('x', 'y'), self('v'), { maxKeys: 2 }),
  ),
})).v;
const doc = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'z'), value, { maxKeys: 4 });

const field = fc.constantFrom(...FIELDS);
const operand = fc.constantFrom(...OPERANDS).map((s) => JSON.stringify(s));
const leaf = fc.oneof(
  fc.tuple(field, fc.constantFrom('=', '!=', '>', '>=', '<', '<='), operand).map(([f, op, v]) => `${f} ${op} ${v}`),
  fc.tuple(field, operand, operand).map(([f, x, y]) => `${f} ${x} TO ${y}`),
  fc.tuple(field, fc.array(operand, { maxLength: 3 })).map(([f, vs]) => `${f} IN [${vs.join(', ')}]`),
  fc.tuple(field, fc.array(operand, { maxLength: 3 })).map(([f, vs]) => `${f} NOT IN [${vs.join(', ')}]`),
  field.chain((f) => fc.constantFrom(`${f} EXISTS`, `${f} NOT EXISTS`, `${f} IS NULL`, `${f} IS NOT NULL`, `${f} IS EMPTY`, `${f} IS NOT EMPTY`)),
);
const filter = fc.letrec<{ f: string }>((self) => ({
  f: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.tuple(self('f'), fc.constantFrom('AND', 'OR'), self('f')).map(([x, op, y]) => `(${x}) ${op} (${y})`),
    self('f').map((x) => `NOT (${x})`),
  ),
})).f;

function oracleIds(docs: Array<Record<string, unknown> | null>, expr: NonNullable<ReturnType<typeof parseFilter>>, known: Set<string>): number[] {
  const ids: number[] = [];
  docs.forEach((d, id) => {
    if (d && matches(expr, factsOf(d), known)) ids.push(id);
  });
  return ids;
}

test('evaluation matches the per-document oracle on random documents and filters', () => {
  const settings = defaultSettings();
  settings.filterableAttributes = ['a', 'b', 'c'];
  fc.assert(
    fc.property(fc.array(doc, { minLength: 1, maxLength: 25 }), fc.array(filter, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(24), { maxLength: 6 }), (docs, filters, removals) => {
      const store = createFacetStore(settings);
      const live: Array<Record<string, unknown> | null> = [...docs];
      const known = new Set<string>();
      docs.forEach((d, id) => {
        store.add(id, d);
        for (const path of factsOf(d).keys()) known.add(path);
      });
      for (const id of removals) {
        const d = live[id];
        if (!d) continue;
        store.remove(id, d);
        live[id] = null;
      }
      const universe = Bitset.of(live.flatMap((d, id) => (d ? [id] : [])));
      for (const text of filters) {
        const expr = parseFilter(text);
        assert.ok(expr);
        const got = store.evaluate(expr, universe, 'invalid_search_filter', 'idx').toArray();
        assert.deepEqual(got, oracleIds(live, expr, known), text);
      }
    }),
    { numRuns: 250, seed: 1234 },
  );
});

test('evaluation stays exact while documents are added, removed and replaced between filters', () => {
  // The store caches the documents of values held by many of them; every
  // write between two reads must be seen. `=` and IN read those caches.
  const settings = defaultSettings();
  settings.filterableAttributes = ['a', 'b', 'c'];
  // Few values, so the same ones are written and read again and again.
  const few = fc.constantFrom<unknown>('red', 'Blue', 1, 2, ['red', 2], null);
  const smallDoc = fc.record({ a: few, b: few }, { requiredKeys: [] });
  const smallFilter = fc.oneof(
    fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom('red', 'blue', '1', '2')).map(([f, v]) => `${f} = ${v}`),
    fc.tuple(fc.constantFrom('a', 'b'), fc.subarray(['red', 'blue', '1', '2'])).map(([f, vs]) => `${f} IN [${vs.join(', ')}]`),
    fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom('red', '2')).map(([f, v]) => `${f} != ${v}`),
    filter,
  );
  const op = fc.oneof(
    fc.tuple(fc.constant('put' as const), fc.nat(40), fc.oneof(smallDoc, doc)),
    fc.tuple(fc.constant('remove' as const), fc.nat(40)),
    fc.tuple(fc.constant('filter' as const), smallFilter),
  );
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
      const store = createFacetStore(settings);
      const live: Array<Record<string, unknown> | null> = [];
      const known = new Set<string>();
      for (const o of ops) {
        if (o[0] === 'put') {
          const [, id, d] = o;
          const previous = live[id];
          if (previous) store.remove(id, previous);
          store.add(id, d);
          live[id] = d;
          for (const path of factsOf(d).keys()) known.add(path);
        } else if (o[0] === 'remove') {
          const previous = live[o[1]];
          if (!previous) continue;
          store.remove(o[1], previous);
          live[o[1]] = null;
        } else {
          const expr = parseFilter(o[1]);
          assert.ok(expr);
          const universe = Bitset.of(live.flatMap((d, id) => (d ? [id] : [])));
          assert.deepEqual(store.evaluate(expr, universe, 'invalid_search_filter', 'idx').toArray(), oracleIds(live, expr, known), o[1]);
        }
      }
    }),
    { numRuns: 300, seed: 4321 },
  );
});

test('= and IN see every write made since the previous read of the same value', () => {
  const settings = defaultSettings();
  settings.filterableAttributes = ['a'];
  const store = createFacetStore(settings);
  const ids = (f: string) => store.evaluate(parseFilter(f)!, Bitset.full(64), 'invalid_search_filter', 'i').toArray();
  store.add(0, { a: 'red' });
  store.add(1, { a: 2 });
  store.add(2, { a: ['red', 2] });
  assert.deepEqual([ids('a = red'), ids('a = 2'), ids('a IN [red, 2]')], [[0, 2], [1, 2], [0, 1, 2]]);
  store.add(3, { a: 'Red' });
  store.add(4, { a: 2 });
  assert.deepEqual([ids('a = red'), ids('a = 2')], [[0, 2, 3], [1, 2, 4]], 'added after a read');
  store.remove(0, { a: 'red' });
  store.remove(1, { a: 2 });
  assert.deepEqual([ids('a = red'), ids('a = 2')], [[2, 3], [2, 4]], 'removed after a read');
  store.remove(2, { a: ['red', 2] });
  store.add(2, { a: 'blue' });
  assert.deepEqual([ids('a = red'), ids('a = 2'), ids('a = blue')], [[3], [4], [2]], 'replaced after a read');
  store.remove(3, { a: 'Red' });
  store.add(3, { a: 'red' });
  store.remove(4, { a: 2 });
  store.add(4, { a: 2 });
  assert.deepEqual([ids('a = red'), ids('a = 2')], [[3], [4]], 'replaced by the same value');
});

function storeOf(filterable: ReturnType<typeof defaultSettings>['filterableAttributes'], docs: Array<Record<string, unknown>>) {
  const settings = defaultSettings();
  settings.filterableAttributes = filterable;
  const store = createFacetStore(settings);
  docs.forEach((d, id) => store.add(id, d));
  const ids = (f: string) => store.evaluate(parseFilter(f)!, Bitset.full(docs.length), 'invalid_search_filter', 'movies').toArray();
  const error = (f: string, code: 'invalid_search_filter' | 'invalid_document_filter' = 'invalid_search_filter') => {
    try {
      store.evaluate(parseFilter(f)!, Bitset.full(docs.length), code, 'movies');
    } catch (e) {
      return e as Error & { code: string };
    }
    assert.fail(`expected ${f} to fail`);
  };
  return { store, ids, error };
}

test('Meilisearch value rules: normalization, numbers as numbers and strings, null and empty', () => {
  const { ids } = storeOf(['v', 'o'], [
    { v: 'Blue' }, { v: '  BLUE ' }, { v: 12 }, { v: '12' }, { v: true }, { v: null }, { v: '' }, { v: [] },
    { v: {} }, { v: [null, ''] }, { o: { p: null, q: [] } }, { v: ['ＡＢ'] }, {},
  ]);
  assert.deepEqual(ids('v = blue'), [0, 1]);
  assert.deepEqual(ids('v = "  Blue"'), [0, 1]);
  assert.deepEqual(ids('v = 12'), [2, 3]);
  assert.deepEqual(ids('v = 12.0'), [2]);
  assert.deepEqual(ids('v = TRUE'), [4]);
  assert.deepEqual(ids('v IS NULL'), [5]);
  assert.deepEqual(ids('v IS EMPTY'), [6, 7, 8]);
  assert.deepEqual(ids('v EXISTS'), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11]);
  assert.deepEqual(ids('v != blue'), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual(ids('o.p IS NULL'), [10]);
  assert.deepEqual(ids('o.q IS EMPTY'), [10]);
  assert.deepEqual(ids('o EXISTS'), [10]);
  assert.deepEqual(ids('v = ab'), [11]);
  // Strings compare in byte order against the raw operand too: "blue" > "11".
  assert.deepEqual(ids('v > 11'), [0, 1, 2, 3, 4, 11]);
  assert.deepEqual(ids('v 0 TO 100'), [2]); // "12" is above "100" as a string
});

test('a field no document has matches nothing, even with != (Meilisearch quirk)', () => {
  const { ids } = storeOf(['v', 'ghost'], [{ v: 1 }, { v: 2 }]);
  assert.deepEqual(ids('ghost != 1'), []);
  assert.deepEqual(ids('NOT ghost = 1'), [0, 1]);
});

test('not-filterable attributes are refused with the position of the first one', () => {
  const none = storeOf([], [{ doggo: 'bernese' }]);
  const e1 = none.error('doggo = bernese', 'invalid_document_filter');
  assert.equal(e1.code, 'invalid_document_filter');
  assert.equal(e1.message, 'Index `movies`: Attribute `doggo` is not filterable. This index does not have configured filterable attributes.\n1:6 doggo = bernese');
  const some = storeOf(['title', { attributePatterns: ['genre*'], features: { facetSearch: false, filter: { equality: true, comparison: false } } }, { attributePatterns: ['off'], features: { facetSearch: true, filter: { equality: false, comparison: false } } }], [{ title: 'x' }]);
  assert.equal(
    some.error("title = x AND ('dog race' = 1 OR cat = 2)").message,
    'Index `movies`: Attribute `dog race` is not filterable. Available filterable attribute patterns are: `genre*`, `title`.\n17:25 title = x AND (\'dog race\' = 1 OR cat = 2)',
  );
  assert.match(some.error('off EXISTS').message, /^Index `movies`: Attribute `off` is not filterable/);
});

test('granular rules: wildcard patterns, no nested match, and operator permissions', () => {
  const rules = [
    { attributePatterns: ['price*'], features: { facetSearch: false, filter: { equality: true, comparison: false } } },
    { attributePatterns: ['*_at'], features: { facetSearch: false, filter: { equality: false, comparison: true } } },
    'legacy',
  ];
  const { ids, error } = storeOf(rules, [
    { price: 10, priceEur: 9, created_at: 5, legacy: { deep: 'x' }, nested: { price: 1 } },
    { price: 20, created_at: 7 },
  ]);
  assert.deepEqual(ids('price = 10 OR priceEur = 9'), [0]);
  assert.deepEqual(ids('created_at > 6'), [1]);
  assert.deepEqual(ids('legacy.deep = x'), [0]);
  assert.deepEqual(ids('price EXISTS'), [0, 1]);
  assert.equal(
    error('price > 10').message,
    'Index `movies`: Filter operator `>` is not allowed for the attribute `price`.\n' +
    '  - Note: allowed operators: OR, AND, NOT, =, !=, IN, IS EMPTY, IS NULL, EXISTS.\n' +
    '  - Note: field `price` matched rule #0 in `filterableAttributes`\n' +
    '  - Hint: enable comparison in rule #0 by modifying the features.filter object\n' +
    '  - Hint: prepend another rule matching `price` with appropriate filter features before rule #0',
  );
  assert.match(error('created_at IN [5]').message, /Filter operator `=` is not allowed for the attribute `created_at`\.\n  - Note: allowed operators: OR, AND, NOT, <, >, <=, >=, TO, IS EMPTY, IS NULL, EXISTS\.\n.*\n  - Hint: enable equality in rule #1/);
  assert.match(error('nested.price = 1').message, /Attribute `nested.price` is not filterable/);
  // An AND that is already empty does not evaluate (nor refuse) what follows.
  assert.deepEqual(ids('price = 999 AND price > 1'), []);
});

test('geo filters: radius, bounding box across the antimeridian, and argument errors', () => {
  const { ids, error } = storeOf(['_geo'], [
    { _geo: { lat: 48.8566, lng: 2.3522 } }, { _geo: { lat: 48.86, lng: 2.35 } }, { _geo: { lat: '45.76', lng: '4.83' } },
    { _geo: { lat: 0, lng: 179.5 } }, { _geo: { lat: 0, lng: -179.5 } }, {},
  ]);
  assert.deepEqual(ids('_geoRadius(48.8566, 2.3522, 1000)'), [0, 1]);
  assert.deepEqual(ids('_geoRadius(48.8566, 2.3522, 400000)'), [0, 1, 2]);
  assert.deepEqual(ids('_geoBoundingBox([50, 5], [45, 2])'), [0, 1, 2]);
  assert.deepEqual(ids('_geoBoundingBox([1, -179], [-1, 179])'), [3, 4]);
  assert.deepEqual(ids('NOT _geoRadius(48.8566, 2.3522, 1000)'), [2, 3, 4, 5]);
  assert.deepEqual(ids('_geoRadius(48.8566, 2.3522, 1000, 125)'), [0, 1]);
  // A point gives the numbers `_geo.lat` / `_geo.lng`, even when written as strings.
  assert.deepEqual(ids('_geo.lat 45 TO 46'), [2]);
  assert.deepEqual(ids('_geo.lng < 0'), [4]);
  const cases: Array<[string, string]> = [
    ['_geoRadius(91, 0, 1)', 'Bad latitude `91`. Latitude must be contained between -90 and 90 degrees.\n12:14 _geoRadius(91, 0, 1)'],
    ['_geoRadius(0, 190.5, 1)', 'Bad longitude `190.5`. Longitude must be contained between -180 and 180 degrees. Hint: try using `-169.5` instead.\n15:20 _geoRadius(0, 190.5, 1)'],
    ['_geoRadius(0, 0, 1e400)', 'Non finite floats are not supported\n18:23 _geoRadius(0, 0, 1e400)'],
    ['_geoRadius(0, 0, 10, 2.9)', 'Invalid resolution `2`. Resolution must be between 3 and 1000.\n22:25 _geoRadius(0, 0, 10, 2.9)'],
    ['_geoRadius(0, 0, 10, -5)', 'Invalid resolution `0`. Resolution must be between 3 and 1000.\n22:24 _geoRadius(0, 0, 10, -5)'],
    ['_geoBoundingBox([1, 0], [2, 0])', 'The top latitude `1` is below the bottom latitude `2`.\n29:30 _geoBoundingBox([1, 0], [2, 0])'],
  ];
  for (const [f, message] of cases) assert.equal(error(f).message, `Index \`movies\`: ${message}`);
  const noGeo = storeOf(['x'], [{ _geo: { lat: 1, lng: 1 } }]);
  assert.equal(noGeo.error('_geoRadius(1, 1, 1)').message, 'Index `movies`: Attribute `_geo/_geojson` is not filterable. Available filterable attribute patterns are: `x`.\n12:13 _geoRadius(1, 1, 1)');
});

test('100k documents: filters evaluate fast', () => {
  const settings = defaultSettings();
  settings.filterableAttributes = ['price', 'genre', 'tags'];
  const store = createFacetStore(settings);
  const genres = ['Action', 'Drama', 'Comedy', 'Horror', 'Sci-Fi'];
  const n = 100_000;
  // CPU time, not wall time: the test machine is shared.
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  const startAdd = process.cpuUsage();
  for (let i = 0; i < n; i++) store.add(i, { price: (i * 7919) % 1000, genre: genres[i % 5], tags: [`t${i % 50}`, `u${i % 7}`] });
  const addMs = cpuMs(startAdd);
  const all = Bitset.full(n);
  const filters = ['price > 500 AND genre = drama', 'genre IN [action, comedy] OR tags = t3', 'NOT price 100 TO 900', 'price != 5 AND tags EXISTS'];
  const start = process.cpuUsage();
  const sizes = filters.map((f) => store.evaluate(parseFilter(f)!, all, 'invalid_search_filter', 'idx').size);
  const perFilterMs = cpuMs(start) / filters.length;
  assert.equal(sizes[0], store.evaluate(parseFilter('genre = drama')!, all, 'invalid_search_filter', 'idx').intersect(store.evaluate(parseFilter('price > 500')!, all, 'invalid_search_filter', 'idx')).size);
  assert.ok(perFilterMs < 200, `a filter took ${perFilterMs.toFixed(1)} ms`);

  const startDist = process.cpuUsage();
  const dist = store.distribution(all, ['*'], 'idx');
  const distMs = cpuMs(startDist);
  assert.equal(dist.facetDistribution['genre']!['Drama'], n / 5);
  assert.deepEqual(dist.facetStats['price'], { min: 0, max: 999 });

  const startRemove = process.cpuUsage();
  for (let i = 0; i < n; i += 2) store.remove(i, {});
  const odd = store.evaluate(parseFilter('genre = drama')!, all, 'invalid_search_filter', 'idx');
  const removeMs = cpuMs(startRemove);
  assert.equal(odd.size, n / 10);
  assert.ok(odd.toArray().every((id) => id % 2 === 1));
  console.log(`# 100k docs (CPU): add ${addMs.toFixed(0)} ms, ${perFilterMs.toFixed(1)} ms per filter, ` +
    `distribution of 3 facets over all ${distMs.toFixed(0)} ms, remove 50k then filter ${removeMs.toFixed(0)} ms`);
});

test('granular patterns facet only what they name; sortable-only fields are not filterable', () => {
  const exact = storeOf([{ attributePatterns: ['a.b'], features: { facetSearch: false, filter: { equality: true, comparison: false } } }], [
    { a: { b: 1, c: 2 } }, { a: [{ b: 1 }, { b: 3 }] }, { a: { b: null } },
  ]);
  assert.deepEqual(exact.ids('a.b = 1'), [0, 1]);
  assert.deepEqual(exact.ids('a.b IS NULL'), [2]);
  assert.match(exact.error('a.c = 2').message, /Attribute `a.c` is not filterable. Available filterable attribute patterns are: `a.b`/);
  assert.match(exact.error('a EXISTS').message, /Attribute `a` is not filterable/);

  const all = storeOf([{ attributePatterns: ['*'], features: { facetSearch: true, filter: { equality: true, comparison: true } } }], [
    { a: { b: 1 }, c: 'x' },
  ]);
  assert.deepEqual(all.ids('a.b >= 1 AND c = X AND a EXISTS'), [0]);

  const settings = defaultSettings();
  settings.sortableAttributes = ['s'];
  const store = createFacetStore(settings);
  store.add(0, { s: 'Zed' });
  assert.deepEqual(store.values(0, 's'), { strings: ['zed'], numbers: [] });
  assert.throws(() => store.evaluate(parseFilter('s = zed')!, Bitset.full(1), 'invalid_search_filter', 'i'), /Attribute `s` is not filterable. This index does not have configured filterable attributes./);
});

test('any parsed filter either evaluates or fails with a MeiliError under the route code', () => {
  const rules = [
    'a',
    { attributePatterns: ['b*'], features: { facetSearch: true, filter: { equality: true, comparison: false } } },
    { attributePatterns: ['c'], features: { facetSearch: false, filter: { equality: false, comparison: true } } },
    '_geo',
  ];
  const { store } = storeOf(rules, [
    { a: 1, b: 'x', c: 2, _geo: { lat: 1, lng: 2 } }, { a: [null, 'y'], bb: { k: 1 }, c: 'z' }, { d: 1 },
  ]);
  const text = fc.constantFrom('a', 'b', 'bb.k', 'c', 'd', 'e', '1', '-1', '91', 'x', '1e400', '_geoRadius(1, 2, 3)', '_geoBoundingBox([1, 2], [0, 1])', '_geoRadius(100, 2, 3)');
  const op = fc.constantFrom('=', '!=', '>', '<=', 'TO', 'IN', 'EXISTS', 'IS NULL', 'IS NOT EMPTY', 'AND', 'OR', 'NOT', '(', ')', '[', ']', ',');
  fc.assert(fc.property(fc.array(fc.oneof(text, op), { maxLength: 12 }), (parts) => {
    let expr;
    try {
      expr = parseFilter(parts.join(' '));
    } catch (error) {
      // Syntax errors are the parser tests' business; only their type matters here.
      assert.ok(error instanceof FilterParseError, String(error));
      return;
    }
    if (!expr) return;
    try {
      store.evaluate(expr, Bitset.full(3), 'invalid_document_filter', 'i');
    } catch (error) {
      assert.ok(error instanceof MeiliError, String(error));
      assert.equal(error.code, 'invalid_document_filter');
      assert.match(error.message, /^Index `i`: /);
    }
  }), { seed: 11, numRuns: 4000 });
});
