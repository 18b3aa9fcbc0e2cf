// Dispatch throughput (issue 4 §4, ARCHITECTURE §3 step 4): documents per
// second through one node dispatcher into one engine node, against the same
// batches POSTed straight to an engine node, in the same run.
//
// Method: the corpus (bench/engine/corpus.ts, seeded) is cut into batches of
// BATCH documents. Direct: a fresh node gets an index, then every batch is
// POSTed in order (Meilisearch enqueues them; one request at a time, as the
// dispatcher does), and the clock stops when the node's last task succeeded.
// Dispatch: a fresh node in a one-node cluster state (S shards, RF 1); the
// index creation and every batch are committed to an in-memory log first
// (the same stamped, shard-split commands the edge proposes), then the
// dispatchers actor starts on the real clock and the clock stops when every
// Miroir task succeeded (node tasks polled, cursor batches committed with
// their outcomes). The Raft commit itself is not in this number: it measures
// what the dispatcher adds over a plain client. A third side POSTs the
// batches stamped with `_miroir_shard` (filterable) straight to a node: the
// node work Miroir's data model asks for, without the dispatcher. Rounds
// rotate the sides so all see the same machine load, after one unrecorded
// warm-up round; the median round is reported.
// Results: bench/cluster/dispatch-results.json and dispatch-results.md.
//
// Run: node --import tsx bench/cluster/dispatch.bench.ts
// (MIROIR_BENCH_DOCS, MIROIR_BENCH_BATCH, MIROIR_BENCH_ROUNDS change the sizes.)
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { createActor } from 'xstate';
import { dispatchersInput, dispatchersLogic } from '../../actors/dispatchers.machine.ts';
import { dispatchLimits } from '../../runtime/dispatch/services.ts';
import { realClock } from '../../runtime/env/real.ts';
import { seededRng } from '../../runtime/env/rng.ts';
import { createRouter } from '../../runtime/routing/index.ts';
import { NodeClient } from '../../transport/node-client/node-client.ts';
import { makeDocument, vocabulary } from '../engine/corpus.ts';
import { documentsWrite, EngineNodes, MASTER_KEY, memoryLeader } from '../../test/integration/dispatch/harness.ts';

const DOCS = Number(process.env['MIROIR_BENCH_DOCS'] ?? 20_000);
const BATCH = Number(process.env['MIROIR_BENCH_BATCH'] ?? 1_000);
const ROUNDS = Number(process.env['MIROIR_BENCH_ROUNDS'] ?? 3);
const S = 64;
const TIMEOUT_MS = 600_000;

const rng = seededRng(42);
const vocab = vocabulary(rng, 2_000);
const docs = Array.from({ length: DOCS }, (_, i) => makeDocument(rng, vocab, i + 1));
const batches = Array.from({ length: Math.ceil(DOCS / BATCH) }, (_, i) => docs.slice(i * BATCH, (i + 1) * BATCH));
const engines = new EngineNodes();
const router = await createRouter();
/** Each batch as the dispatcher sends it: stamped, in shard order. */
const stampedBatches = batches.map((batch) => {
  const command = documentsWrite(router, 'bench', S, batch);
  if (command.kind !== 'documents.write') throw new Error('unreachable: documentsWrite builds a documents.write');
  return Object.keys(command.byShard).map(Number).sort((a, b) => a - b).flatMap((shard) => command.byShard[shard] ?? []);
});

function clientOf(nodeId: string, url: string): NodeClient {
  return new NodeClient({ nodeId, url, apiKey: MASTER_KEY, connectionsMax: 4, headersTimeoutMs: 60_000, bodyTimeoutMs: 60_000 });
}

async function waitTask(client: NodeClient, uid: number): Promise<void> {
  const deadline = realClock.nowMs() + TIMEOUT_MS;
  for (;;) {
    const res = await client.request<{ status: string; error: unknown }>({ method: 'GET', path: `/tasks/${uid}` });
    if (res.body.status === 'succeeded') return;
    if (res.body.status === 'failed' || res.body.status === 'canceled') throw new Error(`direct task ${uid}: ${JSON.stringify(res.body.error)}`);
    if (realClock.nowMs() > deadline) throw new Error(`direct task ${uid} timed out`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The batches POSTed straight to a fresh node. `stamped`: the same node work
 * Miroir asks for — `_miroir_shard` stamped on every document and filterable
 * — without the dispatcher, which separates the data model's cost from the
 * dispatcher's.
 */
async function direct(round: number, stamped: boolean): Promise<number> {
  const id = `direct-${stamped ? 'stamped-' : ''}${round}`;
  const client = clientOf(id, await engines.start(id));
  try {
    const created = await client.request<{ taskUid: number }>({ method: 'POST', path: '/indexes', body: { uid: 'bench', primaryKey: 'id' } });
    await waitTask(client, created.body.taskUid);
    if (stamped) {
      const settings = await client.request<{ taskUid: number }>({ method: 'PATCH', path: '/indexes/bench/settings', body: { filterableAttributes: ['_miroir_shard'] } });
      await waitTask(client, settings.body.taskUid);
    }
    const bodies = stamped ? stampedBatches : batches;
    const start = performance.now();
    let last = -1;
    for (const batch of bodies) {
      last = (await client.request<{ taskUid: number }>({ method: 'POST', path: '/indexes/bench/documents', body: batch })).body.taskUid;
    }
    await waitTask(client, last);
    return performance.now() - start;
  } finally {
    await client.close();
    await engines.stop(id);
  }
}

async function dispatched(round: number): Promise<number> {
  const id = `dispatch-${round}`;
  const url = await engines.start(id);
  const leader = await memoryLeader();
  const now = realClock.nowMs();
  leader.run({ v: 1, kind: 'group.add', id: 'g1', nowMs: now });
  leader.run({ v: 1, kind: 'node.add', id, url, group: 'g1', nowMs: now });
  leader.run({ v: 1, kind: 'node.state', id, state: 'active', nowMs: now });
  leader.run({ v: 1, kind: 'index.create', uid: 'bench', primaryKey: 'id', shards: S, nowMs: now });
  const writes = batches.map((batch) => leader.run(documentsWrite(leader.router, 'bench', S, batch, now)));
  const services = { ...leader.services(realClock), limits: dispatchLimits({ inflightMax: 4, batchBytesMax: 8 << 20 }) };
  const done = (): boolean => writes.every((index) => [...leader.state.tasks.values()].find((t) => t.logIndex === index)?.status === 'succeeded');
  const start = performance.now();
  const actor = createActor(dispatchersLogic(services), { input: dispatchersInput(services) }).start();
  try {
    const deadline = realClock.nowMs() + TIMEOUT_MS;
    while (!done()) {
      const failed = [...leader.state.tasks.values()].find((t) => t.status === 'failed');
      if (failed !== undefined) throw new Error(`dispatched task ${failed.uid}: ${JSON.stringify(failed.error)}`);
      if (realClock.nowMs() > deadline) throw new Error('dispatch timed out');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return performance.now() - start;
  } finally {
    actor.stop();
    await leader.close();
    await engines.stop(id);
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const sides = { direct: [] as number[], stamped: [] as number[], dispatch: [] as number[] };
  const run = { direct: (r: number) => direct(r, false), stamped: (r: number) => direct(r, true), dispatch: dispatched };
  const order = ['direct', 'stamped', 'dispatch'] as const;
  // Round -1 warms the JIT and the engine code paths up; it is not recorded.
  for (let round = -1; round < ROUNDS; round++) {
    // Rotate which side goes first, so a slow stretch of the machine hits every side.
    for (let k = 0; k < order.length; k++) {
      const side = order[(round + 1 + k) % order.length]!;
      const ms = await run[side](round);
      if (round >= 0) sides[side].push(ms);
    }
    if (round < 0) continue;
    console.log(`round ${round}: ${order.map((side) => `${side} ${sides[side].at(-1)!.toFixed(0)} ms`).join(', ')}`);
  }
  const rate = (ms: number) => Math.round(DOCS / (ms / 1000));
  const ratio = (over: number[], under: number[]) => Number((median(under) / median(over)).toFixed(3));
  const result = {
    environment: `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores`,
    documents: DOCS, batchDocuments: BATCH, batches: batches.length, shards: S, rounds: ROUNDS,
    directMs: sides.direct.map(Math.round), stampedMs: sides.stamped.map(Math.round), dispatchMs: sides.dispatch.map(Math.round),
    directDocsPerSecond: rate(median(sides.direct)), stampedDocsPerSecond: rate(median(sides.stamped)),
    dispatchDocsPerSecond: rate(median(sides.dispatch)),
    /** dispatch docs/s ÷ direct docs/s: what a client sees. */
    ratio: ratio(sides.dispatch, sides.direct),
    /** dispatch docs/s ÷ stamped-direct docs/s: the dispatcher's own cost. */
    ratioOverStamped: ratio(sides.dispatch, sides.stamped),
  };
  const url = (name: string) => new URL(name, import.meta.url);
  writeFileSync(url('dispatch-results.json'), `${JSON.stringify(result, null, 2)}\n`);
  const row = (name: string, ms: number[], rateValue: number) => `| ${name} | ${Math.round(median(ms))} ms | ${rateValue} | ${ms.map(Math.round).join(', ')} |`;
  writeFileSync(url('dispatch-results.md'), [
    '# Dispatch throughput', '',
    'Generated by `bench/cluster/dispatch.bench.ts` (method in its header): documents per second through one node',
    'dispatcher into one engine node, against the same batches POSTed straight to an engine node, in the same run.', '',
    `Environment: ${result.environment}. ${DOCS} documents in ${batches.length} batches of ${BATCH}; S = ${S}; ${ROUNDS} rotating rounds, median reported.`, '',
    '| path | median time | docs/s | rounds (ms) |', '|---|---:|---:|---|',
    row('direct POST to the node', sides.direct, result.directDocsPerSecond),
    row('direct POST, documents stamped with `_miroir_shard` (filterable)', sides.stamped, result.stampedDocsPerSecond),
    row('through one dispatcher', sides.dispatch, result.dispatchDocsPerSecond), '',
    `Ratio dispatch ÷ direct: **${result.ratio}**; dispatch ÷ stamped direct (the dispatcher's own cost): **${result.ratioOverStamped}**.`, '',
  ].join('\n'));
  console.log(JSON.stringify(result, null, 2));
}

try {
  await main();
} finally {
  await engines.close();
}
