// shard(pk) = xxh64(utf8(String(pk)), seed 0) mod S (ARCHITECTURE §2).
//
// Invariants:
// - An integer key and its decimal string form map to the same shard: 1 and
//   "1" are one document in Meilisearch, which stores integer ids as strings.
// - The result depends only on the key and S: the same key maps to the same
//   shard on every peer and every run (golden-value tests pin it).
import { assert } from '../assert.ts';
import { isPositiveInteger } from './counts.ts';
import type { Hasher } from './hasher.ts';

export type PrimaryKeyValue = string | number | bigint;

/**
 * The canonical text of a primary key: strings as they are, integers in
 * decimal. Non-integer numbers are not valid Meilisearch document ids, so a
 * caller passing one has skipped validation (a programmer error).
 */
export function canonicalKey(pk: PrimaryKeyValue): string {
  if (typeof pk === 'string') return pk;
  if (typeof pk === 'bigint') return pk.toString(10);
  assert(Number.isSafeInteger(pk), `primary key ${pk} is not a safe integer`);
  return String(pk);
}

/** The shard in [0, shardCount) that owns the document with primary key `pk`. */
export function shardOf(hasher: Hasher, pk: PrimaryKeyValue, shardCount: number): number {
  assert(isPositiveInteger(shardCount), `shardCount ${shardCount} must be a positive integer`);
  return Number(hasher.h64(canonicalKey(pk)) % BigInt(shardCount));
}
