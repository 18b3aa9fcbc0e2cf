// Assertions on invariants (STYLE G16). They stay on in production: a broken
// invariant means the process can no longer be trusted, so it crashes and its
// supervisor restarts it. User input is never asserted; it is validated and
// answered with a Meilisearch-shaped error.

export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** Ends every switch over a discriminated union; the compiler proves it unreachable. */
export function unreachable(value: never, message = 'unreachable'): never {
  throw new AssertionError(`${message}: ${JSON.stringify(value)}`);
}
