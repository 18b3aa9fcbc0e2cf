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
import { medianUs, recordMicroResults } from './merge.bench.ts';
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
  const routeUs = medianUs(route, 60);
  const bareUs = medianUs(bare, 60);
  if (sink === -1) throw new Error('unreachable: keeps the loops alive');
  return {
    name,
    medianUs: routeUs,
    baselineName: 'bare xxh64 loop',
    baselineMedianUs: bareUs,
    ratio: routeUs / bareUs,
    note: `${KEYS.toLocaleString('en')} keys per run: ${mkps(KEYS, routeUs)} keys/s routed, ${mkps(KEYS, bareUs)} hashes/s bare`,
  };
}

function mkps(count: number, us: number): string {
  return `${((count / us) * 1e6 / 1e6).toFixed(2)} M`;
}

function placementRow(hasher: Hasher): BenchRow {
  const nodes = Array.from({ length: 10 }, (_, i) => `meili-${i}`);
  const texts = Array.from({ length: 64 * 10 }, (_, i) => `${i >> 4}\u0000meili-${i % 10}`);
  const place = (): unknown => placeGroup(hasher, 64, nodes, 2);
  const bare = (): unknown => texts.map((t) => hasher.h64(t));
  const placeUs = medianUs(place, 200);
  const bareUs = medianUs(bare, 200);
  return {
    name: 'placeGroup: 64 shards, 10 nodes, RF 2',
    medianUs: placeUs,
    baselineName: '640 bare xxh64 calls',
    baselineMedianUs: bareUs,
    ratio: placeUs / bareUs,
    note: 'done on topology changes, not per request',
  };
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
  const buildUs = medianUs(build, 500);
  const bareUs = medianUs(bare, 500);
  return {
    name: 'coveringSet: 64 shards, 2 groups × 8 nodes, RF 2, one node down',
    medianUs: buildUs,
    baselineName: '64 bare xxh64 calls',
    baselineMedianUs: bareUs,
    ratio: buildUs / bareUs,
    note: 'once per search',
  };
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
  for (const r of rows) console.log(`${r.name}: ${r.medianUs.toFixed(1)} µs (baseline ${r.baselineMedianUs.toFixed(1)} µs, ${r.ratio.toFixed(2)}×) ${r.note ?? ''}`);
  recordMicroResults('routing', rows);
}
