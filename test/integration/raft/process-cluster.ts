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

export async function spawnPeer(setup: PeerProcessSetup): Promise<PeerProcess> {
  const args = [
    '--import', 'tsx', PEER_ENTRY, '--id', setup.id, '--dir', setup.dir, '--voters', setup.voters.join(','),
    '--mesh-port', String(setup.meshPort ?? 0), '--http-port', String(setup.httpPort ?? 0),
    '--tick-ms', String(setup.tickMs ?? 10), '--election-ticks', String(setup.electionTicks ?? 10),
    '--snapshot-every', String(setup.snapshotEvery ?? 1000),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ports = await new Promise<{ meshPort: number; httpPort: number }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(JSON.parse(line) as { meshPort: number; httpPort: number }));
    child.once('exit', (code) => reject(new Error(`peer ${setup.id} exited with ${code} before listening`)));
  });
  return { setup: { ...setup, ...ports }, id: setup.id, child, exited, ...ports };
}

export async function killPeer(peer: PeerProcess): Promise<void> {
  peer.child.kill('SIGKILL');
  await peer.exited;
}

/** Restarts a killed peer on the same ports and data directory. */
export function restartPeer(peer: PeerProcess): Promise<PeerProcess> {
  return spawnPeer(peer.setup);
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
