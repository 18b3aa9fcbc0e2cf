// Test helpers for engine nodes: spawn `miroir node` as a real child process
// (port 0, the address read from its banner), wait for tasks over HTTP, and
// make temporary data directories. Used by the integration, crash and
// conformance suites.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleepMs } from '../../../runtime/env/real.ts';

const BIN = new URL('../../../cli/bin.js', import.meta.url).pathname;

export interface SpawnedNode {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (kill -9) and wait for the process to be gone. */
  kill9(): Promise<void>;
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `miroir-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function runCli(args: string[], timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`miroir ${args.join(' ')} timed out`)); }, timeoutMs);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

export async function spawnNode(opts: { dbPath: string; masterKey?: string; args?: string[]; timeoutMs?: number }): Promise<SpawnedNode> {
  const args = [BIN, 'node', '--http-addr', '127.0.0.1:0', '--db-path', opts.dbPath, ...(opts.args ?? [])];
  if (opts.masterKey) args.push('--master-key', opts.masterKey);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MEILI_MASTER_KEY: '' } });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    // A node that never says it listens is killed: left running, its pipes would keep the test file's process (and npm test) alive.
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`miroir node did not start:\n${out}`)); }, opts.timeoutMs ?? 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`miroir node exited (${code}) before listening:\n${out}`)); });
  });
  return {
    url,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      // A clean stop is bounded; past it the node is killed so no test can hang on it.
      const forced = setTimeout(() => child.kill('SIGKILL'), 30_000);
      try { return await exited; } finally { clearTimeout(forced); }
    },
    async kill9() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function http(url: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; body: any }> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const res = await fetch(url, { ...init, headers, body: body ?? null });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text) };
}

/** Polls a task until it is finished; fails after the deadline. */
export async function waitTask(baseUrl: string, uid: number, timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await http(`${baseUrl}/tasks/${uid}`);
    if (body && ['succeeded', 'failed', 'canceled'].includes(body.status)) return body;
    if (Date.now() > deadline) throw new Error(`task ${uid} not finished after ${timeoutMs} ms: ${JSON.stringify(body)}`);
    await sleepMs(10);
  }
}
