// Topology changes during a chaos run (ARCHITECTURE §6: no acknowledged
// write may be lost at a migration's cut-over, "chaos tests must prove it"):
// while the faults go on, a fourth engine node joins the group (its shards
// migrate onto it), then, once that job has ended, one of the first nodes,
// chosen by the seed, is drained (its shards migrate away; it ends removed).
// Both go through the operator API (/_miroir/nodes) of whichever peer
// answers, retried on "later" answers (5xx, 409 while a job runs, refused or
// timed-out connections), as an operator's script would.
//
// The jobs must succeed: one fault at a time is within what the cluster
// promises to survive, and a migration resumes at its committed phase after
// any peer or node failure. Their outcome is part of the verdict.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startChild, type DevChild } from '../cli/dev/child.ts';
import { sleepMs } from '../runtime/env/real.ts';
import { eventually } from '../test/integration/cluster/harness.ts';

const HOST = '127.0.0.1';
const REQUEST_TIMEOUT_MS = 10_000;
const RETRY_MS = 500;
const STOP_GRACE_MS = 10_000;

export interface JobOutcome {
  kind: 'join' | 'drain';
  nodeId: string;
  /** The job's final status, or why none was seen. */
  status: string;
  reason: string | null;
  migrations: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, HOST, ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

/** An engine node started by the chaos run itself (`miroir node`), to join the cluster. */
export class ExtraNode {
  private constructor(readonly id: string, readonly url: string, private readonly child: DevChild) {}

  static async start(id: string, dataDir: string, nodeMasterKey: string): Promise<ExtraNode> {
    const port = await freePort();
    const child = startChild({
      name: `node ${id}`,
      args: ['node', '--http-addr', `${HOST}:${port}`, '--db-path', join(dataDir, 'nodes', id), '--master-key', nodeMasterKey],
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MEILI_') && !k.startsWith('MIROIR_'))),
      logPath: join(dataDir, 'logs', `${id}.log`),
    });
    const node = new ExtraNode(id, `http://${HOST}:${port}`, child);
    await eventually(async () => {
      if (child.hasExited()) throw new Error(`node ${id} exited; log: ${child.spec.logPath}`);
      return (await fetch(`${node.url}/health`, { signal: AbortSignal.timeout(3_000) }).catch(() => null))?.ok === true;
    }, `node ${id} up`, 60_000);
    return node;
  }

  async stop(): Promise<void> {
    await this.child.stop(STOP_GRACE_MS);
  }
}

interface JobView {
  id: string;
  kind: string;
  status: string;
  reason: string | null;
  migrations: { total: number };
}

/** The operator API of the cluster, through any peer that answers. */
export class Operator {
  private next = 0;

  constructor(private readonly peerUrls: readonly string[], private readonly adminKey: string) {}

  /** Sends until a peer gives a final answer (2xx, or 4xx other than 409); resolves with its status and body. */
  async request(method: string, path: string, body: unknown, boundMs: number): Promise<{ status: number; body: unknown }> {
    const deadline = Date.now() + boundMs;
    for (;;) {
      const url = `${this.peerUrls[this.next % this.peerUrls.length]}${path}`;
      try {
        const response = await fetch(url, {
          method,
          headers: { authorization: `Bearer ${this.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const answer = { status: response.status, body: await response.json().catch(() => null) };
        if (response.status < 500 && response.status !== 409) return answer;
      } catch {
        // Refused, reset or timed out: the peer is down or frozen; another may answer.
      }
      this.next++;
      if (Date.now() > deadline) throw new Error(`${method} ${path}: no final answer within ${boundMs} ms`);
      await sleepMs(RETRY_MS);
    }
  }

  /** Starts a job (join or drain) and waits for it to end; the outcome says how it ended. */
  async runJob(kind: 'join' | 'drain', nodeId: string, start: () => Promise<{ status: number; body: unknown }>, boundMs: number): Promise<JobOutcome> {
    const started = await start();
    const job = (started.body as { job?: JobView | null } | null)?.job ?? null;
    if (started.status !== 202 || job === null) {
      return { kind, nodeId, status: `refused ${started.status} ${JSON.stringify(started.body)}`, reason: null, migrations: 0 };
    }
    const deadline = Date.now() + boundMs;
    for (;;) {
      const now = await this.request('GET', '/_miroir/rebalance', undefined, Math.max(deadline - Date.now(), 1));
      const current = (now.body as { job?: JobView | null } | null)?.job ?? null;
      if (current !== null && current.id === job.id && current.status !== 'running') {
        return { kind, nodeId, status: current.status, reason: current.reason, migrations: current.migrations.total };
      }
      if (Date.now() > deadline) return { kind, nodeId, status: `still running after ${boundMs} ms`, reason: null, migrations: job.migrations.total };
      await sleepMs(RETRY_MS);
    }
  }

  join(node: ExtraNode, group: string, boundMs: number): Promise<JobOutcome> {
    return this.runJob('join', node.id, () => this.request('POST', '/_miroir/nodes', { id: node.id, url: node.url, group }, boundMs), boundMs);
  }

  drain(nodeId: string, boundMs: number): Promise<JobOutcome> {
    return this.runJob('drain', nodeId, () => this.request('POST', `/_miroir/nodes/${nodeId}/drain`, undefined, boundMs), boundMs);
  }
}
