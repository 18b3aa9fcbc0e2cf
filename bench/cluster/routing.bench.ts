// Micro-benchmark of the routing core (runtime/routing): shard(pk) throughput
// for string and integer keys against a bare xxh64 call loop over the same
// keys (the floor: routing cannot be cheaper than hashing), plus the cost of
// placing a whole index and of building one search's covering set, against
// the same number of bare hashes. Results go to the "routing" section of
// bench/cluster/micro-results.json. Run: node --import tsx bench/cluster/routing.bench.ts
import { pathToFileURL } from 'node:url';
import { loadHasher } from '../../runtime/routing/hasher.ts';
import type { Hasher } from '../../runtime/routing/hasher.ts';
import { shardOf } from '../../runtime/routing/shard-hash.ts';
import { placeGroup } from '../../runtime/routing/placement.ts';
import { coveringSet } from '../../runtime/routing/covering-set.ts';
import { compareTimings, recordMicroResults, timeUs } from './merge.bench.ts';
import type { BenchRow } from './merge.bench.ts';

const KEYS = 10_000;

function keysPerSecondRow(name: string, hasher: Hasher, keys: readonly (string | number)[]): BenchRow {
  const texts = keys.map(String);
  let sink = 0;
  const route = (): void => {
    for (const k of keys) sink += shardOf(hasher, k, 64);
  };
  const bare = (): void => {
    for (const t of texts) sink += Number(hasher.h64(t) & 1n);
  };
  const routed = timeUs(route, 60);
  const hashed = timeUs(bare, 60);
  if (sink === -1) throw new Error('unreachable: keeps the loops alive');
  const note = `${KEYS.toLocaleString('en')} keys per run; best run ${mkps(KEYS, routed.minUs)} keys/s routed, ${mkps(KEYS, hashed.minUs)} hashes/s bare`;
  return compareTimings(name, routed, 'bare xxh64 loop', hashed, note);
}

function mkps(count: number, us: number): string {
  return `${(count / us).toFixed(2)} M`;
}

function placementRow(hasher: Hasher): BenchRow {
  const nodes = Array.from({ length: 10 }, (_, i) => `meili-${i}`);
  const texts = Array.from({ length: 64 * 10 }, (_, i) => `${i >> 4}\u0000meili-${i % 10}`);
  const place = (): unknown => placeGroup(hasher, 64, nodes, 2);
  const bare = (): unknown => texts.map((t) => hasher.h64(t));
  return compareTimings(
    'placeGroup: 64 shards, 10 nodes, RF 2',
    timeUs(place, 200),
    '640 bare xxh64 calls',
    timeUs(bare, 200),
    'done on topology changes, not per request',
  );
}

function coveringRow(hasher: Hasher): BenchRow {
  const groups = [0, 1].map((g) => ({
    groupId: `g${g}`,
    owners: placeGroup(hasher, 64, Array.from({ length: 8 }, (_, i) => `g${g}-n${i}`), 2),
  }));
  const down = new Set(['g0-n3']);
  let turn = 0;
  const build = (): unknown => coveringSet({ shardCount: 64, groups, isHealthy: (n) => !down.has(n), turn: turn++ });
  const texts = Array.from({ length: 64 }, (_, i) => `doc-${i}`);
  const bare = (): unknown => texts.map((t) => hasher.h64(t));
  return compareTimings(
    'coveringSet: 64 shards, 2 groups × 8 nodes, RF 2, one node down',
    timeUs(build, 500),
    '64 bare xxh64 calls',
    timeUs(bare, 500),
    'once per search',
  );
}

export async function runRoutingBench(): Promise<BenchRow[]> {
  const hasher = await loadHasher();
  const strings = Array.from({ length: KEYS }, (_, i) => `product-${(i * 2654435761) % 1e9}`);
  const integers = Array.from({ length: KEYS }, (_, i) => i * 7919);
  return [
    keysPerSecondRow('shardOf, string keys', hasher, strings),
    keysPerSecondRow('shardOf, integer keys', hasher, integers),
    placementRow(hasher),
    coveringRow(hasher),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await runRoutingBench();
  for (const r of rows) console.log(`${r.name}: min ${r.minUs.toFixed(1)} µs (baseline min ${r.baselineMinUs.toFixed(1)} µs, ${r.ratioMin.toFixed(2)}×) ${r.note ?? ''}`);
  recordMicroResults('routing', rows);
}
