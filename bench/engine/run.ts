// The engine benchmark (`npm run bench:engine`): a real `miroir node` child
// process, a seeded corpus ingested over HTTP in batches (documents per
// second, from the first POST to the last task succeeded), then a seeded
// query mix measured over HTTP (p50/p99 per kind and overall). The baseline
// is GET /health measured in the same run, so search latency can be read as a
// multiple of bare HTTP overhead on this machine. Writes results.json and
// results.md next to this file. BENCH_DOCS and BENCH_QUERIES shrink a run;
// BENCH_PROFILE_DIR runs the node under --cpu-prof and leaves the profile
// there; BENCH_OUT_DIR writes the results elsewhere (for such trial runs).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { seededRng } from '../../runtime/env/rng.ts';
import { monotonicMs, sleepMs } from '../../runtime/env/real.ts';
import { makeDocument, makeQuery, vocabulary, type QueryKind } from './corpus.ts';

const SEED = 20_261_123;
const DOCS = Number(process.env.BENCH_DOCS ?? 100_000);
const BATCH = 5_000;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 600);
const WARMUP = 50;
const HEALTH_SAMPLES = 1_000;
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;

async function startNode(dbPath: string): Promise<{ url: string; stop(): Promise<void> }> {
  const profile = PROFILE_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`];
  const child = spawn(process.execPath, [...profile, new URL('../../cli/bin.js', import.meta.url).pathname, 'node', '--http-addr', '127.0.0.1:0', '--db-path', dbPath],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, MEILI_MASTER_KEY: '' } });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`node exited (${code}) before listening: ${out}`)));
  });
  return {
    url,
    stop: () => new Promise((resolve) => { child.on('exit', () => resolve()); child.kill('SIGTERM'); }),
  };
}

async function call(url: string, method: string, body?: unknown): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status >= 400) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function waitTask(base: string, uid: number): Promise<any> {
  for (;;) {
    const task = await call(`${base}/tasks/${uid}`, 'GET');
    if (task.status === 'succeeded') return task;
    if (task.status === 'failed' || task.status === 'canceled') throw new Error(`task ${uid} ${task.status}: ${JSON.stringify(task.error)}`);
    await sleepMs(20);
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] as number;
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { count: sorted.length, p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)), maxMs: round(sorted[sorted.length - 1] ?? Number.NaN) };
}

async function ingest(base: string) {
  const rng = seededRng(SEED);
  const vocab = vocabulary(rng, 20_000);
  const settings = await call(`${base}/indexes/bench/settings`, 'PATCH', {
    filterableAttributes: ['category', 'brand', 'color', 'price', 'rating'], sortableAttributes: ['price', 'rating'],
  });
  await waitTask(base, settings.taskUid);
  const started = monotonicMs();
  let last = 0;
  for (let from = 0; from < DOCS; from += BATCH) {
    const docs = Array.from({ length: Math.min(BATCH, DOCS - from) }, (_, i) => makeDocument(rng, vocab, from + i));
    last = (await call(`${base}/indexes/bench/documents`, 'POST', docs)).taskUid;
  }
  await waitTask(base, last);
  const seconds = (monotonicMs() - started) / 1000;
  return { vocab, documents: DOCS, batchSize: BATCH, seconds: Math.round(seconds * 100) / 100, docsPerSecond: Math.round(DOCS / seconds) };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = monotonicMs();
  await fn();
  return monotonicMs() - t;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'miroir-bench-'));
  const node = await startNode(dir);
  try {
    console.log(`bench: node at ${node.url}, ingesting ${DOCS} documents`);
    const ingestion = await ingest(node.url);
    console.log(`bench: ingest ${ingestion.docsPerSecond} docs/s`);
    console.log('bench: measuring the GET /health baseline');
    const health: number[] = [];
    for (let i = 0; i < HEALTH_SAMPLES; i++) health.push(await timed(() => call(`${node.url}/health`, 'GET')));
    const rng = seededRng(SEED + 1);
    const queries = Array.from({ length: WARMUP + QUERIES }, () => makeQuery(rng, ingestion.vocab));
    const byKind = new Map<QueryKind, number[]>();
    const all: number[] = [];
    let hits = 0;
    for (const [i, q] of queries.entries()) {
      let found = 0;
      const ms = await timed(async () => {
        const res = await call(`${node.url}/indexes/bench/search`, 'POST', q.body);
        found = res.estimatedTotalHits ?? 0;
      });
      if ((i + 1) % 100 === 0) console.log(`bench: ${i + 1}/${queries.length} queries`);
      if (i < WARMUP) continue;
      all.push(ms);
      hits += found > 0 ? 1 : 0;
      byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), ms]);
    }
    const healthSummary = summary(health);
    const searchSummary = summary(all);
    const results = {
      seed: SEED,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage1m: Math.round((loadavg()[0] ?? 0) * 10) / 10 },
      ingest: { documents: ingestion.documents, batchSize: ingestion.batchSize, seconds: ingestion.seconds, docsPerSecond: ingestion.docsPerSecond },
      baseline: { route: 'GET /health', ...healthSummary },
      search: {
        ...searchSummary,
        queriesWithHits: hits,
        p50OverHealthP50: Math.round((searchSummary.p50Ms / healthSummary.p50Ms) * 10) / 10,
        p99OverHealthP99: Math.round((searchSummary.p99Ms / healthSummary.p99Ms) * 10) / 10,
        byKind: Object.fromEntries([...byKind].map(([k, v]) => [k, summary(v)])),
      },
    };
    const outDir = process.env.BENCH_OUT_DIR ?? new URL('./', import.meta.url).pathname;
    writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(outDir, 'results.md'), markdown(results));
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function markdown(r: any): string {
  const rows = Object.entries(r.search.byKind as Record<string, { count: number; p50Ms: number; p99Ms: number }>)
    .map(([k, v]) => `| ${k} | ${v.count} | ${v.p50Ms} | ${v.p99Ms} |`).join('\n');
  return `# Engine benchmark

Seed ${r.seed}; ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; 1-minute load average at the end of the run: ${r.machine.loadAverage1m}.
One \`miroir node\` child process; client and node on the same machine, over loopback HTTP.

## Ingest

${r.ingest.documents} documents (title, body, 3 facet fields, 2 numbers) in batches of ${r.ingest.batchSize}, from the first POST to the last task succeeded:
**${r.ingest.docsPerSecond} documents/s** (${r.ingest.seconds} s).

## Search over HTTP (sequential requests)

| | count | p50 ms | p99 ms |
|---|---|---|---|
| baseline: GET /health | ${r.baseline.count} | ${r.baseline.p50Ms} | ${r.baseline.p99Ms} |
| search, all kinds | ${r.search.count} | ${r.search.p50Ms} | ${r.search.p99Ms} |
${rows}

Search p50 is ${r.search.p50OverHealthP50}× the /health p50; search p99 is ${r.search.p99OverHealthP99}× the /health p99.
${r.search.queriesWithHits} of ${r.search.count} queries had hits.
`;
}

await main();
