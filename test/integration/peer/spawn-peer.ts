// `miroir peer --config FILE` as a child process for the integration tests:
// spawned with cli/bin.js and the cluster secret, resolved once it printed its
// start-up line (whose JSON names its client API's address), killed hard.
import { spawn, type ChildProcess } from 'node:child_process';
import { CLUSTER_SECRET } from './cluster-helpers.ts';

const bin = new URL('../../../cli/bin.js', import.meta.url).pathname;

export interface SpawnedPeer {
  child: ChildProcess;
  /** The client API's address (http://host:port) from the start-up line. */
  clientUrl: string;
}

/** Spawns `miroir peer` and resolves once it printed its start-up line. */
export async function spawnPeer(configPath: string, env: Readonly<Record<string, string>> = {}): Promise<SpawnedPeer> {
  const child = spawn(process.execPath, [bin, 'peer', '--config', configPath], {
    env: { ...process.env, MIROIR_CLUSTER_SECRET: CLUSTER_SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let stdout = '';
  const clientUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`miroir peer did not start in time: ${stderr}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.includes('"clientUrl"'));
      if (line === undefined) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { clientUrl: string }).clientUrl);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`miroir peer exited with ${code}: ${stderr}`));
    });
  });
  return { child, clientUrl };
}

export function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}
