// Bounded retries for node reads (STYLE G13): only failures that say nothing
// reached the node or the node is momentarily unable (connection refused or
// reset, timeouts, 502/503/504) are retried, with capped exponential back-off
// and seeded jitter on the injected clock. Writes never come through here.
import type { Clock, Rng } from '../../runtime/env/clock.ts';
import { delay } from '../../runtime/env/delay.ts';
import { MiroirError } from '../../runtime/errors.ts';
import { backoffDelayMs, type BackoffPolicy } from '../peer/backoff.ts';
import { NodeResponseError } from './errors.ts';

export interface RetryPolicy extends BackoffPolicy {
  attemptsMax: number;
}

const RETRIABLE_STATUS = new Set([502, 503, 504]);

export function isRetriable(error: unknown): boolean {
  if (error instanceof NodeResponseError) return RETRIABLE_STATUS.has(error.status);
  return error instanceof MiroirError && error.code === 'MIROIR_ERR_NODE_UNAVAILABLE';
}

export async function retryRead<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  env: { clock: Clock; rng: Rng; signal?: AbortSignal },
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n + 1 >= policy.attemptsMax || !isRetriable(error) || env.signal?.aborted) throw error;
      await delay(env.clock, backoffDelayMs(n, policy, env.rng), env.signal);
    }
  }
}
