// Benchmark (issue 5 §7): documents moved when a 4th node joins a 3-node
// group ÷ the theoretical minimum, and migration throughput ÷ direct ingest
// of the same documents into one node.
// - Moves: the migration plan (runtime/topology/plan.ts, real rendezvous
//   placement) for 1,000 random node-id sets and S in 16..128; the minimum is
//   S/4 shards per join (the new node's fair share). Then the real run's
//   moved documents ÷ (documents / 4).
// - Throughput: `miroir dev` (3 peers, 3 engine nodes, RF 1, S 16) holding
//   DOCS documents; a 4th engine node joins (POST /_miroir/nodes); the job's
//   wall time from the request to `succeeded` (hold, copy, replay, verify,
//   cut-over and cleanup included) against the time one fresh engine node
//   takes to ingest exactly the moved documents (POST in pages of the same
//   size, waiting for the last task), measured right after on the same machine.
//
//   npm run bench:topology:migration   writes bench/topology/migration-results.{json,md}
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { emptyState, apply, type ClusterCommand } from '../../runtime/cluster/index.ts';
import { loadHasher } from '../../runtime/routing/index.ts';
import { placeShard } from '../../runtime/routing/placement.ts';
import { seededRng } from '../../runtime/env/rng.ts';
import { planMoves } from '../../runtime/topology/plan.ts';
import { removeDataDir, startDev, tempDataDir, type DevCluster } from '../../test/integration/cluster/harness.ts';
import { spawnNode, tempDir, type SpawnedNode } from '../../test/integration/engine/spawn-node.ts';
import { admin, countOnNode, finishedJob, migrationsOf, type JobView } from '../../test/integration/topology/admin.ts';
import { INDEX, makeDocs, type Doc } from '../../test/integration/topology/traffic.ts';

const DOCS = Number(process.env['BENCH_DOCS'] ?? 20_000);
const S = 16;
const PAGE = 1_000;
const out = new URL('./', import.meta.url).pathname;

async function planRatio(): Promise<{ seeds: number; moved: number; minimum: number; ratio: number }> {
  const hasher = await loadHasher();
  const rng = seededRng(7);
  let moved = 0;
  let minimum = 0;
  let seeds = 0;
  for (let seed = 0; seed < 1_000; seed++) {
    const ids = Array.from({ length: 4 }, () => `n-${rng.int(2 ** 30).toString(36)}`);
    if (new Set(ids).size < 4) continue;
    const shards = 16 + rng.int(113);
    const state = emptyState();
    let index = 0;
    const run = (c: ClusterCommand): void => void apply(state, c, ++index, { placeShard: (s, n, rf) => placeShard(hasher, s, n, rf) });
    run({ v: 1, kind: 'group.add', id: 'g', nowMs: 0 });
    for (const id of ids.slice(0, 3)) {
      run({ v: 1, kind: 'node.add', id, url: 'http://x', group: 'g', nowMs: 0 });
      run({ v: 1, kind: 'node.state', id, state: 'active', nowMs: 0 });
    }
    run({ v: 1, kind: 'index.create', uid: 'i', primaryKey: 'id', shards, nowMs: 0 });
    state.nodes.set(ids[3]!, { id: ids[3]!, url: 'http://x', group: 'g', state: 'joining', addedAtMs: 0, stateChangedAtMs: 0 });
    moved += planMoves(state, (s, n, rf) => placeShard(hasher, s, n, rf)).length;
    minimum += shards / 4;
    seeds += 1;
  }
  return { seeds, moved, minimum, ratio: moved / minimum };
}

async function direct(cluster: DevCluster, docs: Record<string, unknown>[]): Promise<number> {
  const dir = tempDir('bench-direct');
  let node: SpawnedNode | null = null;
  try {
    node = await spawnNode({ dbPath: dir.path, masterKey: cluster.nodeMasterKey, timeoutMs: 60_000 });
    const headers = { authorization: `Bearer ${cluster.nodeMasterKey}`, 'content-type': 'application/json' };
    await fetch(`${node.url}/indexes`, { method: 'POST', headers, body: JSON.stringify({ uid: INDEX, primaryKey: 'id' }) });
    const started = Date.now();
    let last = 0;
    for (let i = 0; i < docs.length; i += PAGE) {
      const res = await fetch(`${node.url}/indexes/${INDEX}/documents`, { method: 'POST', headers, body: JSON.stringify(docs.slice(i, i + PAGE)) });
      last = ((await res.json()) as { taskUid: number }).taskUid;
    }
    for (;;) {
      const task = (await (await fetch(`${node.url}/tasks/${last}`, { headers })).json()) as { status: string };
      if (task.status === 'succeeded') break;
      if (task.status === 'failed') throw new Error('direct ingest failed');
      await new Promise((r) => setTimeout(r, 20));
    }
    return Date.now() - started;
  } finally {
    await node?.stop();
    dir.remove();
  }
}

async function main(): Promise<void> {
  const plan = await planRatio();
  console.log(JSON.stringify(plan));
  const dataDir = tempDataDir();
  const nodeDir = tempDir('bench-join');
  let cluster: DevCluster | null = null;
  let extra: SpawnedNode | null = null;
  try {
    cluster = await startDev(dataDir, ['--shards', String(S)]);
    extra = await spawnNode({ dbPath: nodeDir.path, masterKey: cluster.nodeMasterKey, timeoutMs: 60_000 });
    const client = cluster.client();
    await client.createIndex(INDEX, { primaryKey: 'id' }).waitTask({ timeout: 120_000 });
    for (let from = 0; from < DOCS; from += PAGE) await client.index<Doc>(INDEX).addDocuments(makeDocs(from, PAGE)).waitTask({ timeout: 120_000 });
    const group = (await cluster.topology()).groups[0]!.id;
    const load = loadavg()[0]!;
    const started = Date.now();
    const joined = await admin<{ job: JobView }>(cluster, 'POST', '/_miroir/nodes', { id: 'n4', url: extra.url, group });
    const job = await finishedJob(cluster, joined.body.job.id, 600_000);
    const jobMs = Date.now() - started;
    if (job.status !== 'succeeded') throw new Error(`join job ${job.status}: ${job.reason}`);
    const migrations = await migrationsOf(cluster, job.id);
    const moved = migrations.reduce((sum, m) => sum + m.total, 0);
    const onNew = await countOnNode(cluster, extra.url, null);
    // The same documents, as the nodes store them (stamped with their shard), straight into one fresh node.
    const shards = new Set(migrations.map((m) => m.shard));
    const docs: Record<string, unknown>[] = [];
    for (let offset = 0; offset < onNew; offset += PAGE) {
      const res = await fetch(`${extra.url}/indexes/${INDEX}/documents/fetch`, {
        method: 'POST', headers: { authorization: `Bearer ${cluster.nodeMasterKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ limit: PAGE, offset }),
      });
      docs.push(...((await res.json()) as { results: Record<string, unknown>[] }).results);
    }
    const directMs = await direct(cluster, docs);
    const result = {
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`, loadAverageAtJoin: load,
      plan, docs: DOCS, shards: S, movedShards: shards.size, movedDocs: moved, onNewNode: onNew,
      movedDocsRatio: moved / (DOCS / 4), jobMs, migrationDocsPerSec: (moved / jobMs) * 1000,
      directMs, directDocsPerSec: (docs.length / directMs) * 1000, throughputRatio: directMs / jobMs,
    };
    console.log(JSON.stringify(result));
    writeFileSync(`${out}migration-results.json`, `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(`${out}migration-results.md`, [
      `| measure | value |`, `|---|---|`,
      `| plan: shards moved ÷ minimum (S/4), ${plan.seeds} random joins, S 16..128 | ${plan.ratio.toFixed(3)} |`,
      `| real join: shards moved / S | ${shards.size} / ${S} |`,
      `| real join: documents moved ÷ (documents / 4) | ${result.movedDocsRatio.toFixed(3)} (${moved} of ${DOCS}) |`,
      `| join job wall time (hold → cleanup) | ${jobMs} ms |`,
      `| migration throughput | ${result.migrationDocsPerSec.toFixed(0)} docs/s |`,
      `| direct ingest of the same ${docs.length} documents into one node | ${directMs} ms, ${result.directDocsPerSec.toFixed(0)} docs/s |`,
      `| migration ÷ direct ingest | ${result.throughputRatio.toFixed(2)} |`,
      '', `Machine: ${result.machine}; load average ${load.toFixed(1)} when the join started.`,
    ].join('\n') + '\n');
  } finally {
    await cluster?.stop();
    await extra?.stop();
    removeDataDir(dataDir);
    nodeDir.remove();
  }
}

await main();
