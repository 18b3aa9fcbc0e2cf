// One process started by `miroir dev`: `miroir node …` or `miroir peer …`
// run with the same Node and loader as the parent, its output appended to a
// log file, and the exit-with-parent guard preloaded (the child stops itself
// when the parent dies, even by SIGKILL). Whether it is up is for the caller
// to probe over HTTP: every port is known before the start.
//
// Profiling: with MIROIR_DEV_CPU_PROF_DIR=/dir in `miroir dev`'s environment,
// every child runs with `--cpu-prof --cpu-prof-dir=/dir` (NODE_OPTIONS refuses
// --cpu-prof) and writes a .cpuprofile there when it exits cleanly (Ctrl-C,
// SIGTERM from `miroir dev` or the exit-with-parent guard; not on SIGKILL).
// The variable is for `miroir dev` only: it is not passed on, since a peer's
// config loader refuses MIROIR_* variables it does not know.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { SECRET_ENV } from '../../runtime/config/index.ts';

const BIN = new URL('../bin.js', import.meta.url).pathname;
const GUARD = new URL('./exit-with-parent.js', import.meta.url).href;
const CPU_PROF_DIR_ENV = 'MIROIR_DEV_CPU_PROF_DIR';

export interface ChildSpec {
  /** For messages: `peer p1`, `node n2`. */
  name: string;
  /** Arguments after `miroir`. */
  args: string[];
  env: NodeJS.ProcessEnv;
  logPath: string;
}

export interface DevChild {
  readonly spec: ChildSpec;
  readonly process: ChildProcess;
  /** Resolves with the exit code or signal once the process is gone. */
  readonly exited: Promise<string>;
  hasExited(): boolean;
  /** What the process wrote to its log since this start (the file also holds earlier starts). */
  logSinceStart(): string;
  /** SIGTERM; SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs: number): Promise<string>;
}

/**
 * The environment of every child: without MEILI_* (a node takes its address,
 * data dir and key from its flags), without the secrets and MIROIR_CONFIG
 * (each peer gets its own), but with the other MIROIR_* variables, which
 * tune every peer at once (e.g. MIROIR_HEALTH_PROBE_TIMEOUT_MS); a variable
 * the peer's loader does not know stops the peer with a clear message.
 */
export function baseEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const own = new Set(['MIROIR_CONFIG', CPU_PROF_DIR_ENV, ...Object.values(SECRET_ENV)]);
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('MEILI_') && !own.has(k)));
}

export function startChild(spec: ChildSpec): DevChild {
  // The child writes its log itself, so its last words (a shutdown after the parent died) are kept.
  const log = openSync(spec.logPath, 'a');
  const logStart = fstatSync(log).size;
  const child = spawn(process.execPath, [...profileFlags(process.env), '--import', GUARD, BIN, ...spec.args], {
    env: spec.env,
    stdio: ['pipe', log, log],
  });
  closeSync(log);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`));
  });
  // The pipe is the guard's lifeline; nothing is written to it, and a closed one must not crash the parent.
  child.stdin!.on('error', () => undefined);
  const hasExited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const stop = async (graceMs: number): Promise<string> => {
    if (!hasExited()) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    return exited;
  };
  const logSinceStart = (): string => readFileSync(spec.logPath).subarray(logStart).toString('utf8');
  return { spec, process: child, exited, hasExited, stop, logSinceStart };
}

/** `--cpu-prof` flags when MIROIR_DEV_CPU_PROF_DIR names a directory to write profiles to. */
function profileFlags(env: NodeJS.ProcessEnv): string[] {
  const dir = env[CPU_PROF_DIR_ENV];
  return dir === undefined || dir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}
