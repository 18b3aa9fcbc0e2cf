// Helpers for running real Miroir peers in one test process: free loopback
// ports, configs built through the real loader, and waiting with deadlines.
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type PeerConfig } from '../../../runtime/config/index.ts';
import type { Peer } from '../../../cli/commands/peer.ts';
import type { ApplyResult, ClusterCommand } from '../../../runtime/cluster/index.ts';

export const CLUSTER_SECRET = 'peer integration secret 0123456789';

/** A port that was free a moment ago (the mesh needs every peer's address before it starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ClusterLayout {
  root: string;
  peers: Array<{ id: string; port: number }>;
}

export async function layout(peerIds: readonly string[]): Promise<ClusterLayout> {
  const root = await mkdtemp(join(tmpdir(), 'miroir-peer-'));
  const peers = [];
  for (const id of peerIds) peers.push({ id, port: await freePort() });
  return { root, peers };
}

export function removeLayout(l: ClusterLayout): Promise<void> {
  return rm(l.root, { recursive: true, force: true });
}

/** The JSON config file of one peer of the layout; nodes point at nothing (no node I/O in these tests). */
export function configFile(l: ClusterLayout, peerId: string): Record<string, unknown> {
  return {
    peerId,
    dataDir: join(l.root, peerId),
    // Port 0 for the metrics: several peers share this host (the default, 9464, would collide).
    listen: { host: '127.0.0.1', clientPort: 0, peerPort: l.peers.find((p) => p.id === peerId)!.port, metricsPort: 0 },
    peers: l.peers.map((p) => ({ id: p.id, address: `ws://127.0.0.1:${p.port}` })),
    groups: [{ id: 'g1', nodes: [{ id: 'n1', url: 'http://127.0.0.1:9' }, { id: 'n2', url: 'http://127.0.0.1:10' }] }],
    defaultShards: 8,
    raft: { tickMs: 25, electionTicks: 10, heartbeatTicks: 2 },
  };
}

export function peerConfig(l: ClusterLayout, peerId: string): PeerConfig {
  return loadConfig({ fileText: JSON.stringify(configFile(l, peerId)), env: { MIROIR_CLUSTER_SECRET: CLUSTER_SECRET } });
}

export async function eventually<T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Proposes, retrying only the outcomes a killed peer or a leadership change
 * can cause (the forwarded proposal lost with its connection, an election in
 * progress, a proposal dropped during a leadership transfer). A retried
 * index.create that had committed fails its task with index_already_exists,
 * which is still a task.
 */
export async function proposeRetrying(peer: Peer, command: ClusterCommand, timeoutMs: number): Promise<ApplyResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await peer.services.propose(command);
    } catch (error) {
      const code = (error as { code?: string }).code;
      const retriable = ['MIROIR_ERR_PEER_UNAVAILABLE', 'MIROIR_ERR_TIMEOUT', 'MIROIR_ERR_NOT_LEADER', 'MIROIR_ERR_PROPOSAL_DROPPED', 'MIROIR_ERR_CLOSED'].includes(code ?? '');
      if (!retriable || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
