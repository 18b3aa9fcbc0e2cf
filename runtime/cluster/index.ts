// Re-exports of the replicated cluster state machine (ARCHITECTURE §3, §5).
//
// How the pieces meet:
// - Edge (any peer): validate, build a command (runtime/writes/ for document
//   writes), `encodeCommand` (validates again, so nothing undecodable is
//   proposed), forward the bytes to the leader, which proposes them.
// - Driver (every peer): for each committed entry, `applyEntry(state, data,
//   index)` (conf changes: `skipEntry`); hand the ApplyResult of a proposed
//   entry back to the waiting request (202 body = `result.task`). Snapshots:
//   `serializeState` / `restoreState`.
// - Dispatcher (leader): for each committed entry and node, `sliceForNode`;
//   skip entries where `isDispatchable` is false (their task failed at
//   apply; also known after a leader change); commit progress
//   with `dispatcher.cursor` and `task.progress` commands.
// - Reads (any peer): `listTasks`/`getTask`/`renderTask`, `listIndexes`,
//   `getIndex`/`indexView`, topology lookups (key views: api/protocol/auth/key-view.ts).
export type * from './commands.ts';
export { decodeCommand, encodeCommand, validateCommand } from './command-codec.ts';
export { DecodeError } from './decode-fields.ts';
export { apply, applyEntry, isDispatchable, skipEntry } from './apply.ts';
export { compactionFloor, isHolding } from './apply-dispatch.ts';
export { futureByGroup, groupState, isServing, nodesByGroup, servingByGroup, FUTURE_STATES, SERVING_STATES } from './topology-sets.ts';
export { migrationsOf, runningJob, JOBS_KEPT } from './apply-jobs.ts';
export type { ApplyResult } from './apply-result.ts';
export type { ApplyContext } from './apply.ts';
export { emptyState, DEFAULT_CLUSTER_SETTINGS, JOB_KINDS, JOB_STATUSES, MIGRATION_PHASES, TASK_STATUSES, TASK_TYPES } from './state.ts';
export type * from './state.ts';
export { serializeState, restoreState } from './snapshot.ts';
export { listTasks, getTask, matchesTaskFilter, DEFAULT_TASK_LIMIT } from './task-query.ts';
export type { TaskFilter, TaskQuery, TaskPage } from './task-query.ts';
export { renderTask, summarize } from './task-view.ts';
export type { SummarizedTask, TaskView } from './task-view.ts';
export * from './queries.ts';
export { sliceForNode } from './command-slice.ts';
export type { NodeCommand, ShardOwnership } from './command-slice.ts';
export { bootstrapCommands, defaultKeyCommands, isPristine } from './bootstrap.ts';
export { formatIsoDuration, formatRfc3339 } from '../../api/protocol/time-format.ts';
export { stateInvariantViolations } from './invariants.ts';
