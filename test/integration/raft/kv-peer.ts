// A Raft peer as its own process, for the kill -9 test and the benchmark:
// the KV state machine over a RaftDriver, LevelDB on disk, the peer mesh on
// --mesh-port, and a small HTTP control surface on --http-port:
//   POST /peers    {"<id>": "ws://…", …}  tell the mesh where the others are
//   POST /propose  body = command id      propose anywhere (forwarded to the leader)
//   GET  /state                            role, leader, term, commit, applied, CPU ms, order
//   GET  /status                           the same without the order (cheap to poll)
//   POST /bench    {"count","bytes","concurrency"}  proposals run inside this (leader) process
// Prints one JSON line {"meshPort","httpPort"} once listening. With --standby
// it loads everything, then waits for its arguments as a JSON line on stdin. Exits 1 when
// the driver fails, so a supervisor (here: the test) would restart it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { LevelLogStore } from '../../../runtime/raft/log-store-level.ts';
import { RaftDriver } from '../../../runtime/raft/driver.ts';
import { RaftCore } from '../../../runtime/raft/core.ts';
import { MiroirError, NotLeaderError } from '../../../runtime/errors.ts';
import { monotonicMs, realClock } from '../../../runtime/env/real.ts';
import { seededRng } from '../../../runtime/env/rng.ts';
import { PeerMesh } from '../../../transport/peer/mesh.ts';
import { encodeCommand, KvStateMachine } from './kv-state-machine.ts';
import { CLUSTER_SECRET, raftConfig } from './in-process-peer.ts';

const options = {
  id: { type: 'string' }, dir: { type: 'string' }, voters: { type: 'string' },
  'mesh-port': { type: 'string', default: '0' }, 'http-port': { type: 'string', default: '0' },
  'tick-ms': { type: 'string', default: '10' }, 'election-ticks': { type: 'string', default: '10' },
  'snapshot-every': { type: 'string', default: '1000' },
  standby: { type: 'boolean', default: false },
} as const;
let { values } = parseArgs({ options });
if (values.standby) {
  // A warm spare: every module is loaded already; the arguments arrive as one JSON line
  // on stdin when a killed peer is to be replaced, so a restart skips the start-up cost.
  const line = await new Promise<string>((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
  values = parseArgs({ args: JSON.parse(line) as string[], options }).values;
}
const id = values.id!;
const tickMs = Number(values['tick-ms']);
const seed = Number(process.pid);

const mesh = await PeerMesh.start({
  id, secret: CLUSTER_SECRET, clock: realClock, rng: seededRng(seed), host: '127.0.0.1', port: Number(values['mesh-port']),
  frameBytesMax: 64 << 20, sendBufferBytesMax: 64 << 20, handshakeTimeoutMs: 2000, pingIntervalMs: 1000,
  reconnect: { baseMs: 20, maxMs: 300 }, requestTimeoutMs: 5000, requestsPendingMax: 50_000,
});
const store = await LevelLogStore.open({ path: values.dir!, bootstrap: { voters: values.voters!.split(','), learners: [] } });
const kv = new KvStateMachine();
const driver = await RaftDriver.start({
  config: raftConfig(id, { electionTicks: Number(values['election-ticks']), heartbeatTicks: Math.max(1, Math.floor(Number(values['election-ticks']) / 5)), maxSizePerMsgBytes: 4 << 20 }),
  store, transport: mesh, stateMachine: kv, clock: realClock, rng: seededRng(seed + 1),
  createNode: (config, restored, rng) => new RaftCore(config, restored, rng),
  tickMs, snapshotEveryEntries: Number(values['snapshot-every']), proposalsPendingMax: 50_000,
  proposalTimeoutMs: 5000, readsPendingMax: 4096, readTimeoutMs: 2000, incomingMessagesMax: 50_000,
});
driver.subscribe((event) => {
  if (event.type !== 'raft.failed') return;
  process.stderr.write(`${id}: raft failed: ${event.error.stack ?? event.error.message}\n`);
  process.exit(1);
});

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function reply(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

function errorReply(res: ServerResponse, error: unknown): void {
  if (error instanceof NotLeaderError) return reply(res, 503, { code: error.code, leaderHint: error.leaderHint });
  if (error instanceof MiroirError) return reply(res, 503, { code: error.code, message: error.message });
  const e = error as { code?: unknown; message?: unknown };
  reply(res, 500, { code: String(e.code ?? 'unknown'), message: String(e.message ?? error) });
}

async function bench(count: number, bytes: number, concurrency: number): Promise<{ latenciesMs: number[]; elapsedMs: number }> {
  const value = Buffer.alloc(bytes, 7);
  const latenciesMs: number[] = [];
  let next = 0;
  const started = monotonicMs();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const n = next++;
      const t0 = monotonicMs();
      await driver.propose(encodeCommand({ id: `bench-${n}`, key: 'bench', value }));
      latenciesMs.push(monotonicMs() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latenciesMs, elapsedMs: monotonicMs() - started };
}

const http = createServer((req, res) => {
  void (async () => {
    try {
      if (req.method === 'GET' && (req.url === '/state' || req.url === '/status')) {
        const s = driver.status();
        const cpu = process.cpuUsage();
        const order = req.url === '/state' ? kv.order : [];
        return reply(res, 200, {
          id, role: s.role, leader: s.leader, term: s.term, commit: s.commit, applied: s.applied, snapshotIndex: s.snapshotIndex,
          cpuMs: (cpu.user + cpu.system) / 1000, order,
        });
      }
      const input = await body(req);
      if (req.method === 'POST' && req.url === '/peers') {
        for (const [peer, url] of Object.entries(JSON.parse(input.toString()) as Record<string, string>)) if (peer !== id) mesh.setPeer(peer, url);
        return reply(res, 200, { ok: true });
      }
      if (req.method === 'POST' && req.url === '/propose') {
        const commandId = input.toString();
        const applied = await driver.proposeAnywhere(encodeCommand({ id: commandId, key: commandId, value: commandId }));
        return reply(res, 200, applied);
      }
      if (req.method === 'POST' && req.url === '/bench') {
        const { count, bytes, concurrency } = JSON.parse(input.toString()) as { count: number; bytes: number; concurrency: number };
        return reply(res, 200, await bench(count, bytes, concurrency));
      }
      reply(res, 404, { code: 'not_found' });
    } catch (error) {
      errorReply(res, error);
    }
  })();
});
await new Promise<void>((resolve) => http.listen(Number(values['http-port']), '127.0.0.1', resolve));
const httpPort = (http.address() as { port: number }).port;
process.stdout.write(`${JSON.stringify({ meshPort: mesh.port, httpPort })}\n`);
