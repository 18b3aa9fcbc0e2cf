// Reconnect back-off: exponential, capped, with "equal jitter" drawn from a
// seeded Rng (STYLE G5), so peers that lost the same leader do not redial in
// lock-step, and a simulation replays the same delays from its seed. The
// delay for attempt n lies in [c/2, c) where c = min(maxMs, baseMs · 2^n).
import { assert } from '../../runtime/assert.ts';
import type { Rng } from '../../runtime/env/clock.ts';

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export function backoffDelayMs(attempt: number, policy: BackoffPolicy, rng: Rng): number {
  assert(Number.isSafeInteger(attempt) && attempt >= 0, 'attempt is a non-negative integer');
  assert(policy.baseMs > 0 && policy.maxMs >= policy.baseMs, 'back-off bounds are positive and ordered');
  // 2^30 already exceeds any sane cap; clamping the exponent keeps the number finite.
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(ceiling / 2 + rng.next() * (ceiling / 2));
}
