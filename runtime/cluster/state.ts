// The replicated cluster state: what every peer rebuilds by applying the Raft
// log in order (ARCHITECTURE §5). It holds metadata only — documents live on
// the nodes — so it stays small enough to snapshot whole.
//
// Invariants:
// - Only apply() (runtime/cluster/apply.ts) changes a ClusterState, and only
//   from a command and its log index: no clock, no randomness, no I/O.
// - `appliedIndex` only grows; `nextTaskUid` is dense from 0 and only grows.
// - Maps are keyed by id; their iteration order is irrelevant to every query
//   (queries sort) and to snapshots (snapshot.ts sorts), so two replicas that
//   applied the same log are indistinguishable.
// - Topology jobs and their migrations (runtime/cluster/apply-jobs.ts) keep
//   their committed phase here; at most one job runs at a time.

import type { ErrorBody } from '../../api/errors/registry.ts';
import type { NodeState, WriteAckMode } from './commands.ts';

// Task statuses and kinds are protocol facts (API.md §2.2), shared with the engine.
export { TASK_STATUSES, TASK_TYPES } from '../../api/protocol/task-query.ts';
export type { TaskStatus, TaskType } from '../../api/protocol/task-query.ts';
import type { TaskFields } from '../../api/protocol/task-query.ts';

/** Miroir does not auto-batch: a task becomes its own batch (uid) when it starts processing. */
export interface TaskRecord extends TaskFields {
  /** The log index of the command that created the task. */
  logIndex: number;
}

export interface IndexRecord {
  uid: string;
  primaryKey: string | null;
  /** S, fixed at creation. */
  shards: number;
  createdAtMs: number;
  updatedAtMs: number;
  /** The settings the client set (a partial Meilisearch settings object); defaults are not filled in. */
  settings: Record<string, unknown>;
  /** Bumped by every applied settings change, so readers can tell settings apart cheaply. */
  settingsVersion: number;
  /**
   * False until a document write is applied, and again after a clear. Meilisearch
   * refuses to change the primary key of a non-empty index; without document
   * counts this conservative flag stands in for "non-empty".
   */
  mayHaveDocuments: boolean;
  /**
   * The searchable leaf paths of every document written to the index, first
   * seen first, `_miroir_shard` never among them (index-fields.ts). Only grows.
   */
  fields: string[];
}

export interface NodeRecord {
  id: string;
  url: string;
  group: string;
  state: NodeState;
  addedAtMs: number;
  stateChangedAtMs: number;
}

export interface GroupRecord {
  id: string;
  createdAtMs: number;
}

export interface PeerRecord {
  id: string;
  address: string;
}

export interface ApiKeyRecord {
  uid: string;
  name: string | null;
  description: string | null;
  actions: string[];
  indexes: string[];
  expiresAtMs: number | null;
  createdAtMs: number;
  updatedAtMs: number;
}

/** Knobs every peer must agree on; set by `config.set`, seeded from the first peer's config. */
export interface ClusterSettings {
  defaultShards: number;
  rf: number;
  writeAckMode: WriteAckMode;
  /** Finished tasks kept; the oldest finished ones are dropped beyond it (STYLE G14). */
  taskRetentionMax: number;
}

export const DEFAULT_CLUSTER_SETTINGS: Readonly<ClusterSettings> = Object.freeze({
  defaultShards: 64,
  rf: 1,
  writeAckMode: 'log',
  taskRetentionMax: 100_000,
});

/** ARCHITECTURE §6: the committed phase of one shard migration (in this order; `failed` from any). */
export type MigrationPhase = 'hold' | 'copy' | 'replay' | 'verify' | 'cutover' | 'cleanup' | 'done' | 'failed';
export const MIGRATION_PHASES: readonly MigrationPhase[] = ['hold', 'copy', 'replay', 'verify', 'cutover', 'cleanup', 'done', 'failed'];

/** Shard `shard` of `indexUid` copied onto node `to` of `group` (from the serving owners `from`). */
export interface MigrationRecord {
  id: string;
  jobId: string;
  indexUid: string;
  shard: number;
  group: string;
  /** The serving owners when the migration started; the copy reads the first one that is not `to`. */
  from: string[];
  to: string;
  phase: MigrationPhase;
  /** P: the log index of the command that started it. The target's writes of the shard after P are held until released. */
  fromLogIndex: number;
  /** H: the log index of the release (phase `replay`); the target's dispatcher replays the shard over (P, H) at H. */
  releasedAt: number | null;
  /**
   * R (set at the release): the source had applied every entry up to R when
   * the last copy pass started, so the copy holds (P, R] and the replay
   * starts after R. Absent (a record from before R existed): from P.
   */
  copiedThrough?: number;
  copied: number;
  total: number;
  error: string | null;
  startedAtMs: number;
  updatedAtMs: number;
}

export type JobKind = 'join' | 'drain' | 'group' | 'rebalance';
export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';
export const JOB_KINDS: readonly JobKind[] = ['join', 'drain', 'group', 'rebalance'];
export const JOB_STATUSES: readonly JobStatus[] = ['running', 'succeeded', 'failed', 'cancelled'];

export interface JobRecord {
  id: string;
  kind: JobKind;
  /** The node joining or draining, or the group added (null for a rebalance). */
  nodeId: string | null;
  status: JobStatus;
  /** Why it failed, else why it started when not by an operator (`restore-rf`), else null. */
  reason: string | null;
  /** The log index that started it. */
  startedAt: number;
  /** The log index of its cut-over (node states committed), null before. */
  cutoverAt: number | null;
  startedAtMs: number;
  finishedAtMs: number | null;
}

export interface ClusterState {
  appliedIndex: number;
  nextTaskUid: number;
  settings: ClusterSettings;
  peers: Map<string, PeerRecord>;
  groups: Map<string, GroupRecord>;
  nodes: Map<string, NodeRecord>;
  indexes: Map<string, IndexRecord>;
  keys: Map<string, ApiKeyRecord>;
  /** By uid; insertion order is uid order because uids are assigned in log order. */
  tasks: Map<number, TaskRecord>;
  /** Node id → last log index acknowledged by that node. */
  cursors: Map<string, number>;
  /**
   * Log indexes of task commands that failed at apply: dispatchers must not
   * send them (a write prepared for another S would land on the wrong nodes).
   * Kept until every live node's cursor has passed them, so a new leader's
   * dispatchers, replaying from the cursors, still know (STYLE G14: bounded by
   * the dispatch lag).
   */
  undispatchable: Set<number>;
  /**
   * Log index → what its command owes the nodes: the target nodes computed at
   * apply from the placement at that point of the log, and the outcomes
   * reported so far. Only entries whose task still waits for a node outcome
   * are kept (bounded by the dispatch lag, STYLE G14); a dispatcher that finds
   * no record for an entry has nothing to send for it.
   */
  dispatch: Map<number, DispatchRecord>;
  /** The log index of the last applied entry that had anything for a node (0: none yet). */
  lastDispatchIndex: number;
  /**
   * Node id → the log index up to which its dispatcher could not replay: the
   * log was compacted past its cursor (retention bounds, ARCHITECTURE §3 step 5).
   * Such a node misses writes and must be rebuilt by shard copy.
   */
  rebuildNeeded: Map<string, number>;
  /** Topology jobs by id; finished ones beyond the last few are dropped with their migrations. */
  jobs: Map<string, JobRecord>;
  migrations: Map<string, MigrationRecord>;
}

/** One node that must receive (part of) a command. */
export interface DispatchTarget {
  nodeId: string;
  group: string;
  /** The shards whose documents or ids it receives, ascending; null: the whole command. */
  shards: number[] | null;
  /**
   * A future owner that is not serving yet (a migration target): it receives
   * the writes, but its counters are not the client's (they would count twice).
   */
  shadow?: true;
}

/** What one target node reported for one entry (folded into the task when every target did). */
export interface NodeOutcomeRecord {
  nodeId: string;
  status: 'succeeded' | 'failed';
  error: ErrorBody | null;
  /** Counters the node's task reported, e.g. indexedDocuments, deletedDocuments. */
  counts: Record<string, number>;
}

export interface DispatchRecord {
  logIndex: number;
  taskUid: number;
  /** Sorted by node id. */
  targets: DispatchTarget[];
  /** The command created its index: nodes that get no documents still create it (with its primary key). */
  createsIndex: boolean;
  /** Group → copies of each shard in that group at apply (min(RF, active nodes)). */
  copies: Record<string, number>;
  /** In report order. */
  outcomes: NodeOutcomeRecord[];
  /** The entry is one part of a split batch (apply-batch.ts): its task finishes with the last part's record. */
  part?: { index: number; count: number };
}

export function emptyState(settings: Partial<ClusterSettings> = {}): ClusterState {
  return {
    appliedIndex: 0,
    nextTaskUid: 0,
    settings: { ...DEFAULT_CLUSTER_SETTINGS, ...settings },
    peers: new Map(),
    groups: new Map(),
    nodes: new Map(),
    indexes: new Map(),
    keys: new Map(),
    tasks: new Map(),
    cursors: new Map(),
    undispatchable: new Set(),
    dispatch: new Map(),
    lastDispatchIndex: 0,
    rebuildNeeded: new Map(),
    jobs: new Map(),
    migrations: new Map(),
  };
}
