// milli's bucketed word positions (exact below 16, then 24, then powers of
// two) and their index in a 29-bit mask, so a posting can say in one number
// at which bucketed positions its word occurs in a document.

/** milli `bucketed_position`: exact below 16, then coarser and coarser. */
export function bucketedPosition(relative: number): number {
  if (relative < 16) return relative;
  if (relative < 24) return 24;
  return 2 ** Math.ceil(Math.log2(relative));
}

/** Bit index of a bucketed position: 0–15 as is, 24 → 16, 2^k (k ≥ 5) → 12 + k. */
export function bucketBit(relative: number): number {
  const b = bucketedPosition(relative);
  if (b < 16) return b;
  if (b === 24) return 16;
  return 12 + Math.round(Math.log2(b));
}

/** The bucketed position a bit stands for. */
export function bucketValue(bit: number): number {
  if (bit < 16) return bit;
  if (bit === 16) return 24;
  return 2 ** (bit - 12);
}

export const BUCKET_BITS = 29;
