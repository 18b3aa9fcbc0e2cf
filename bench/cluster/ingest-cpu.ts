// CPU per ingest through Miroir (issue 4 §11), per process: whole-ingest wall
// time is noise on a loaded shared machine, the CPU each process spends on
// the same documents is not. Starts `miroir dev` (3 peers, 3 engine nodes,
// RF 1), ingests the bench corpus (bench/engine/corpus.ts) in batches of
// 1,000 into ROUNDS fresh indexes, and prints the user+system CPU seconds each
// peer and node spent per round (from /proc/<pid>/stat, Linux only).
// `node --import tsx bench/cluster/ingest-cpu.ts`; BENCH_DOCS, BENCH_INGEST_ROUNDS.
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRng } from '../../runtime/env/rng.ts';
import { monotonicMs } from '../../runtime/env/real.ts';
import { removeDataDir, startDev, type DevProcess } from '../../test/integration/cluster/harness.ts';
import { makeDocument, vocabulary } from '../engine/corpus.ts';
import { call, waitTask } from './http.ts';
import { cpuSeconds } from './proc-cpu.ts';

const DOCS = Number(process.env.BENCH_DOCS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_INGEST_ROUNDS ?? 3);
const BATCH = 1_000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'miroir-ingest-cpu-'));
  const cluster = await startDev(dir);
  try {
    const rng = seededRng(20_261_123);
    const vocab = vocabulary(rng, 20_000);
    const batches: unknown[][] = [];
    for (let from = 0; from < DOCS; from += BATCH) {
      batches.push(Array.from({ length: Math.min(BATCH, DOCS - from) }, (_, i) => makeDocument(rng, vocab, from + i)));
    }
    const url = cluster.dev.url;
    const topology = await cluster.topology();
    const processes: DevProcess[] = [...cluster.peers(), ...cluster.nodes()];
    const label = (p: DevProcess) => `${p.role} ${p.id}${p.id === topology.leader ? ' (leader)' : ''}`;
    for (let round = 0; round < ROUNDS; round++) {
      const uid = `cpu-${round}`;
      await waitTask(url, (await call(`${url}/indexes`, 'POST', { uid, primaryKey: 'id' })).taskUid);
      const settings = { filterableAttributes: ['category', 'brand', 'color', 'price', 'rating'], sortableAttributes: ['price', 'rating'] };
      await waitTask(url, (await call(`${url}/indexes/${uid}/settings`, 'PATCH', settings)).taskUid);
      const before = processes.map((p) => cpuSeconds(p.pid));
      const started = monotonicMs();
      let last = 0;
      for (const batch of batches) last = (await call(`${url}/indexes/${uid}/documents`, 'POST', batch)).taskUid;
      await waitTask(url, last);
      const wall = (monotonicMs() - started) / 1000;
      const spent = processes.map((p, i) => cpuSeconds(p.pid) - before[i]!);
      const total = spent.reduce((a, b) => a + b, 0);
      console.log(`round ${round}: ${DOCS} docs, wall ${wall.toFixed(2)} s, CPU total ${total.toFixed(2)} s, load ${loadavg()[0]!.toFixed(1)}`);
      for (const [i, p] of processes.entries()) console.log(`  ${label(p).padEnd(24)} ${spent[i]!.toFixed(2)} s`);
    }
  } finally {
    await cluster.stop();
    removeDataDir(dir);
  }
}

await main();
