// A real engine node next to the edge, for tests that hold the edge to the
// node's answers: the same bad request must get the same status, code and
// message from both (they validate with the same api/protocol modules, and
// this checks the routes wire them alike). The node runs in-process on
// 127.0.0.1, port 0, with the master key of harness.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { startNode, type RunningNode } from '../../../engine/node.ts';
import { MASTER_KEY } from './harness.ts';

export interface EngineNode {
  url: string;
  close(): Promise<void>;
}

export async function startEngineNode(): Promise<EngineNode> {
  const dbPath = mkdtempSync(join(tmpdir(), 'miroir-edge-parity-'));
  const node: RunningNode = await startNode({ httpAddr: '127.0.0.1:0', dbPath, masterKey: MASTER_KEY });
  return {
    url: node.url,
    async close() {
      await node.close();
      rmSync(dbPath, { recursive: true, force: true });
    },
  };
}

export interface Probe {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  /** Sent as is; a non-string is JSON-encoded. */
  body?: unknown;
  contentType?: string;
}

export interface Answer {
  status: number;
  body: unknown;
}

function encode(probe: Probe): { headers: Record<string, string>; payload?: string } {
  const headers: Record<string, string> = { authorization: `Bearer ${MASTER_KEY}` };
  if (probe.body === undefined) return { headers };
  headers['content-type'] = probe.contentType ?? 'application/json';
  return { headers, payload: typeof probe.body === 'string' ? probe.body : JSON.stringify(probe.body) };
}

function parse(text: string): unknown {
  return text === '' ? null : (JSON.parse(text) as unknown);
}

export async function askEdge(app: FastifyInstance, probe: Probe): Promise<Answer> {
  const { headers, payload } = encode(probe);
  const res = await app.inject({ method: probe.method, url: probe.url, headers, ...(payload === undefined ? {} : { payload }) });
  return { status: res.statusCode, body: parse(res.body) };
}

export async function askNode(node: EngineNode, probe: Probe): Promise<Answer> {
  const { headers, payload } = encode(probe);
  const res = await fetch(`${node.url}${probe.url}`, { method: probe.method, headers, ...(payload === undefined ? {} : { body: payload }) });
  return { status: res.status, body: parse(await res.text()) };
}
