// Goal: reconnect delays grow exponentially to the cap, with jitter inside
// [ceiling/2, ceiling), and the same seed gives the same delays (STYLE G5).
// Method: draw many delays per attempt from seeded Rngs and check the bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelayMs } from '../../../transport/peer/backoff.ts';
import { seededRng } from '../../../runtime/env/rng.ts';

const policy = { baseMs: 50, maxMs: 2000 };

test('delays stay within [ceiling/2, ceiling) and the ceiling doubles up to the cap', () => {
  const rng = seededRng(1);
  for (let attempt = 0; attempt < 40; attempt++) {
    const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
    const delays = Array.from({ length: 200 }, () => backoffDelayMs(attempt, policy, rng));
    assert.ok(delays.every((d) => d >= ceiling / 2 - 1 && d < ceiling), `attempt ${attempt}`);
    assert.ok(new Set(delays).size > 10, `attempt ${attempt} is jittered`);
  }
});

test('the same seed replays the same delays', () => {
  const draw = (seed: number): number[] => {
    const rng = seededRng(seed);
    return Array.from({ length: 10 }, (_, i) => backoffDelayMs(i, policy, rng));
  };
  assert.deepEqual(draw(5), draw(5));
  assert.notDeepEqual(draw(5), draw(6));
});
