// Goal: rendezvous placement is deterministic, moves the minimum on topology
// changes and spreads shards evenly (ARCHITECTURE §2). Method: a golden table
// and the score's byte layout checked against the reference xxHash64; then
// seeded random node-id sets: add or remove one node and diff placements
// shard by shard; finally 64 shards on 3 nodes (RF 1) over 2,000 node-id sets,
// compared with the exact multinomial distribution a uniform hash gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadHasher } from '../../../../runtime/routing/hasher.ts';
import { placeGroup, placeShard, rendezvousScore, shardsByNode } from '../../../../runtime/routing/placement.ts';
import { seededRng } from '../../../../runtime/env/rng.ts';
import type { Rng } from '../../../../runtime/env/clock.ts';
import { xxh64Reference } from './xxh64-reference.ts';

const hasher = await loadHasher();

function nodeIds(rng: Rng, count: number): string[] {
  const ids = new Set<string>();
  while (ids.size < count) ids.add(`meili-${rng.int(2 ** 31).toString(36)}`);
  return [...ids];
}

test('score(shard, node) hashes decimal(shard), one NUL byte, then utf8(node id)', () => {
  const bytes = (shard: number, node: string): Uint8Array =>
    new Uint8Array([...new TextEncoder().encode(String(shard)), 0, ...new TextEncoder().encode(node)]);
  for (const [shard, node] of [[0, 'node-a'], [12, 'x'], [1, '2x'], [63, 'nœud-é']] as const) {
    assert.equal(rendezvousScore(hasher, shard, node), xxh64Reference(bytes(shard, node)));
  }
  // Golden: produced once by rendezvousScore, checked above against the reference layout.
  assert.equal(rendezvousScore(hasher, 0, 'node-a'), 0xd4049b4e234ef0f6n);
  // The separator keeps (12, "x") and (1, "2x") apart.
  assert.notEqual(rendezvousScore(hasher, 12, 'x'), rendezvousScore(hasher, 1, '2x'));
});

test('placement of 8 shards on 4 nodes with RF 2 matches the golden table', () => {
  // Produced once by placeGroup; owners are listed best score first.
  const golden = [
    ['node-a', 'node-d'], ['node-a', 'node-b'], ['node-d', 'node-c'], ['node-d', 'node-b'],
    ['node-a', 'node-b'], ['node-b', 'node-a'], ['node-d', 'node-c'], ['node-b', 'node-c'],
  ];
  assert.deepEqual(placeGroup(hasher, 8, ['node-a', 'node-b', 'node-c', 'node-d'], 2), golden);
  // The order in which nodes are listed does not matter.
  assert.deepEqual(placeGroup(hasher, 8, ['node-d', 'node-c', 'node-b', 'node-a'], 2), golden);
});

test('placement is the top RF by score, deterministic and independent of input order', () => {
  const rng = seededRng(7);
  for (let trial = 0; trial < 50; trial++) {
    const nodes = nodeIds(rng, 2 + rng.int(7));
    const rf = 1 + rng.int(nodes.length);
    const shard = rng.int(512);
    const owners = placeShard(hasher, shard, nodes, rf);
    const shuffled = [...nodes].sort(() => rng.next() - 0.5);
    assert.deepEqual(placeShard(hasher, shard, shuffled, rf), owners);
    const naive = [...nodes].sort((a, b) => {
      const d = rendezvousScore(hasher, shard, b) - rendezvousScore(hasher, shard, a);
      return d > 0n ? 1 : d < 0n ? -1 : a < b ? -1 : 1;
    });
    assert.deepEqual(owners, naive.slice(0, rf));
  }
  assert.deepEqual(placeShard(hasher, 3, ['only'], 3), ['only'], 'RF above the group size keeps every node');
});

test('adding a node moves about 1/(Ng+1) of the shard slots, all of them to the new node', (t) => {
  const rng = seededRng(11);
  const S = 64;
  let moved = 0;
  let expected = 0;
  for (let trial = 0; trial < 300; trial++) {
    const ng = 2 + rng.int(7);
    const rf = 1 + rng.int(Math.min(3, ng));
    const before = nodeIds(rng, ng + 1);
    const added = before.pop()!;
    const old = placeGroup(hasher, S, before, rf);
    const now = placeGroup(hasher, S, [...before, added], rf);
    for (let s = 0; s < S; s++) {
      const gained = now[s]!.filter((n) => !old[s]!.includes(n));
      const lost = old[s]!.filter((n) => !now[s]!.includes(n));
      assert.ok(gained.every((n) => n === added), 'a slot only ever moves to the new node');
      assert.equal(lost.length, gained.length, 'each gained slot replaces exactly one old owner');
      moved += gained.length;
    }
    expected += (S * rf) / (ng + 1);
  }
  t.diagnostic(`moved ${moved} shard slots, expected ${expected.toFixed(0)} (ratio ${(moved / expected).toFixed(3)})`);
  assert.ok(Math.abs(moved / expected - 1) < 0.05, `moved/expected = ${moved / expected}`);
});

test('removing a node moves only the shards it held', () => {
  const rng = seededRng(13);
  const S = 64;
  for (let trial = 0; trial < 300; trial++) {
    const ng = 3 + rng.int(6);
    const rf = 1 + rng.int(Math.min(3, ng - 1));
    const nodes = nodeIds(rng, ng);
    const removed = nodes[rng.int(ng)]!;
    const old = placeGroup(hasher, S, nodes, rf);
    const now = placeGroup(hasher, S, nodes.filter((n) => n !== removed), rf);
    for (let s = 0; s < S; s++) {
      if (!old[s]!.includes(removed)) {
        assert.deepEqual(now[s], old[s], 'a shard the removed node did not hold keeps its owners');
      } else {
        const kept = old[s]!.filter((n) => n !== removed);
        assert.deepEqual(now[s]!.slice(0, kept.length), kept, 'the other owners stay, in order');
        assert.equal(now[s]!.length, rf);
      }
    }
  }
});

// P(every one of 3 nodes holds between lo and hi of 64 shards) when each shard
// picks a node uniformly: the exact multinomial sum, in BigInt.
function multinomialWithin(shards: number, lo: number, hi: number): number {
  const fact = [1n];
  for (let i = 1; i <= shards; i++) fact.push(fact[i - 1]! * BigInt(i));
  let hits = 0n;
  for (let a = lo; a <= hi; a++) {
    for (let b = lo; b <= hi; b++) {
      const c = shards - a - b;
      if (c >= lo && c <= hi) hits += fact[shards]! / (fact[a]! * fact[b]! * fact[c]!);
    }
  }
  return Number((hits * 1_000_000n) / 3n ** BigInt(shards)) / 1_000_000;
}

test('64 shards on 3 nodes with RF 1 spread as a uniform hash predicts', (t) => {
  const rng = seededRng(17);
  const sets = 2000;
  const histogram = new Map<number, number>();
  let setsWithin = 0;
  for (let trial = 0; trial < sets; trial++) {
    const nodes = nodeIds(rng, 3);
    const counts = nodes.map((n) => shardsByNode(placeGroup(hasher, 64, nodes, 1)).get(n)?.length ?? 0);
    assert.equal(counts.reduce((a, b) => a + b, 0), 64);
    for (const c of counts) histogram.set(c, (histogram.get(c) ?? 0) + 1);
    if (counts.every((c) => c >= 15 && c <= 27)) setsWithin++;
  }
  const p = multinomialWithin(64, 15, 27);
  const observed = setsWithin / sets;
  const sd = Math.sqrt((p * (1 - p)) / sets);
  const rows = [...histogram].sort((a, b) => a[0] - b[0]).map(([c, n]) => `${c}:${n}`);
  t.diagnostic(`shards per node over ${sets} node-id sets: ${rows.join(' ')}`);
  t.diagnostic(`sets with every node in 15..27: ${(observed * 100).toFixed(1)}% (uniform hash: ${(p * 100).toFixed(1)}%)`);
  assert.ok(Math.abs(observed - p) < 4 * sd, `observed ${observed} vs expected ${p}`);
  const all = [...histogram].reduce((acc, [c, n]) => acc + c * n, 0) / (3 * sets);
  assert.ok(Math.abs(all - 64 / 3) < 1e-9, 'the mean is exactly 64/3');
  assert.ok([...histogram.keys()].every((c) => c >= 8 && c <= 36), 'no node is ever far off (beyond ±3.5 sd)');
});

test('placement refuses malformed input', () => {
  assert.throws(() => placeShard(hasher, 0, ['a', 'a'], 1), /distinct/);
  assert.throws(() => placeShard(hasher, 0, ['a\u0000b'], 1), /NUL/);
  assert.throws(() => placeShard(hasher, 0, ['a'], 0), /rf/);
  assert.throws(() => placeShard(hasher, -1, ['a'], 1), /shard/);
});
