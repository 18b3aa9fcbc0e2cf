// An in-memory PeerServices for the edge's tests: a real cluster state
// machine (runtime/cluster) that applies every proposed command at once, at
// consecutive log indexes, after encoding it as the real peer does (so a
// command the codec refuses fails here too). No Raft, no node I/O: the routes
// of api/ only read the state and propose commands. The clock is fixed and
// only moves when a test advances it.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../api/app.ts';
import {
  apply,
  bootstrapCommands,
  emptyState,
  encodeCommand,
  type ApplyResult,
  type ClusterCommand,
  type ClusterState,
} from '../../../runtime/cluster/index.ts';
import { validateConfig } from '../../../runtime/config/index.ts';
import type { Clock } from '../../../runtime/env/clock.ts';
import { seededRng } from '../../../runtime/env/rng.ts';
import type { PeerServices, RaftView } from '../../../runtime/peer/services.ts';
import { createRouter } from '../../../runtime/routing/index.ts';

export const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 600);
export const MASTER_KEY = 'master-key-of-the-tests-0123456789';
export const ADMIN_KEY = 'admin-key-of-the-tests-0123456789';

export interface TestPeer {
  services: PeerServices;
  state: ClusterState;
  proposed: ClusterCommand[];
  clock: { nowMs(): number; advance(ms: number): void };
  /** Makes the next propose() calls fail with this error (null: succeed again). */
  failProposals(error: Error | null): void;
  /** Applies a command as if another peer had proposed it, visible only after syncRead(). */
  applyOnSync(command: ClusterCommand): void;
  syncReads: number;
}

export interface TestPeerOptions {
  masterKey?: string | null;
  adminKey?: string | null;
  /** Node ids of the one group g1. */
  nodes?: string[];
  defaultShards?: number;
  raft?: Partial<RaftView>;
}

export async function testPeer(options: TestPeerOptions = {}): Promise<TestPeer> {
  const nodes = options.nodes ?? ['n1', 'n2', 'n3'];
  const config = validateConfig(
    {
      peerId: 'p1',
      defaultShards: options.defaultShards ?? 8,
      groups: [{ id: 'g1', nodes: nodes.map((id, i) => ({ id, url: `http://127.0.0.1:${7701 + i}` })) }],
    },
    {
      masterKey: options.masterKey === undefined ? MASTER_KEY : options.masterKey,
      adminKey: options.adminKey === undefined ? ADMIN_KEY : options.adminKey,
      nodeMasterKey: null,
      clusterSecret: null,
    },
  );
  let now = T0;
  const clock: Clock & { advance(ms: number): void } = {
    nowMs: () => now,
    // Read deadlines arm a timer; the fixed clock never reaches it.
    setTimeout: () => ({ id: 0 }),
    clearTimeout: () => undefined,
    advance: (ms) => {
      now += ms;
    },
  };
  const rng = seededRng(7);
  const router = await createRouter();
  const state = emptyState();
  let logIndex = 0;
  let failure: Error | null = null;
  const pending: ClusterCommand[] = [];
  const proposed: ClusterCommand[] = [];
  const applyNow = (command: ClusterCommand): ApplyResult => {
    encodeCommand(command);
    logIndex += 1;
    return apply(state, command, logIndex);
  };
  const uids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000004'] as const;
  for (const command of bootstrapCommands(config, uids, T0 - 60_000)) applyNow(command);

  const peer: TestPeer = {
    state,
    proposed,
    clock,
    syncReads: 0,
    failProposals: (error) => {
      failure = error;
    },
    applyOnSync: (command) => {
      pending.push(command);
    },
    services: {
      peerId: 'p1',
      config,
      clock,
      rng,
      router,
      state: () => state,
      propose: async (command) => {
        if (failure !== null) throw failure;
        proposed.push(command);
        return applyNow(command);
      },
      syncRead: async () => {
        peer.syncReads += 1;
        for (const command of pending.splice(0)) applyNow(command);
      },
      node: (id) => {
        throw new Error(`no node I/O in edge tests (node ${id})`);
      },
      isNodeHealthy: (id) => id !== 'n3',
      nextSearchCounter: () => 0,
      raft: () => ({ role: 'leader', term: 3, leader: 'p1', commit: logIndex, applied: logIndex, ...options.raft }),
    },
  };
  return peer;
}

export async function testApp(options: TestPeerOptions & { payloadLimitBytes?: number } = {}): Promise<{ app: FastifyInstance; peer: TestPeer }> {
  const peer = await testPeer(options);
  const app = await buildApp({ services: peer.services, ...(options.payloadLimitBytes === undefined ? {} : { payloadLimitBytes: options.payloadLimitBytes }) });
  return { app, peer };
}

export const master = { authorization: `Bearer ${MASTER_KEY}` };
export const json = { ...master, 'content-type': 'application/json' };
