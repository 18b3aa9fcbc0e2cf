// Goal: shard(pk) = xxh64(utf8(String(pk)), seed 0) mod S must never change
// between versions, peers or runs, and integer keys must route like their
// decimal strings. Method: (1) check xxhash-wasm against an independent BigInt
// xxHash64 written from the specification, anchored on the specification's
// published vectors, over fixed and seeded random strings (ASCII, multi-byte,
// every length path: <4, <8, <32 and >=32 bytes); (2) compare shardOf against
// a golden table. The table was produced once by running shardOf and
// Hasher.h64 (xxhash-wasm 1.1.0) over the keys below, and every hash in it is
// re-derived here by the reference implementation, so it is not
// self-referential: a change in either implementation fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadHasher } from '../../../../runtime/routing/hasher.ts';
import { canonicalKey, shardOf } from '../../../../runtime/routing/shard-hash.ts';
import { createRouter } from '../../../../runtime/routing/index.ts';
import { seededRng } from '../../../../runtime/env/rng.ts';
import { xxh64ReferenceText } from './xxh64-reference.ts';

const hasher = await loadHasher();

// [key, shard mod 64, shard mod 7, shard mod 1000, xxh64 hex]
const GOLDEN: ReadonlyArray<readonly [string, number, number, number, string]> = [
  ['0', 44, 1, 28, '633457081244afec'],
  ['1', 20, 3, 420, 'b7b41276360564d4'],
  ['2', 11, 5, 251, '6021b5621680598b'],
  ['42', 57, 3, 401, '6de6f5d076d742b9'],
  ['1000', 51, 5, 307, '6aa48fba1835cab3'],
  ['9007199254740991', 31, 3, 743, 'cadf104f942b25f'],
  ['doc-1', 42, 4, 458, '37fe13bd80c56aa'],
  ['doc-2', 58, 2, 610, '22cf35c5b416b33a'],
  ['movie_12345', 11, 4, 427, '4549e2875d2ece8b'],
  ['a', 27, 6, 955, 'd24ec4f1a98c6e5b'],
  ['Z', 11, 2, 83, 'f146d7bf5f35570b'],
  ['user-ß', 17, 5, 17, 'cd16580601d14011'],
  ['ключ', 28, 5, 748, 'a17d2dd13d89d19c'],
  ['😀', 0, 0, 144, '9025b8abaae87b80'],
  ['abcdefghijklmnopqrstuvwxyz0123456789', 38, 4, 262, '64f23ecf1609b766'],
];

test('the reference xxHash64 reproduces the published vectors of the specification', () => {
  assert.equal(xxh64ReferenceText(''), 0xef46db3751d8e999n);
  assert.equal(xxh64ReferenceText('a'), 0xd24ec4f1a98c6e5bn);
  assert.equal(xxh64ReferenceText('abc'), 0x44bc2cf5ad770999n);
});

test('xxhash-wasm agrees with the reference on fixed and seeded random strings', () => {
  const fixed = ['', 'a', 'abc', 'héllo wörld ✓ 🎉', 'x'.repeat(31), 'x'.repeat(32), 'y'.repeat(100)];
  const rng = seededRng(20261123);
  const alphabet = 'abcXYZ019-_ éß✓😀ключ';
  const chars = [...alphabet];
  const random = Array.from({ length: 300 }, () =>
    Array.from({ length: rng.int(70) }, () => chars[rng.int(chars.length)]!).join(''),
  );
  for (const text of [...fixed, ...random]) assert.equal(hasher.h64(text), xxh64ReferenceText(text), text);
});

test('shardOf matches the golden table, and its hashes match the reference', () => {
  for (const [key, s64, s7, s1000, hex] of GOLDEN) {
    assert.equal(xxh64ReferenceText(key).toString(16), hex, `reference hash of ${key}`);
    assert.equal(hasher.h64(key).toString(16), hex, `xxhash-wasm hash of ${key}`);
    assert.equal(shardOf(hasher, key, 64), s64, `${key} mod 64`);
    assert.equal(shardOf(hasher, key, 7), s7, `${key} mod 7`);
    assert.equal(shardOf(hasher, key, 1000), s1000, `${key} mod 1000`);
    assert.equal(Number(BigInt(`0x${hex}`) % 64n), s64, `golden row of ${key} is consistent`);
  }
});

test('integer keys route like their decimal string form', () => {
  for (const n of [0, 1, 2, 42, 1000, Number.MAX_SAFE_INTEGER]) {
    assert.equal(shardOf(hasher, n, 64), shardOf(hasher, String(n), 64));
    assert.equal(shardOf(hasher, BigInt(n), 64), shardOf(hasher, String(n), 64));
  }
  assert.equal(canonicalKey(18446744073709551615n), '18446744073709551615');
  assert.equal(shardOf(hasher, 1, 1), 0);
});

test('non-integer numbers and bad shard counts are programmer errors', () => {
  assert.throws(() => shardOf(hasher, 1.5, 64), /safe integer/);
  assert.throws(() => shardOf(hasher, 2 ** 60, 64), /safe integer/);
  assert.throws(() => shardOf(hasher, 'a', 0), /positive integer/);
});

test('createRouter binds the same functions synchronously', async () => {
  const router = await createRouter();
  assert.equal(router.shardOf('doc-1', 64), 42);
  assert.equal(router.shardOf(42, 64), 57);
  assert.deepEqual(router.placeShard(0, ['node-a', 'node-b', 'node-c', 'node-d'], 2), ['node-a', 'node-d']);
  assert.equal(router.rendezvousScore(0, 'node-a'), 0xd4049b4e234ef0f6n);
  assert.equal(router.placeGroup(8, ['node-a', 'node-b'], 1).length, 8);
});
