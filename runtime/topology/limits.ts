// The bounds of topology jobs (issue 5 §4): how many migrations copy at once
// and how fast, and how hard verification tries before it fails a migration.
export interface TopologyLimits {
  /** Migrations in hold/copy/replay/verify at once (the others wait in `hold`). */
  concurrentMigrationsMax: number;
  /** Documents per page read from the source and written to the target. */
  copyPageSize: number;
  /** Copy throttle in documents per second per migration (0: unthrottled). */
  copyDocsPerSecond: number;
  /** Copy passes restarted because the source deleted documents of the shard meanwhile, before failing. */
  copyPassesMax: number;
  /** Comparisons of source and target before a mismatch fails the migration (writes keep flowing). */
  verifyAttemptsMax: number;
  verifyRetryMs: number;
  /** How often a wait for a cursor or a phase looks again when no apply was heard. */
  pollMs: number;
  /** Node task waits give up (and the phase is retried) after this long. */
  taskTimeoutMs: number;
}

export const DEFAULT_TOPOLOGY_LIMITS: Readonly<TopologyLimits> = Object.freeze({
  concurrentMigrationsMax: 2,
  copyPageSize: 1_000,
  copyDocsPerSecond: 0,
  copyPassesMax: 5,
  verifyAttemptsMax: 30,
  verifyRetryMs: 200,
  pollMs: 100,
  taskTimeoutMs: 120_000,
});
