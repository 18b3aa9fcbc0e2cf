// The injected sources of time and randomness (STYLE G5). Decision logic takes
// `nowMs` or a Clock and an Rng as parameters; only runtime/env/real.ts and
// cli/ touch the real clock, so a simulation driven by one seed replays exactly.

export type TimerHandle = { readonly id: number };

export interface Clock {
  /** Milliseconds on a monotonic-enough wall clock (epoch based for real clocks). */
  nowMs(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
}
