// The cluster benchmark (`npm run bench:cluster`, issue 4 §11): Miroir
// (`miroir dev`: 3 peers, 3 engine nodes, RF 1) against one engine node
// holding the whole corpus, on the same machine, in one run, with the same
// seeded corpus and query mix as the engine benchmark (bench/engine/corpus.ts).
//
// - Ingest: the corpus in batches, all POSTed, then the last task waited for
//   (documents per second from the first POST to the last task succeeded),
//   into a fresh index each round; INGEST_ROUNDS rounds alternate which
//   target goes first, and the median round of each target is reported (one
//   round on a shared machine moved the ratio by ±0.3).
// - Search: the query list is run sequentially, interleaved — each query
//   against the node, then against Miroir — so both see the same moments of
//   machine load; p50/p99 per target.
// The ratios (Miroir ÷ direct) are what carries across machines; targets:
// search p50 ≤ 1.5, ingest ≥ 0.8. Writes results.json and results.md next to
// this file (BENCH_OUT_DIR elsewhere). BENCH_DOCS and BENCH_QUERIES change
// the size.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { seededRng } from '../../runtime/env/rng.ts';
import { monotonicMs } from '../../runtime/env/real.ts';
import { spawnNode } from '../../test/integration/engine/spawn-node.ts';
import { MASTER_KEY, startDev } from '../../test/integration/cluster/harness.ts';
import { makeDocument, makeQuery, vocabulary } from '../engine/corpus.ts';
import { call, waitTask } from './http.ts';

const SEED = 20_261_123;
const DOCS = Number(process.env.BENCH_DOCS ?? 10_000);
const BATCH = 1_000;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 400);
// Every process must reach its steady state (V8's optimizing compiler) before timing: Miroir's
// three nodes each pay the warm-up the one direct node pays once; 40 queries were far from enough
// (a node's CPU per search fell 3.8 → 1.9 ms over four passes of 440 queries).
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1_000);
const INGEST_ROUNDS = Number(process.env.BENCH_INGEST_ROUNDS ?? 5);

interface Target {
  name: 'direct' | 'miroir';
  url: string;
}

async function ingest(target: Target, batches: readonly unknown[][], uid: string): Promise<{ seconds: number; docsPerSecond: number }> {
  await waitTask(target.url, (await call(`${target.url}/indexes`, 'POST', { uid, primaryKey: 'id' })).taskUid);
  const settings = { filterableAttributes: ['category', 'brand', 'color', 'price', 'rating'], sortableAttributes: ['price', 'rating'] };
  await waitTask(target.url, (await call(`${target.url}/indexes/${uid}/settings`, 'PATCH', settings)).taskUid);
  const started = monotonicMs();
  let last = 0;
  for (const batch of batches) last = (await call(`${target.url}/indexes/${uid}/documents`, 'POST', batch)).taskUid;
  await waitTask(target.url, last);
  const seconds = (monotonicMs() - started) / 1000;
  return { seconds: round(seconds, 2), docsPerSecond: Math.round(DOCS / seconds) };
}

/** INGEST_ROUNDS rounds, first target alternating; the last round's index (`bench`) stays for the searches. */
async function ingestRounds(targets: readonly [Target, Target], batches: readonly unknown[][]) {
  const rounds: Record<string, { seconds: number; docsPerSecond: number }[]> = { direct: [], miroir: [] };
  for (let r = 0; r < INGEST_ROUNDS; r++) {
    const uid = r === INGEST_ROUNDS - 1 ? 'bench' : `ingest-${r}`;
    for (const target of r % 2 === 0 ? targets : [targets[1], targets[0]]) {
      rounds[target.name]!.push(await ingest(target, batches, uid));
      if (uid !== 'bench') await waitTask(target.url, (await call(`${target.url}/indexes/${uid}`, 'DELETE')).taskUid);
    }
  }
  const median = (xs: { seconds: number; docsPerSecond: number }[]) => [...xs].sort((a, b) => a.seconds - b.seconds)[Math.floor(xs.length / 2)]!;
  return { direct: median(rounds.direct!), miroir: median(rounds.miroir!), rounds };
}

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? Number.NaN;
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function latency(samples: readonly number[]): { count: number; p50Ms: number; p99Ms: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)) };
}

async function search(targets: readonly Target[], queries: ReadonlyArray<{ body: Record<string, unknown> }>): Promise<Record<string, number[]>> {
  const samples: Record<string, number[]> = Object.fromEntries(targets.map((t) => [t.name, []]));
  for (const [i, query] of queries.entries()) {
    for (const target of targets) {
      const started = monotonicMs();
      await call(`${target.url}/indexes/bench/search`, 'POST', query.body);
      if (i >= WARMUP) samples[target.name]!.push(monotonicMs() - started);
    }
    if ((i + 1) % 100 === 0) console.log(`bench: ${i + 1}/${queries.length} queries`);
  }
  return samples;
}

async function main(): Promise<void> {
  const nodeDir = mkdtempSync(join(tmpdir(), 'miroir-bench-node-'));
  const devDir = mkdtempSync(join(tmpdir(), 'miroir-bench-dev-'));
  const [node, cluster] = await Promise.all([spawnNode({ dbPath: nodeDir, masterKey: MASTER_KEY, timeoutMs: 120_000 }), startDev(devDir)]);
  try {
    const direct: Target = { name: 'direct', url: node.url };
    const miroir: Target = { name: 'miroir', url: cluster.dev.url };
    const rng = seededRng(SEED);
    const vocab = vocabulary(rng, 20_000);
    const batches: unknown[][] = [];
    for (let from = 0; from < DOCS; from += BATCH) {
      batches.push(Array.from({ length: Math.min(BATCH, DOCS - from) }, (_, i) => makeDocument(rng, vocab, from + i)));
    }
    console.log(`bench: ingesting ${DOCS} documents directly, then through Miroir`);
    const ingested = await ingestRounds([direct, miroir], batches);
    const ingestDirect = ingested.direct;
    const ingestMiroir = ingested.miroir;
    console.log(`bench: ingest ${ingestDirect.docsPerSecond} docs/s direct, ${ingestMiroir.docsPerSecond} docs/s through Miroir`);
    const queryRng = seededRng(SEED + 1);
    const queries = Array.from({ length: WARMUP + QUERIES }, () => makeQuery(queryRng, vocab));
    const samples = await search([direct, miroir], queries);
    const searchDirect = latency(samples.direct!);
    const searchMiroir = latency(samples.miroir!);
    const results = {
      seed: SEED,
      machine: {
        cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version, loadAverage1m: round(loadavg()[0] ?? 0, 1),
      },
      cluster: { peers: cluster.peers().length, nodes: cluster.nodes().length, rf: 1, shards: 64 },
      ingest: {
        documents: DOCS, batchSize: BATCH, rounds: INGEST_ROUNDS, direct: ingestDirect, miroir: ingestMiroir,
        ratio: round(ingestMiroir.docsPerSecond / ingestDirect.docsPerSecond, 2),
        secondsPerRound: { direct: ingested.rounds.direct!.map((x) => x.seconds), miroir: ingested.rounds.miroir!.map((x) => x.seconds) },
      },
      search: {
        direct: searchDirect,
        miroir: searchMiroir,
        p50Ratio: round(searchMiroir.p50Ms / searchDirect.p50Ms, 2),
        p99Ratio: round(searchMiroir.p99Ms / searchDirect.p99Ms, 2),
      },
      targets: { searchP50RatioMax: 1.5, ingestRatioMin: 0.8 },
    };
    const outDir = process.env.BENCH_OUT_DIR ?? new URL('./', import.meta.url).pathname;
    writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(outDir, 'results.md'), markdown(results));
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await Promise.all([node.stop(), cluster.stop()]);
    rmSync(nodeDir, { recursive: true, force: true });
    rmSync(devDir, { recursive: true, force: true });
  }
}

function verdict(ok: boolean): string {
  return ok ? 'meets the target' : '**misses the target**';
}

function markdown(r: any): string {
  return `# Cluster benchmark

Seed ${r.seed}; ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; 1-minute load average at the end of the run: ${r.machine.loadAverage1m}.
Miroir: \`miroir dev\` with ${r.cluster.peers} peers, ${r.cluster.nodes} engine nodes, RF ${r.cluster.rf}, S ${r.cluster.shards}.
Direct: one \`miroir node\` holding the whole corpus. Same machine, same run, same corpus and queries (bench/engine/corpus.ts); everything over loopback HTTP.

## Ingest

${r.ingest.documents} documents in batches of ${r.ingest.batchSize}, from the first POST to the last task succeeded; ${r.ingest.rounds} rounds into fresh indexes, the first target alternating; median round.

| | seconds (median) | documents/s | seconds per round |
|---|---:|---:|---|
| direct | ${r.ingest.direct.seconds} | ${r.ingest.direct.docsPerSecond} | ${r.ingest.secondsPerRound.direct.join(', ')} |
| Miroir | ${r.ingest.miroir.seconds} | ${r.ingest.miroir.docsPerSecond} | ${r.ingest.secondsPerRound.miroir.join(', ')} |

Ratio Miroir ÷ direct: **${r.ingest.ratio}** (target ≥ ${r.targets.ingestRatioMin}: ${verdict(r.ingest.ratio >= r.targets.ingestRatioMin)}).

## Search (sequential, each query against both targets in turn)

| | queries | p50 ms | p99 ms |
|---|---:|---:|---:|
| direct | ${r.search.direct.count} | ${r.search.direct.p50Ms} | ${r.search.direct.p99Ms} |
| Miroir | ${r.search.miroir.count} | ${r.search.miroir.p50Ms} | ${r.search.miroir.p99Ms} |

Ratios Miroir ÷ direct: p50 **${r.search.p50Ratio}** (target ≤ ${r.targets.searchP50RatioMax}: ${verdict(r.search.p50Ratio <= r.targets.searchP50RatioMax)}), p99 **${r.search.p99Ratio}**.
`;
}

await main();
