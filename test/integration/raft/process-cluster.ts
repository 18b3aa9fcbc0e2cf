// Raft peers as child processes (kv-peer.ts) for the kill -9 test and the
// benchmark: spawn, wire their meshes together, ask their state, SIGKILL and
// restart them on the same ports and data directories.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const PEER_ENTRY = new URL('./kv-peer.ts', import.meta.url).pathname;

export interface PeerProcessSetup {
  id: string;
  dir: string;
  voters: string[];
  meshPort?: number;
  httpPort?: number;
  tickMs?: number;
  electionTicks?: number;
  snapshotEvery?: number;
}

export interface PeerProcess {
  setup: PeerProcessSetup;
  id: string;
  child: ChildProcess;
  meshPort: number;
  httpPort: number;
  exited: Promise<void>;
}

export interface PeerState {
  id: string;
  role: string;
  leader: string | null;
  term: number;
  commit: number;
  applied: number;
  snapshotIndex: number;
  /** CPU time (user + system) the process used since it started. */
  cpuMs: number;
  /** Empty when asked through statusOf. */
  order: string[];
}

function argsOf(setup: PeerProcessSetup): string[] {
  return [
    '--id', setup.id, '--dir', setup.dir, '--voters', setup.voters.join(','),
    '--mesh-port', String(setup.meshPort ?? 0), '--http-port', String(setup.httpPort ?? 0),
    '--tick-ms', String(setup.tickMs ?? 10), '--election-ticks', String(setup.electionTicks ?? 10),
    '--snapshot-every', String(setup.snapshotEvery ?? 1000),
  ];
}

function listening(child: ChildProcess, id: string): Promise<{ meshPort: number; httpPort: number }> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(JSON.parse(line) as { meshPort: number; httpPort: number }));
    child.once('exit', (code) => reject(new Error(`peer ${id} exited with ${code} before listening`)));
  });
}

export async function spawnPeer(setup: PeerProcessSetup): Promise<PeerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', PEER_ENTRY, ...argsOf(setup)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ports = await listening(child, setup.id);
  return { setup: { ...setup, ...ports }, id: setup.id, child, exited, ...ports };
}

/** A warm spare peer process: modules loaded, waiting to be told which peer to become. */
export interface Standby {
  child: ChildProcess;
  exited: Promise<void>;
  activate(setup: PeerProcessSetup): Promise<PeerProcess>;
}

export function spawnStandby(): Standby {
  const child = spawn(process.execPath, ['--import', 'tsx', PEER_ENTRY, '--standby'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child, exited,
    async activate(setup) {
      const ports = listening(child, setup.id);
      child.stdin!.end(`${JSON.stringify(argsOf(setup))}\n`);
      return { setup: { ...setup, ...(await ports) }, id: setup.id, child, exited, ...(await ports) };
    },
  };
}

export async function killPeer(peer: { child: ChildProcess; exited: Promise<void> }): Promise<void> {
  peer.child.kill('SIGKILL');
  await peer.exited;
}

/** Restarts a killed peer on the same ports and data directory (in a warm spare when given one). */
export function restartPeer(peer: PeerProcess, standby?: Standby): Promise<PeerProcess> {
  return standby === undefined ? spawnPeer(peer.setup) : standby.activate(peer.setup);
}

export async function wire(peers: PeerProcess[]): Promise<void> {
  const urls = Object.fromEntries(peers.map((p) => [p.id, `ws://127.0.0.1:${p.meshPort}/`]));
  await Promise.all(peers.map((p) => post(p, '/peers', JSON.stringify(urls))));
}

export async function post(peer: PeerProcess, path: string, body: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`http://127.0.0.1:${peer.httpPort}${path}`, { method: 'POST', body });
  return { status: response.status, json: await response.json() };
}

export async function stateOf(peer: PeerProcess, path: '/state' | '/status' = '/state'): Promise<PeerState | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${peer.httpPort}${path}`);
    return (await response.json()) as PeerState;
  } catch {
    // A killed or restarting peer has no state to report; callers poll again.
    return null;
  }
}

/** Polls until one peer leads and every other live peer follows it; returns it with the time it took. */
export async function awaitLeader(peers: PeerProcess[], timeoutMs = 10_000, pollMs = 5): Promise<PeerProcess> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(peers.map((p) => stateOf(p, '/status')));
    const leaders = states.filter((s) => s?.role === 'leader');
    if (leaders.length === 1 && states.every((s) => s !== null && s.leader === leaders[0]!.id)) {
      return peers.find((p) => p.id === leaders[0]!.id)!;
    }
    if (Date.now() > deadline) throw new Error(`no agreed leader within ${timeoutMs} ms: ${JSON.stringify(states.map((s) => s && [s.id, s.role, s.leader, s.term]))}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
