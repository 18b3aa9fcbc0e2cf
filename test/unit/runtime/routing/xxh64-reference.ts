// An independent xxHash64 written from the published specification
// (github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md, "XXH64 algorithm
// description") with BigInt arithmetic. It is slow and obviously correct; the
// routing tests use it to check xxhash-wasm so that the golden values are not
// merely the implementation agreeing with itself.

const MASK = (1n << 64n) - 1n;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & MASK;
const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK;
const add = (a: bigint, b: bigint): bigint => (a + b) & MASK;

function round(acc: bigint, lane: bigint): bigint {
  return mul(rotl(add(acc, mul(lane, P2)), 31n), P1);
}

function mergeRound(acc: bigint, lane: bigint): bigint {
  return add(mul(acc ^ round(0n, lane), P1), P4);
}

function readLe(bytes: Uint8Array, at: number, width: number): bigint {
  let v = 0n;
  for (let i = width - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]!);
  return v;
}

export function xxh64Reference(bytes: Uint8Array, seed = 0n): bigint {
  const len = bytes.length;
  let at = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = add(add(seed, P1), P2);
    let v2 = add(seed, P2);
    let v3 = seed;
    let v4 = (seed - P1) & MASK;
    for (; at + 32 <= len; at += 32) {
      v1 = round(v1, readLe(bytes, at, 8));
      v2 = round(v2, readLe(bytes, at + 8, 8));
      v3 = round(v3, readLe(bytes, at + 16, 8));
      v4 = round(v4, readLe(bytes, at + 24, 8));
    }
    h = add(add(rotl(v1, 1n), rotl(v2, 7n)), add(rotl(v3, 12n), rotl(v4, 18n)));
    for (const v of [v1, v2, v3, v4]) h = mergeRound(h, v);
  } else {
    h = add(seed, P5);
  }
  h = add(h, BigInt(len));
  for (; at + 8 <= len; at += 8) h = add(mul(rotl(h ^ round(0n, readLe(bytes, at, 8)), 27n), P1), P4);
  if (at + 4 <= len) {
    h = add(mul(rotl(h ^ mul(readLe(bytes, at, 4), P1), 23n), P2), P3);
    at += 4;
  }
  for (; at < len; at++) h = mul(rotl(h ^ mul(BigInt(bytes[at]!), P5), 11n), P1);
  h = mul(h ^ (h >> 33n), P2);
  h = mul(h ^ (h >> 29n), P3);
  return h ^ (h >> 32n);
}

export function xxh64ReferenceText(text: string, seed = 0n): bigint {
  return xxh64Reference(new TextEncoder().encode(text), seed);
}
