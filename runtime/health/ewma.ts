// Exponentially weighted moving average of a latency: the newest sample counts
// `weight`, the history (1 − weight). The first sample is the average.
import { assert } from '../assert.ts';

export function ewma(previous: number | null, sample: number, weight: number): number {
  assert(weight > 0 && weight <= 1, 'the EWMA weight is in (0, 1]');
  assert(Number.isFinite(sample) && sample >= 0, 'a latency sample is a finite non-negative number');
  return previous === null ? sample : weight * sample + (1 - weight) * previous;
}
