// Predicates for the integer parameters of routing (shard counts, shard ids,
// RF, round-robin turns), so each assertion states one condition by name.

export function isPositiveInteger(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1;
}

export function isNonNegativeInteger(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
