// A leader's view for dispatcher tests without Raft: the cluster state applied
// with the real placement, an in-memory committed log (the test can cut it, as
// retention would), and proposals that append and apply at once. Nodes are
// real engine nodes on loopback; the actors run on XState's SimulatedClock,
// which the test advances while real I/O completes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import { startNode, type RunningNode } from '../../../engine/node.ts';
import { apply, emptyState, encodeCommand, type ClusterCommand, type ClusterState } from '../../../runtime/cluster/index.ts';
import { dispatchLimits, type CommittedLog, type DispatchServices } from '../../../runtime/dispatch/services.ts';
import type { Clock } from '../../../runtime/env/clock.ts';
import { seededRng } from '../../../runtime/env/rng.ts';
import { LogCompactedError } from '../../../runtime/errors.ts';
import type { Entry } from '../../../runtime/raft/types.ts';
import { createRouter, type Router } from '../../../runtime/routing/index.ts';
import { NodeClient } from '../../../transport/node-client/node-client.ts';

export const MASTER_KEY = 'dispatch-test-master-key';
export const T0 = 1_800_000_000_000;

export class MemoryLeader implements CommittedLog {
  readonly state: ClusterState = emptyState();
  readonly entries: Entry[] = [];
  readonly clock = new SimulatedClock();
  compacted = 0;
  readonly #listeners = new Set<() => void>();
  readonly #clients = new Map<string, NodeClient>();

  constructor(readonly router: Router) {
    this.clock.set(T0);
  }

  run(command: ClusterCommand): number {
    const index = this.entries.length + 1;
    apply(this.state, command, index, this.router);
    this.entries.push({ index, term: 1, payload: { kind: 'command', data: encodeCommand(command) } });
    for (const listener of this.#listeners) listener();
    return index;
  }

  readCommitted(fromIndex: number, maxBytes: number): Entry[] {
    if (fromIndex <= this.compacted) throw new LogCompactedError(fromIndex);
    const out: Entry[] = [];
    let bytes = 0;
    for (const entry of this.entries.slice(fromIndex - 1)) {
      bytes += entry.payload.kind === 'command' ? entry.payload.data.byteLength : 0;
      if (out.length > 0 && bytes > maxBytes) break;
      out.push(entry);
    }
    return out;
  }

  appliedIndex(): number {
    return this.entries.length;
  }

  compactedThrough(): number {
    return this.compacted;
  }

  /** The dispatch services over this leader; `clock` defaults to the simulated one (benchmarks pass the real clock). */
  services(clock: Clock = simulatedClock(this.clock)): DispatchServices {
    return {
      log: this,
      state: () => this.state,
      client: (nodeId) => this.client(nodeId),
      propose: async (command) => this.run(command),
      onApplied: (listener) => {
        this.#listeners.add(listener);
        return () => this.#listeners.delete(listener);
      },
      clock,
      rng: seededRng(7),
      limits: dispatchLimits({ inflightMax: 4, batchBytesMax: 1 << 20 }),
    };
  }

  client(nodeId: string): NodeClient {
    const node = this.state.nodes.get(nodeId);
    if (node === undefined) throw new Error(`no node ${nodeId}`);
    let client = this.#clients.get(nodeId);
    if (client === undefined) {
      client = new NodeClient({ nodeId, url: node.url, apiKey: MASTER_KEY, connectionsMax: 4, headersTimeoutMs: 5_000, bodyTimeoutMs: 5_000 });
      this.#clients.set(nodeId, client);
    }
    return client;
  }

  /** Advances simulated time in steps while real I/O runs, until `probe` holds (wall-clock deadline). */
  async until<T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== null && value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      this.clock.increment(10);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((c) => c.close()));
  }
}

function simulatedClock(clock: SimulatedClock): Clock {
  return {
    nowMs: () => clock.now(),
    setTimeout: (callback, delayMs) => ({ id: clock.setTimeout(callback, delayMs) as number }),
    clearTimeout: (handle) => clock.clearTimeout(handle.id),
  };
}

export async function memoryLeader(): Promise<MemoryLeader> {
  return new MemoryLeader(await createRouter());
}

/** Engine nodes in one temporary directory; a node can be stopped and started again on its port and data. */
export class EngineNodes {
  readonly root = mkdtempSync(join(tmpdir(), 'miroir-dispatch-'));
  readonly running = new Map<string, RunningNode>();

  async start(id: string, port = 0): Promise<string> {
    const node = await startNode({ httpAddr: `127.0.0.1:${port}`, dbPath: join(this.root, id), masterKey: MASTER_KEY });
    this.running.set(id, node);
    return node.url;
  }

  async stop(id: string): Promise<void> {
    await this.running.get(id)?.close();
    this.running.delete(id);
  }

  async close(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stop(id)));
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A leader (kept in `leaders` for closing) over one active engine node `n1` of group g1. */
export async function oneNodeLeader(nodes: EngineNodes, leaders: MemoryLeader[]): Promise<MemoryLeader> {
  const leader = await memoryLeader();
  leaders.push(leader);
  const url = await nodes.start(`n1-${leaders.length}`);
  leader.run({ v: 1, kind: 'group.add', id: 'g1', nowMs: T0 });
  leader.run({ v: 1, kind: 'node.add', id: 'n1', url, group: 'g1', nowMs: T0 });
  leader.run({ v: 1, kind: 'node.state', id: 'n1', state: 'active', nowMs: T0 });
  return leader;
}

/** A documents.write split and stamped as the edge does it. */
export function documentsWrite(router: Router, indexUid: string, shards: number, docs: Record<string, unknown>[], nowMs = T0): ClusterCommand {
  const byShard: Record<number, Record<string, unknown>[]> = {};
  for (const doc of docs) {
    const shard = router.shardOf(doc['id'] as string | number, shards);
    (byShard[shard] ??= []).push({ ...doc, _miroir_shard: shard });
  }
  return {
    v: 1, kind: 'documents.write', indexUid, mode: 'replace', primaryKey: 'id', shards, byShard,
    receivedDocuments: docs.length, allowIndexCreation: true, nowMs,
  };
}
