// One Raft peer inside the test process: a PeerMesh on loopback (port 0), a
// LevelLogStore in a directory, a RaftDriver over the real RaftCore and the
// KV state machine. Tests start several and link their meshes.
import { LevelLogStore } from '../../../runtime/raft/log-store-level.ts';
import { RaftDriver, type RaftDriverOptions, type RaftTransport } from '../../../runtime/raft/driver.ts';
import { RaftCore } from '../../../runtime/raft/core.ts';
import type { ConfState, LogStore, RaftConfig } from '../../../runtime/raft/types.ts';
import { realClock } from '../../../runtime/env/real.ts';
import { seededRng } from '../../../runtime/env/rng.ts';
import { PeerMesh, type PeerMeshOptions } from '../../../transport/peer/mesh.ts';
import { KvStateMachine } from './kv-state-machine.ts';

export const CLUSTER_SECRET = new TextEncoder().encode('integration cluster secret 0123456789');

export interface PeerSetup {
  id: string;
  dir: string;
  bootstrap: ConfState;
  port?: number;
  seed?: number;
  driver?: Partial<Omit<RaftDriverOptions, 'config'>>;
  raft?: Partial<RaftConfig>;
  /** Lets a test observe the store and the transport the driver uses (both stay real underneath). */
  wrapStore?: (store: LogStore) => LogStore;
  wrapTransport?: (transport: RaftTransport) => RaftTransport;
  mesh?: Partial<PeerMeshOptions>;
}

export interface InProcessPeer {
  id: string;
  mesh: PeerMesh;
  store: LevelLogStore;
  driver: RaftDriver;
  kv: KvStateMachine;
  /** Closes the driver and starts a new one on the same mesh and data, as a supervisor would. */
  restartDriver(): Promise<void>;
  close(): Promise<void>;
}

export function raftConfig(id: string, overrides: Partial<RaftConfig> = {}): RaftConfig {
  return {
    // 300 ms at 10 ms ticks: several in-process peers share one event loop on a busy CI machine.
    id, electionTicks: 30, heartbeatTicks: 3, maxSizePerMsgBytes: 1 << 20, maxInflightMessages: 64,
    maxUncommittedEntries: 20_000, checkQuorum: true, preVote: true, ...overrides,
  };
}

export async function startPeer(setup: PeerSetup): Promise<InProcessPeer> {
  const seed = setup.seed ?? [...setup.id].reduce((a, c) => a * 31 + c.charCodeAt(0), 7);
  const mesh = await PeerMesh.start({
    id: setup.id, secret: CLUSTER_SECRET, clock: realClock, rng: seededRng(seed), host: '127.0.0.1', port: setup.port ?? 0,
    frameBytesMax: 16 << 20, sendBufferBytesMax: 32 << 20, handshakeTimeoutMs: 2000, pingIntervalMs: 2000,
    reconnect: { baseMs: 20, maxMs: 500 }, requestTimeoutMs: 5000, requestsPendingMax: 10_000,
    ...setup.mesh,
  });
  const { store, driver, kv } = await startDriver(setup, mesh, seed);
  const peer: InProcessPeer = {
    id: setup.id, mesh, store, driver, kv,
    async restartDriver() {
      await peer.driver.close();
      Object.assign(peer, await startDriver(setup, mesh, seed + 100));
    },
    async close() {
      await peer.driver.close();
      await mesh.close();
    },
  };
  return peer;
}

/** Opens the store and starts a driver on an existing mesh (also how a supervisor restarts the driver). */
export async function startDriver(setup: PeerSetup, mesh: PeerMesh, seed: number): Promise<{ store: LevelLogStore; driver: RaftDriver; kv: KvStateMachine }> {
  const store = await LevelLogStore.open({ path: setup.dir, bootstrap: setup.bootstrap });
  const kv = new KvStateMachine();
  const driver = await RaftDriver.start({
    config: raftConfig(setup.id, setup.raft),
    store: setup.wrapStore?.(store) ?? store, transport: setup.wrapTransport?.(mesh) ?? mesh, stateMachine: kv, clock: realClock, rng: seededRng(seed + 1),
    createNode: (config, restored, rng) => new RaftCore(config, restored, rng),
    tickMs: 10, snapshotEveryEntries: 10_000, proposalsPendingMax: 20_000, proposalTimeoutMs: 5000, readsPendingMax: 4096, readTimeoutMs: 2000,
    incomingMessagesMax: 10_000,
    ...setup.driver,
  });
  return { store, driver, kv };
}

/** Tells every peer every other peer's address. */
export function linkAll(peers: InProcessPeer[]): void {
  for (const p of peers) for (const q of peers) if (p !== q) p.mesh.setPeer(q.id, q.mesh.url);
}

export async function waitFor<T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function leaderOf(peers: InProcessPeer[]): InProcessPeer | null {
  const leaders = peers.filter((p) => p.driver.isLeader);
  return leaders.length === 1 ? leaders[0]! : null;
}
