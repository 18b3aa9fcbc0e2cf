// Plain-fetch calls for the cluster benchmarks: the master key, JSON bodies,
// and waiting for a task to finish (polling every 20 ms until the deadline).
import { monotonicMs, sleepMs } from '../../runtime/env/real.ts';
import { MASTER_KEY } from '../../test/integration/cluster/harness.ts';

const TASK_TIMEOUT_MS = 600_000;

export async function call(url: string, method: string, body?: unknown): Promise<any> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${MASTER_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const json = await response.json();
  if (response.status >= 400) throw new Error(`${method} ${url} → ${response.status} ${JSON.stringify(json)}`);
  return json;
}

export async function waitTask(base: string, uid: number): Promise<void> {
  const deadline = monotonicMs() + TASK_TIMEOUT_MS;
  for (;;) {
    const task = await call(`${base}/tasks/${uid}`, 'GET');
    if (task.status === 'succeeded') return;
    if (task.status === 'failed' || task.status === 'canceled') throw new Error(`task ${uid} ${task.status}: ${JSON.stringify(task.error)}`);
    if (monotonicMs() > deadline) throw new Error(`task ${uid} not finished after ${TASK_TIMEOUT_MS} ms`);
    await sleepMs(20);
  }
}
