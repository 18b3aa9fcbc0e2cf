// The shared harness of the cluster integration tests: one `miroir dev`
// process tree (3 engine nodes, 3 peers by default; every port picked free)
// in a temporary data dir, found through its dev.json exactly as a script
// would, plus an official `meilisearch` client per peer.
import { after } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Meilisearch, MeilisearchApiError } from 'meilisearch';
import { sleepMs } from '../../../runtime/env/real.ts';

const BIN = new URL('../../../cli/bin.js', import.meta.url).pathname;

export const MASTER_KEY = 'cluster-integration-master-key-0123';

/**
 * Peer settings for a shared, often overloaded test machine: node health
 * probes that wait longer and forgive more before a node is judged down, so
 * that a slow moment does not turn into a partial (degraded) search answer.
 * Reaching every peer through `miroir dev`'s MIROIR_* pass-through.
 */
export const PATIENT_HEALTH_ENV: Readonly<Record<string, string>> = Object.freeze({
  MIROIR_HEALTH_PROBE_INTERVAL_MS: '2000',
  MIROIR_HEALTH_PROBE_TIMEOUT_MS: '2000',
  MIROIR_HEALTH_UNHEALTHY_THRESHOLD: '5',
  MIROIR_HEALTH_VIEW_STALENESS_MS: '15000',
  MIROIR_HEALTH_DEGRADED_LATENCY_MS: '10000',
});

export interface DevProcess {
  role: 'peer' | 'node';
  id: string;
  pid: number;
  url: string;
  dataDir: string;
  ports: Record<string, number>;
  exited: boolean;
}

export interface DevJson {
  pid: number;
  status: 'starting' | 'ready';
  url: string;
  dataDir: string;
  processes: DevProcess[];
}

export interface DevCluster {
  readonly dataDir: string;
  readonly child: ChildProcess;
  readonly dev: DevJson;
  readonly adminKey: string;
  readonly nodeMasterKey: string;
  peers(): DevProcess[];
  nodes(): DevProcess[];
  /** An official client talking to one peer (the first by default). */
  client(peerId?: string): Meilisearch;
  /** An official client talking straight to one engine node, with the node master key. */
  nodeClient(nodeId: string): Meilisearch;
  /** GET /_miroir/topology from one peer. */
  topology(peerId?: string): Promise<Topology>;
  output(): string;
  /** SIGTERM to `miroir dev`, resolves with its exit code once it is gone. */
  stop(): Promise<number | null>;
  /** kill -9 of `miroir dev` itself. */
  kill9(): Promise<void>;
}

export interface Topology {
  leader: string | null;
  peers: Array<{ id: string; role: string; isLeader: boolean }>;
  nodes: Array<{ id: string; url: string; group: string; state: string; healthy: boolean }>;
  groups: Array<{ id: string; nodes: string[] }>;
  indexes: Array<{ uid: string; shards: number; placements: Record<string, string[][]> }>;
}

/**
 * A search sent with plain fetch, for what the official client hides: the
 * `X-Miroir-Degraded` header of a partial answer (a node judged down), which
 * tells a degraded read from a lost write when a check fails.
 */
export async function rawSearch(peerUrl: string, index: string, body: Record<string, unknown>): Promise<{ ids: unknown[]; degraded: string | null }> {
  const response = await fetch(`${peerUrl}/indexes/${index}/search`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { hits?: Array<{ id: unknown }> };
  return { ids: answer.hits?.map((h) => h.id) ?? [], degraded: response.headers.get('x-miroir-degraded') };
}

/** The statuses Miroir answers when a client should try again: no leader, overloaded, the hop to the leader lost. */
export const RETRIABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * Calls `call` until it succeeds, retrying only retriable answers (as a
 * Meilisearch client would on 503), each reported to `onRetry`; anything else,
 * or a retriable answer past the deadline, is thrown.
 */
export async function retrying<T>(call: () => Promise<T>, timeoutMs: number, onRetry: (error: MeilisearchApiError) => void = () => undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof MeilisearchApiError) || !RETRIABLE_STATUSES.has(error.response?.status ?? 0) || Date.now() > deadline) throw error;
      onRetry(error);
      await sleepMs(200);
    }
  }
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'miroir-dev-'));
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function eventually<T>(probe: () => Promise<T | null | false> | T | null | false, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleepMs(50);
  }
}

/** The last lines of every process log of a failed start, so the cause survives the data dir's removal. */
function logTails(logDir: string): string {
  if (!existsSync(logDir)) return '';
  return readdirSync(logDir).map((name) => {
    const lines = readFileSync(join(logDir, name), 'utf8').trimEnd().split('\n');
    return `\n--- ${name} (last lines)\n${lines.slice(-8).join('\n')}`;
  }).join('');
}

/** Starts `miroir dev --port 0` in `dataDir` and resolves once its dev.json says ready. */
/**
 * `miroir dev` in a fresh data dir, stopped and its dir removed after the
 * calling test whatever fails later (a cluster assigned only after a later
 * step would be orphaned, and keep the test file alive, when that step throws).
 */
export async function devCluster(args: string[] = [], timeoutMs = 120_000, env: Record<string, string> = {}): Promise<DevCluster> {
  const dataDir = tempDataDir();
  let cluster: DevCluster | null = null;
  after(async () => {
    await cluster?.stop();
    removeDataDir(dataDir);
  });
  cluster = await startDev(dataDir, args, timeoutMs, env);
  return cluster;
}

export async function startDev(dataDir: string, args: string[] = [], timeoutMs = 120_000, env: Record<string, string> = {}): Promise<DevCluster> {
  const child = spawn(process.execPath, [BIN, 'dev', '--port', '0', '--data-dir', dataDir, '--master-key', MASTER_KEY, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MIROIR_'))), ...PATIENT_HEALTH_ENV, ...env },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const devPath = join(dataDir, 'dev.json');
  const dev = await eventually(() => {
    if (child.exitCode !== null) throw new Error(`miroir dev exited (${child.exitCode}) before ready:\n${out}`);
    if (!existsSync(devPath)) return null;
    const parsed = JSON.parse(readFileSync(devPath, 'utf8')) as DevJson;
    return parsed.pid === child.pid && parsed.status === 'ready' ? parsed : null;
  }, `miroir dev ready in ${dataDir}`, timeoutMs).catch((error: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n${out}${logTails(join(dataDir, 'logs'))}`);
  });
  const secrets = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as { adminKey: string; nodeMasterKey: string };
  const peers = (): DevProcess[] => dev.processes.filter((p) => p.role === 'peer');
  const peerUrl = (peerId?: string): string => (peerId === undefined ? peers()[0]! : peers().find((p) => p.id === peerId)!).url;
  return {
    dataDir,
    child,
    dev,
    adminKey: secrets.adminKey,
    nodeMasterKey: secrets.nodeMasterKey,
    peers,
    nodes: () => dev.processes.filter((p) => p.role === 'node'),
    client: (peerId) => new Meilisearch({ host: peerUrl(peerId), apiKey: MASTER_KEY }),
    nodeClient: (nodeId) => new Meilisearch({ host: dev.processes.find((p) => p.id === nodeId)!.url, apiKey: secrets.nodeMasterKey }),
    async topology(peerId) {
      const response = await fetch(`${peerUrl(peerId)}/_miroir/topology`, { headers: { authorization: `Bearer ${secrets.adminKey}` } });
      if (!response.ok) throw new Error(`topology: ${response.status} ${await response.text()}`);
      return (await response.json()) as Topology;
    },
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
