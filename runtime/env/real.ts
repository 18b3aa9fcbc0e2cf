// The real clock and entropy: the only module outside cli/ allowed to read
// Date.now, setTimeout and Math.random (STYLE G5).
import type { Clock, Rng, TimerHandle } from './clock.ts';
import { seededRng } from './rng.ts';

type RealHandle = TimerHandle & { readonly timer: NodeJS.Timeout };

let nextTimerId = 1;

export const realClock: Clock = {
  nowMs: () => Date.now(),
  setTimeout(callback, delayMs) {
    const timer = setTimeout(callback, delayMs);
    const handle: RealHandle = { id: nextTimerId++, timer };
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout((handle as RealHandle).timer);
  },
};

/** A seeded Rng whose seed comes from real entropy; log the seed where replay matters. */
export function realRng(): { rng: Rng; seed: number } {
  const seed = Math.floor(Math.random() * 2 ** 32);
  return { rng: seededRng(seed), seed };
}

/** Monotonic milliseconds for measuring durations (not for decisions). */
export function monotonicMs(): number {
  return performance.now();
}

export function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
