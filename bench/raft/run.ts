// The Raft benchmark (npm run bench:raft): three peer processes on loopback
// (test/integration/raft/kv-peer.ts: RaftDriver + RaftCore + LevelDB with
// synced writes + PeerMesh), measuring
//   - commit latency, unloaded: sequential proposals on the leader, from
//     propose() to the entry applied on the leader, for 100 B and 64 KiB;
//   - throughput: many concurrent proposals (batched into shared fsyncs);
//   - failover: from kill -9 of the leader to a new leader all survivors follow;
// plus baselines measured in the same run on the same machine (a synced
// LevelDB batch of the same size, a loopback WebSocket round trip), so every
// figure is also given as a ratio. Writes bench/raft/results.json and
// results.md. Not part of npm test.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { WebSocket, WebSocketServer } from 'ws';
import { monotonicMs } from '../../runtime/env/real.ts';
import {
  awaitLeader, killPeer, post, restartPeer, spawnPeer, stateOf, wire, type PeerProcess,
} from '../../test/integration/raft/process-cluster.ts';

const TICK_MS = 10;
// 300 ms: well above the synced-write p99 of a busy disk, which delays every
// message of a Ready (persist before send), heartbeats included.
const ELECTION_TICKS = 30;
const ELECTION_TIMEOUT_MS = TICK_MS * ELECTION_TICKS;
const SMALL = 100;
const LARGE = 64 * 1024;

interface Summary { n: number; p50: number; p99: number; mean: number }

function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return { n: s.length, p50: round(at(0.5)), p99: round(at(0.99)), mean: round(s.reduce((a, b) => a + b, 0) / s.length) };
}

async function levelBaseline(dir: string, bytes: number, n: number): Promise<Summary> {
  const db = new Level<string, Uint8Array>(join(dir, `baseline-${bytes}`), { valueEncoding: 'view' });
  await db.open();
  const value = Buffer.alloc(bytes, 1);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = monotonicMs();
    await db.batch([{ type: 'put', key: `k${i}`, value }], { sync: true });
    samples.push(monotonicMs() - t0);
  }
  await db.close();
  return summarize(samples);
}

async function wsBaseline(bytes: number, n: number): Promise<Summary> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((r) => server.once('listening', r));
  server.on('connection', (ws) => ws.on('message', (data) => ws.send(data as Buffer)));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as { port: number }).port}/`, { perMessageDeflate: false });
  await new Promise((r) => client.once('open', r));
  const payload = Buffer.alloc(bytes, 2);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = monotonicMs();
    await new Promise<void>((resolve) => { client.once('message', () => resolve()); client.send(payload); });
    samples.push(monotonicMs() - t0);
  }
  client.close();
  await new Promise((r) => server.close(r));
  return summarize(samples);
}

interface BenchReply { latenciesMs: number[]; elapsedMs: number; cpuMsByPeer: Record<string, number> }

async function cpuByPeer(peers: PeerProcess[]): Promise<Record<string, number>> {
  const states = await Promise.all(peers.map((p) => stateOf(p, '/status')));
  return Object.fromEntries(states.map((s, i) => [peers[i]!.id, s?.cpuMs ?? Number.NaN]));
}

/** Leader changes that interrupted a measured phase (the phase was rerun on the new leader). */
const interruptions: string[] = [];

async function runBench(peers: PeerProcess[], count: number, bytes: number, concurrency: number): Promise<BenchReply> {
  for (let attempt = 0; ; attempt++) {
    const leader = await awaitLeader(peers);
    const cpuBefore = await cpuByPeer(peers);
    const { status, json } = await post(leader, '/bench', JSON.stringify({ count, bytes, concurrency }));
    const cpuAfter = await cpuByPeer(peers);
    const cpuMsByPeer = Object.fromEntries(Object.keys(cpuAfter).map((id) => [id, Math.round(cpuAfter[id]! - cpuBefore[id]!)]));
    if (status === 200) return { ...(json as Omit<BenchReply, 'cpuMsByPeer'>), cpuMsByPeer };
    if (attempt >= 2) throw new Error(`bench on ${leader.id} failed: ${JSON.stringify(json)}`);
    interruptions.push(`${count} × ${bytes} B at concurrency ${concurrency}: ${JSON.stringify(json)}`);
  }
}

async function failover(peers: PeerProcess[], trials: number): Promise<{ samplesMs: number[]; peers: PeerProcess[] }> {
  const samplesMs: number[] = [];
  for (let t = 0; t < trials; t++) {
    const leader = await awaitLeader(peers);
    // Let heartbeats settle so the measurement starts from a steady cluster.
    await new Promise((r) => setTimeout(r, 300));
    const survivors = peers.filter((p) => p !== leader);
    const t0 = monotonicMs();
    await killPeer(leader);
    await awaitLeader(survivors, 10_000, 2);
    samplesMs.push(monotonicMs() - t0);
    const restarted = await restartPeer(leader);
    peers = peers.map((p) => (p === leader ? restarted : p));
    await wire(peers);
    await awaitLeader(peers);
  }
  return { samplesMs, peers };
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'miroir-bench-raft-'));
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', loadAverage1mAtStart: loadavg()[0], node: process.version };
  console.log('baselines…');
  const baseline = {
    levelSyncedBatchMs: { small: await levelBaseline(root, SMALL, 300), large: await levelBaseline(root, LARGE, 100) },
    wsRoundTripMs: { small: await wsBaseline(SMALL, 500), large: await wsBaseline(LARGE, 200) },
  };
  const ids = ['r1', 'r2', 'r3'];
  let peers = await Promise.all(ids.map((id) => spawnPeer({
    id, dir: join(root, id), voters: ids, tickMs: TICK_MS, electionTicks: ELECTION_TICKS, snapshotEvery: 50_000,
  })));
  try {
    await wire(peers);
    console.log('latency…');
    await runBench(peers, 200, SMALL, 1); // warm-up: JIT, LevelDB files, progress in replicate state
    const latencySmall = summarize((await runBench(peers, 500, SMALL, 1)).latenciesMs);
    const latencyLarge = summarize((await runBench(peers, 100, LARGE, 1)).latenciesMs);
    console.log('throughput…');
    const small = await runBench(peers, 30_000, SMALL, 2000);
    const large = await runBench(peers, 600, LARGE, 64);
    // CPU-bound rate: proposals per second of the busiest process's CPU time, i.e. the rate if
    // each peer had one core to itself — comparable across runs on a shared, loaded machine.
    const cpuBound = (n: number, r: BenchReply): number => Math.round(n / (Math.max(...Object.values(r.cpuMsByPeer)) / 1000));
    const throughput = {
      small: {
        proposals: 30_000, concurrency: 2000, elapsedMs: Math.round(small.elapsedMs), perSecond: Math.round(30_000 / (small.elapsedMs / 1000)),
        cpuMsByPeer: small.cpuMsByPeer, cpuBoundPerSecond: cpuBound(30_000, small), latencyMs: summarize(small.latenciesMs),
      },
      large: {
        proposals: 600, concurrency: 64, elapsedMs: Math.round(large.elapsedMs), perSecond: Math.round(600 / (large.elapsedMs / 1000)),
        mebibytesPerSecond: Math.round((600 * LARGE) / (1 << 20) / (large.elapsedMs / 1000) * 10) / 10,
        cpuMsByPeer: large.cpuMsByPeer, cpuBoundPerSecond: cpuBound(600, large), latencyMs: summarize(large.latenciesMs),
      },
    };
    console.log('failover…');
    const fo = await failover(peers, 5);
    peers = fo.peers;
    await awaitLeader(peers);
    const states = await Promise.all(peers.map((p) => stateOf(p)));
    const failoverMs = summarize(fo.samplesMs);
    const floorSmall = 2 * baseline.levelSyncedBatchMs.small.p50 + baseline.wsRoundTripMs.small.p50;
    const floorLarge = 2 * baseline.levelSyncedBatchMs.large.p50 + baseline.wsRoundTripMs.large.p50;
    const results = {
      date: new Date().toISOString(),
      machine,
      config: { peers: 3, tickMs: TICK_MS, electionTicks: ELECTION_TICKS, electionTimeoutMs: ELECTION_TIMEOUT_MS, durableWrites: 'LevelDB batch with sync: true whenever Ready.mustSync' },
      baseline,
      commitLatencyMs: { small: latencySmall, large: latencyLarge },
      throughput,
      failoverMs: { ...failoverMs, samples: fo.samplesMs.map((x) => Math.round(x)), max: Math.round(Math.max(...fo.samplesMs)) },
      ratios: {
        commitP50OverFloorSmall: round2(latencySmall.p50 / floorSmall),
        commitP50OverFloorLarge: round2(latencyLarge.p50 / floorLarge),
        commitP50OverSyncedBatchSmall: round2(latencySmall.p50 / baseline.levelSyncedBatchMs.small.p50),
        failoverMaxOverElectionTimeout: round2(Math.max(...fo.samplesMs) / ELECTION_TIMEOUT_MS),
        throughputSmallOverSyncedBatchesPerSecond: round2(throughput.small.perSecond / (1000 / baseline.levelSyncedBatchMs.small.p50)),
      },
      targets: {
        failoverWithinTwoElectionTimeouts: Math.max(...fo.samplesMs) <= 2 * ELECTION_TIMEOUT_MS,
        smallThroughputAtLeast5000: throughput.small.perSecond >= 5000,
        unloadedP50Below5Ms: latencySmall.p50 < 5,
      },
      interruptions,
      finalCommit: states.map((s) => s && { id: s.id, commit: s.commit, applied: s.applied }),
    };
    const dir = new URL('./', import.meta.url).pathname;
    writeFileSync(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(dir, 'results.md'), markdown(results));
    console.log(markdown(results));
  } finally {
    await Promise.all(peers.map((p) => killPeer(p)));
    rmSync(root, { recursive: true, force: true });
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

// eslint-style `any` avoided: the shape is the `results` object above.
function markdown(r: {
  date: string; machine: { cpus: number; cpuModel: string; loadAverage1mAtStart: number | undefined; node: string };
  baseline: { levelSyncedBatchMs: { small: Summary; large: Summary }; wsRoundTripMs: { small: Summary; large: Summary } };
  commitLatencyMs: { small: Summary; large: Summary };
  throughput: {
    small: { perSecond: number; elapsedMs: number; cpuBoundPerSecond: number; cpuMsByPeer: Record<string, number>; latencyMs: Summary };
    large: { perSecond: number; mebibytesPerSecond: number; cpuBoundPerSecond: number; cpuMsByPeer: Record<string, number>; latencyMs: Summary };
  };
  failoverMs: Summary & { samples: number[]; max: number };
  ratios: Record<string, number>; targets: Record<string, boolean>; interruptions: string[];
}): string {
  const b = r.baseline;
  return [
    '# Raft benchmark',
    '',
    `${r.date} — ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}, 1-min load average at start ${r.machine.loadAverage1mAtStart?.toFixed(1)}.`,
    `Three peer processes on loopback, tick ${TICK_MS} ms, election timeout ${ELECTION_TIMEOUT_MS} ms (randomized in [${ELECTION_TIMEOUT_MS}, ${2 * ELECTION_TIMEOUT_MS}) ms), synced LevelDB writes.`,
    '',
    '| measure | p50 ms | p99 ms | n |',
    '|---|---|---|---|',
    `| baseline: synced LevelDB batch, 100 B | ${b.levelSyncedBatchMs.small.p50} | ${b.levelSyncedBatchMs.small.p99} | ${b.levelSyncedBatchMs.small.n} |`,
    `| baseline: synced LevelDB batch, 64 KiB | ${b.levelSyncedBatchMs.large.p50} | ${b.levelSyncedBatchMs.large.p99} | ${b.levelSyncedBatchMs.large.n} |`,
    `| baseline: loopback WebSocket round trip, 100 B | ${b.wsRoundTripMs.small.p50} | ${b.wsRoundTripMs.small.p99} | ${b.wsRoundTripMs.small.n} |`,
    `| baseline: loopback WebSocket round trip, 64 KiB | ${b.wsRoundTripMs.large.p50} | ${b.wsRoundTripMs.large.p99} | ${b.wsRoundTripMs.large.n} |`,
    `| commit latency, unloaded, 100 B | ${r.commitLatencyMs.small.p50} | ${r.commitLatencyMs.small.p99} | ${r.commitLatencyMs.small.n} |`,
    `| commit latency, unloaded, 64 KiB | ${r.commitLatencyMs.large.p50} | ${r.commitLatencyMs.large.p99} | ${r.commitLatencyMs.large.n} |`,
    `| commit latency under load, 100 B × 2000 concurrent | ${r.throughput.small.latencyMs.p50} | ${r.throughput.small.latencyMs.p99} | ${r.throughput.small.latencyMs.n} |`,
    `| failover: kill -9 of the leader → agreed new leader | ${r.failoverMs.p50} | ${r.failoverMs.p99} | ${r.failoverMs.n} |`,
    '',
    `Throughput: **${r.throughput.small.perSecond} committed 100-byte proposals/s** (${r.throughput.small.elapsedMs} ms for 30,000), ` +
      `**${r.throughput.large.perSecond} 64-KiB proposals/s** (${r.throughput.large.mebibytesPerSecond} MiB/s).`,
    `CPU time per peer during the 100-byte run (ms): ${JSON.stringify(r.throughput.small.cpuMsByPeer)}; CPU-bound rate (one core per peer): ` +
      `${r.throughput.small.cpuBoundPerSecond} proposals/s for 100 B, ${r.throughput.large.cpuBoundPerSecond} for 64 KiB.`,
    `Failover samples (ms): ${r.failoverMs.samples.join(', ')}; worst ${r.failoverMs.max} ms vs 2 × election timeout = ${2 * ELECTION_TIMEOUT_MS} ms.`,
    '',
    'Ratios (floor = 2 × synced batch p50 + WebSocket round trip p50: leader fsync, follower fsync, one round trip):',
    '',
    ...Object.entries(r.ratios).map(([k, v]) => `- ${k}: ${v}`),
    '',
    'Targets:',
    '',
    ...Object.entries(r.targets).map(([k, v]) => `- ${k}: ${v ? 'met' : 'NOT met'}`),
    '',
    `Phases rerun after a leader change: ${r.interruptions.length === 0 ? 'none' : r.interruptions.join('; ')}.`,
    '',
  ].join('\n');
}

await main();
