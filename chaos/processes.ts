// The processes of a `miroir dev` cluster as the chaos run sees them: each
// can be killed with SIGKILL and started again from its own data dir, or
// frozen with SIGSTOP and thawed with SIGCONT, or slowed by slices of both.
//
// A restart runs exactly what `miroir dev` ran — the same argv and the same
// environment, read from /proc/<pid>/ at the start (Linux) — so a restarted
// peer has its secrets and tuning, and a node its data dir and key, without
// this file knowing how dev builds either. The exit-with-parent guard in
// that argv then watches this process's pipe instead of dev's, so restarted
// processes die with the chaos run whatever way it ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleepMs } from '../runtime/env/real.ts';
import { eventually, isAlive, type DevProcess } from '../test/integration/cluster/harness.ts';

const UP_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

interface Launch {
  argv: string[];
  env: NodeJS.ProcessEnv;
}

export class ChaosProcess {
  pid: number;
  paused = false;
  private child: ChildProcess | null = null;
  private readonly launch: Launch;

  constructor(readonly info: DevProcess, private readonly logDir: string, private readonly probeHeaders: Record<string, string>) {
    this.pid = info.pid;
    this.launch = readLaunch(info.pid);
  }

  get id(): string {
    return this.info.id;
  }

  get role(): 'peer' | 'node' {
    return this.info.role;
  }

  kill9(): void {
    signal(this.pid, 'SIGKILL');
    this.paused = false;
  }

  pause(): void {
    signal(this.pid, 'SIGSTOP');
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    signal(this.pid, 'SIGCONT');
    this.paused = false;
  }

  /** Alternates SIGSTOP and SIGCONT for `holdMs`: the process runs `runningMs` of every `stoppedMs + runningMs`, slow but never gone for long. */
  async slow(holdMs: number, stoppedMs: number, runningMs: number): Promise<void> {
    const end = Date.now() + holdMs;
    try {
      while (Date.now() < end) {
        this.pause();
        await sleepMs(stoppedMs);
        this.resume();
        await sleepMs(runningMs);
      }
    } finally {
      this.resume();
    }
  }

  /** Waits for the old process to be gone (its ports free), then starts it again. */
  async restart(): Promise<void> {
    await eventually(() => !isAlive(this.pid), `${this.role} ${this.id} (pid ${this.pid}) gone`, UP_TIMEOUT_MS);
    const log = openSync(join(this.logDir, `${this.id}.log`), 'a');
    const [command, ...args] = this.launch.argv;
    const child = spawn(command!, args, { env: this.launch.env, stdio: ['pipe', log, log] });
    closeSync(log);
    // The pipe is the guard's lifeline; nothing is written to it.
    child.stdin!.on('error', () => undefined);
    this.child = child;
    this.pid = child.pid!;
  }

  /** Resolves once the process answers its readiness probe (a node's /health, a peer's /_miroir/ready). */
  async waitUp(timeoutMs = UP_TIMEOUT_MS): Promise<void> {
    const url = this.role === 'node' ? `${this.info.url}/health` : `${this.info.url}/_miroir/ready`;
    await eventually(async () => {
      if (!isAlive(this.pid)) throw new Error(`${this.role} ${this.id} (pid ${this.pid}) exited; log: ${join(this.logDir, `${this.id}.log`)}`);
      try {
        const response = await fetch(url, { headers: this.probeHeaders, signal: AbortSignal.timeout(3_000) });
        return response.ok;
      } catch {
        return false; // refused or timed out: still starting
      }
    }, `${this.role} ${this.id} up`, timeoutMs);
  }

  /** Stops a process this run restarted (dev stops the ones it started itself). */
  async stopOwn(): Promise<void> {
    this.resume();
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
}

function readLaunch(pid: number): Launch {
  const split = (path: string): string[] => readFileSync(path, 'utf8').split('\0').filter((s) => s !== '');
  const argv = split(`/proc/${pid}/cmdline`);
  const env = Object.fromEntries(split(`/proc/${pid}/environ`).map((kv) => {
    const eq = kv.indexOf('=');
    return [kv.slice(0, eq), kv.slice(eq + 1)];
  }));
  return { argv, env };
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    // Already gone is what a kill wants; anything else is a real failure.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
