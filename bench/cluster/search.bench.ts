// Search latency through Miroir against one engine node holding the whole
// corpus (issue 4 §11): p50 / p99 of the same seeded query set, sent one at a
// time through a peer of a `miroir dev` cluster (3 peers, 3 engine nodes,
// RF 1) and straight to a single engine node, in the same run.
//
// Method: both targets are loaded with the same documents and settings
// through the official client (the cluster through its write path). Each
// query is then sent to both, in alternating order, with plain fetch and the
// same body; the time is the client-side round trip. Interleaving makes both
// series see the same machine load, so the ratio is what carries across
// machines. Every query's `estimatedTotalHits` must agree between the two
// (a wrong answer would make the timing meaningless); disagreements are
// counted and reported. Beside the wall times, the CPU each process spent
// during the measured queries (/proc, Linux), per query: the edge peer's own
// cost does not depend on the machine's load the way its latency does.
// Results: bench/cluster/search-results.json and search-results.md.
//
// Run: node --import tsx bench/cluster/search.bench.ts
// (MIROIR_BENCH_DOCS, MIROIR_BENCH_QUERIES, MIROIR_BENCH_WARMUP change the sizes.)
//
// Profiling the peers and nodes: MIROIR_DEV_CPU_PROF_DIR=/dir is handed to
// `miroir dev` (cli/dev/child.ts), so every child writes a .cpuprofile there
// when the cluster stops; use MIROIR_BENCH_QUERIES=3000 so that searches
// dominate start-up and ingest. The peer that served the searches is p1.
import { cpus, loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { Meilisearch, MeilisearchApiError } from 'meilisearch';
import { seededRng } from '../../runtime/env/rng.ts';
import { makeDocument, makeQuery, vocabulary, type BenchQuery, type QueryKind } from '../engine/corpus.ts';
import { MASTER_KEY, removeDataDir, startDev, tempDataDir, type DevCluster } from '../../test/integration/cluster/harness.ts';
import { spawnNode, tempDir, type SpawnedNode } from '../../test/integration/engine/spawn-node.ts';
import { cpuSeconds } from './proc-cpu.ts';

const DOCS = Number(process.env['MIROIR_BENCH_DOCS'] ?? 10_000);
const QUERIES = Number(process.env['MIROIR_BENCH_QUERIES'] ?? 400);
// Warm-up until every process is at its steady state (see run.ts WARMUP).
const WARMUP = Number(process.env['MIROIR_BENCH_WARMUP'] ?? 1_000);
const BATCH = 1_000;
const TASK_TIMEOUT_MS = 300_000;
const INDEX = 'bench';
const PROFILE_ENV: Record<string, string> = process.env['MIROIR_DEV_CPU_PROF_DIR']
  ? { MIROIR_DEV_CPU_PROF_DIR: process.env['MIROIR_DEV_CPU_PROF_DIR'] }
  : {};
const SETTINGS = {
  filterableAttributes: ['category', 'brand', 'color', 'price', 'rating'],
  sortableAttributes: ['price', 'rating'],
};

interface Sample {
  readonly kind: QueryKind;
  readonly miroirMs: number;
  readonly directMs: number;
  /** processingTimeMs of Miroir's answer: its slowest node's own time. */
  readonly miroirEngineMs: number;
  readonly directEngineMs: number;
}

/**
 * Applies SETTINGS; false when the target does not serve the settings routes
 * (then neither target gets them and only keyword and typo queries run).
 */
async function applySettings(client: Meilisearch): Promise<boolean> {
  try {
    await client.index(INDEX).updateSettings(SETTINGS).waitTask({ timeout: TASK_TIMEOUT_MS });
    return true;
  } catch (error) {
    if (error instanceof MeilisearchApiError && error.cause?.code === 'not_found') return false;
    throw error;
  }
}

async function load(client: Meilisearch, docs: readonly Record<string, unknown>[]): Promise<number> {
  const started = performance.now();
  // Batches are enqueued one after the other (each 202 awaited): the load is not what is measured.
  const taskUids: number[] = [];
  for (let i = 0; i < docs.length; i += BATCH) taskUids.push((await client.index(INDEX).addDocuments(docs.slice(i, i + BATCH))).taskUid);
  for (const uid of taskUids) {
    const done = await client.tasks.waitForTask(uid, { timeout: TASK_TIMEOUT_MS, interval: 200 });
    if (done.status !== 'succeeded') throw new Error(`load: task ${done.uid} ${done.status} ${JSON.stringify(done.error)}`);
  }
  return performance.now() - started;
}

/** One timed POST search; the answer's total is returned to check both targets agree. */
async function timedSearch(base: string, body: Record<string, unknown>): Promise<{ ms: number; total: number; engineMs: number; degraded: string | null }> {
  const started = performance.now();
  const res = await fetch(`${base}/indexes/${INDEX}/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}` },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as { estimatedTotalHits?: number; processingTimeMs?: number; message?: string };
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`search ${base}: ${res.status} ${answer.message}`);
  const degraded = res.headers.get('x-miroir-degraded');
  return { ms, total: answer.estimatedTotalHits ?? -1, engineMs: answer.processingTimeMs ?? -1, degraded };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function measure(miroirUrl: string, directUrl: string, queries: readonly BenchQuery[]): Promise<{ samples: Sample[]; mismatches: string[]; degraded: number }> {
  const samples: Sample[] = [];
  const mismatches: string[] = [];
  let degraded = 0;
  for (let i = 0; i < queries.length; i++) {
    const query = queries[i]!;
    const miroirFirst = i % 2 === 0;
    const first = await timedSearch(miroirFirst ? miroirUrl : directUrl, query.body);
    const second = await timedSearch(miroirFirst ? directUrl : miroirUrl, query.body);
    const [miroir, direct] = miroirFirst ? [first, second] : [second, first];
    if (miroir.degraded !== null) degraded++;
    if (miroir.total !== direct.total) {
      const partial = miroir.degraded === null ? '' : ` (partial answer: ${miroir.degraded})`;
      mismatches.push(`${JSON.stringify(query.body)}: Miroir ${miroir.total}, direct ${direct.total}${partial}`);
    }
    if (i >= WARMUP) {
      samples.push({ kind: query.kind, miroirMs: miroir.ms, directMs: direct.ms, miroirEngineMs: miroir.engineMs, directEngineMs: direct.engineMs });
    }
  }
  return { samples, mismatches, degraded };
}

/** The processes whose CPU is counted: Miroir's peers and nodes (from dev.json) and the direct node. */
function cpuTargets(cluster: DevCluster, direct: SpawnedNode): { name: string; pid: number }[] {
  const own = [...cluster.peers(), ...cluster.nodes()].map((p) => ({ name: `${p.role} ${p.id}`, pid: p.pid }));
  return [...own, { name: 'direct node', pid: direct.child.pid! }];
}

const IDLE_WINDOW_MS = 5_000;

/**
 * CPU ms per query of each target while `run` sends `queries` to both
 * targets, without what the process burns when idle (Raft heartbeats, health
 * probes, gossip: measured over IDLE_WINDOW_MS before, scaled to the run's
 * duration), so the numbers are the cost of the searches themselves.
 */
async function cpuPerQuery<T>(targets: readonly { name: string; pid: number }[], queries: number, run: () => Promise<T>): Promise<{ result: T; cpuMsPerQuery: Record<string, number>; idleCpuPercent: Record<string, number> }> {
  const idleStart = targets.map((t) => cpuSeconds(t.pid));
  const idleStartedMs = performance.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_WINDOW_MS));
  const idleMs = performance.now() - idleStartedMs;
  const idleRate = targets.map((t, i) => ((cpuSeconds(t.pid) - idleStart[i]!) * 1000) / idleMs);
  const before = targets.map((t) => cpuSeconds(t.pid));
  const startedMs = performance.now();
  const result = await run();
  const runMs = performance.now() - startedMs;
  const cpuMsPerQuery = Object.fromEntries(
    targets.map((t, i) => [t.name, round(((cpuSeconds(t.pid) - before[i]!) * 1000 - idleRate[i]! * runMs) / queries)]),
  );
  const idleCpuPercent = Object.fromEntries(targets.map((t, i) => [t.name, round(idleRate[i]! * 100)]));
  return { result, cpuMsPerQuery, idleCpuPercent };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function summarize(samples: readonly Sample[]) {
  const row = (subset: readonly Sample[]) => {
    const miroir = subset.map((s) => s.miroirMs);
    const direct = subset.map((s) => s.directMs);
    const [mp50, mp99, dp50, dp99] = [percentile(miroir, 50), percentile(miroir, 99), percentile(direct, 50), percentile(direct, 99)];
    return {
      count: subset.length,
      miroirP50Ms: round(mp50),
      miroirP99Ms: round(mp99),
      directP50Ms: round(dp50),
      directP99Ms: round(dp99),
      ratioP50: round(mp50 / dp50),
      ratioP99: round(mp99 / dp99),
      miroirEngineP50Ms: percentile(subset.map((s) => s.miroirEngineMs), 50),
      directEngineP50Ms: percentile(subset.map((s) => s.directEngineMs), 50),
    };
  };
  const kinds = [...new Set(samples.map((s) => s.kind))].sort();
  return { all: row(samples), byKind: Object.fromEntries(kinds.map((k) => [k, row(samples.filter((s) => s.kind === k))])) };
}

function markdown(result: ReturnType<typeof summarize>, meta: Record<string, unknown>): string {
  const line = (name: string, r: ReturnType<typeof summarize>['all']) =>
    `| ${name} | ${r.count} | ${r.miroirP50Ms} | ${r.directP50Ms} | **${r.ratioP50}×** | ${r.miroirP99Ms} | ${r.directP99Ms} | ${r.ratioP99}× | ${r.miroirEngineP50Ms} | ${r.directEngineP50Ms} |`;
  return [
    '# Search latency through Miroir ÷ one engine node',
    '',
    'Generated by `bench/cluster/search.bench.ts`. The same seeded queries, one at a time, sent alternately',
    'through a peer of `miroir dev` (3 peers, 3 engine nodes, RF 1) and straight to one engine node holding',
    'every document, in the same run; client-side round trips with plain fetch. Target: p50 ratio ≤ 1.5.',
    '',
    `Environment: ${meta['environment']}. Corpus: ${meta['documents']} documents; ${meta['queries']} queries after ${meta['warmup']} of warm-up;`,
    `partial Miroir answers (X-Miroir-Degraded): ${meta['degradedAnswers']}; answers whose estimatedTotalHits differed between the two: ${(meta['mismatches'] as string[]).length}. Load time (official client, batches of ${BATCH}):`,
    `through Miroir ${meta['loadMiroirS']} s, direct ${meta['loadDirectS']} s.`,
    ...(meta['settingsApplied'] ? [] : ['', 'The edge did not serve the settings routes in this run: no filterable or sortable attributes, keyword and typo queries only.']),
    '',
    '| queries | n | Miroir p50 ms | direct p50 ms | p50 ratio | Miroir p99 ms | direct p99 ms | p99 ratio | Miroir processingTimeMs p50 (slowest node) | direct processingTimeMs p50 |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    line('all', result.all),
    ...Object.entries(result.byKind).map(([kind, r]) => line(kind, r)),
    '',
    `CPU per query (user + system, ms, over all ${meta['queries'] as number + (meta['warmup'] as number)} queries, less each process's idle CPU over the same time; p1 is the peer the queries went through): ${Object.entries(meta['cpuMsPerQuery'] as Record<string, number>).map(([name, ms]) => `${name} ${ms}`).join(', ')}.`,
    `Idle CPU (% of one core, over ${IDLE_WINDOW_MS / 1000} s before the queries): ${Object.entries(meta['idleCpuPercent'] as Record<string, number>).map(([name, pct]) => `${name} ${pct}`).join(', ')}.`,
    ...((meta['mismatches'] as string[]).length === 0 ? [] : ['', 'Queries whose totals differed:', ...(meta['mismatches'] as string[]).map((m) => `- \`${m}\``)]),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const rng = seededRng(20261123);
  const vocab = vocabulary(rng, 5_000);
  const docs = Array.from({ length: DOCS }, (_, i) => makeDocument(rng, vocab, i + 1));
  const queries = Array.from({ length: QUERIES + WARMUP }, () => makeQuery(rng, vocab));
  const dataDir = tempDataDir();
  const directDir = tempDir('bench-direct');
  let cluster: DevCluster | undefined;
  let direct: SpawnedNode | undefined;
  try {
    [cluster, direct] = await Promise.all([startDev(dataDir, [], 120_000, PROFILE_ENV), spawnNode({ dbPath: directDir.path, masterKey: MASTER_KEY, timeoutMs: 120_000 })]);
    const miroirUrl = cluster.peers()[0]!.url;
    const clients = [cluster.client(), new Meilisearch({ host: direct.url, apiKey: MASTER_KEY })] as const;
    for (const client of clients) await client.createIndex(INDEX, { primaryKey: 'id' }).waitTask({ timeout: TASK_TIMEOUT_MS });
    const settingsApplied = await applySettings(clients[0]);
    if (settingsApplied) await applySettings(clients[1]);
    const loadMiroirMs = await load(clients[0], docs);
    const loadDirectMs = await load(clients[1], docs);
    const runnable = settingsApplied ? queries : queries.filter((q) => q.kind === 'keywords' || q.kind === 'typo');
    const directUrl = direct.url;
    const measured = await cpuPerQuery(cpuTargets(cluster, direct), runnable.length, () => measure(miroirUrl, directUrl, runnable));
    const { samples, mismatches, degraded } = measured.result;
    const result = summarize(samples);
    const meta = {
      environment: `Node ${process.version}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min) at the end of the run`,
      documents: DOCS,
      queries: samples.length,
      warmup: WARMUP,
      mismatches,
      degradedAnswers: degraded,
      settingsApplied,
      loadMiroirS: round(loadMiroirMs / 1000),
      loadDirectS: round(loadDirectMs / 1000),
      cpuMsPerQuery: measured.cpuMsPerQuery,
      idleCpuPercent: measured.idleCpuPercent,
    };
    const url = (name: string) => new URL(name, import.meta.url);
    writeFileSync(url('search-results.json'), `${JSON.stringify({ ...meta, ...result }, null, 2)}\n`);
    writeFileSync(url('search-results.md'), markdown(result, meta));
    console.log(markdown(result, meta));
  } finally {
    await Promise.all([cluster?.stop(), direct?.stop()]);
    removeDataDir(dataDir);
    directDir.remove();
  }
}

await main();
