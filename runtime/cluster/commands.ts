// The commands of the replicated cluster state machine: what the Raft log
// carries (ARCHITECTURE §3, §5). Every write a client or an operator makes
// becomes exactly one of these, is encoded with msgpack into an Entry's
// opaque payload, and is applied in log order by every peer
// (runtime/cluster/apply.ts).
//
// Invariants:
// - The union is versioned (`v: 1`); a decoder refuses any other version, so a
//   peer never applies a command it does not understand.
// - A command carries every input apply needs, including the time (`nowMs`,
//   taken by the proposing peer) and any randomness (key uids), so every
//   replica computes the same state from the same log.
// - Document writes are already split by shard and stamped with
//   `_miroir_shard` (runtime/writes/) before they are proposed.

import type { ErrorBody } from '../../api/errors/registry.ts';
import type { TaskFilter } from './task-query.ts';

export const COMMAND_VERSION = 1;

export type Document = Record<string, unknown>;
export type NodeState = 'joining' | 'active' | 'draining' | 'removed';
export type WriteAckMode = 'log' | 'quorum';
export type DocumentWriteMode = 'replace' | 'update';
export type TaskProgressStatus = 'processing' | 'succeeded' | 'failed';

export const NODE_STATES: readonly NodeState[] = ['joining', 'active', 'draining', 'removed'];
export const WRITE_ACK_MODES: readonly WriteAckMode[] = ['log', 'quorum'];

export interface IndexSwap {
  indexes: [string, string];
  rename: boolean;
}

/** The fields every command that becomes a Meilisearch task carries. */
interface TaskFields {
  nowMs: number;
  /** Echoed in the task when the request carried `?customMetadata=`. */
  customMetadata?: string;
}

type V = { v: 1 };

export type IndexCreateCommand = V & TaskFields & { kind: 'index.create'; uid: string; primaryKey: string | null; shards: number };
export type IndexUpdateCommand = V &
  TaskFields & { kind: 'index.update'; uid: string; primaryKey?: string; newUid?: string };
export type IndexDeleteCommand = V & TaskFields & { kind: 'index.delete'; uid: string };
export type IndexSwapCommand = V & TaskFields & { kind: 'index.swap'; swaps: IndexSwap[] };

export type DocumentsWriteCommand = V &
  TaskFields & {
    kind: 'documents.write';
    indexUid: string;
    mode: DocumentWriteMode;
    /** The resolved primary key (declared, passed, or inferred at the edge). */
    primaryKey: string;
    /** S the split was computed with; apply fails the task if the index has another S. */
    shards: number;
    /** Shard → its documents, each stamped with `_miroir_shard`. Only non-empty shards appear. */
    byShard: Record<number, Document[]>;
    receivedDocuments: number;
    /**
     * Whether the write may create a missing index: the caller's API key holds
     * `indexes.create` (API.md §9.1 rule 8). Checked again at apply because the
     * index may be deleted while the write is in flight.
     */
    allowIndexCreation: boolean;
    /** Meilisearch's `?skipCreation=true`: only update documents that already exist. Passed to the nodes. */
    skipCreation?: boolean;
    /**
     * A primary-key or document-id problem found at the edge (runtime/writes):
     * Meilisearch answers 202 and fails the task, so the write is committed
     * without documents and apply fails its task with this error.
     */
    rejected?: ErrorBody;
    /**
     * One part of a batch too large for one log entry (runtime/writes/split-write.ts),
     * proposed in order: part 0 creates the task, the later ones carry its
     * uid and add their documents to it. The task finishes once every part
     * was applied and every node answered for each; a later part carrying
     * `rejected` abandons the batch and fails the task.
     */
    part?: DocumentsWritePart;
  };

export interface DocumentsWritePart {
  index: number;
  count: number;
  /** The task part 0 created; absent on part 0. */
  taskUid?: number;
}

export type DocumentsDeleteIdsCommand = V &
  TaskFields & {
    kind: 'documents.deleteIds';
    indexUid: string;
    shards: number;
    /** Shard → canonical string ids of that shard. */
    byShard: Record<number, string[]>;
    providedIds: number;
  };

export type DocumentsDeleteFilterCommand = V &
  TaskFields & {
    kind: 'documents.deleteFilter';
    indexUid: string;
    /** Meilisearch filter: a string or nested arrays of strings. Broadcast to every shard. */
    filter: unknown;
  };

export type DocumentsClearCommand = V & TaskFields & { kind: 'documents.clear'; indexUid: string };

export type SettingsUpdateCommand = V &
  TaskFields & {
    kind: 'settings.update';
    indexUid: string;
    /** Meilisearch's settings object, partial; `null` resets a key. */
    settings: Record<string, unknown>;
    /** False for resets (DELETE routes): Meilisearch never creates an index for them. */
    allowIndexCreation: boolean;
  };

export type TaskProgressCommand = V & {
  kind: 'task.progress';
  taskUid: number;
  status: TaskProgressStatus;
  error?: ErrorBody;
  /** Counters learned from the nodes, merged into the task's details (e.g. indexedDocuments). */
  details?: Record<string, unknown>;
  nowMs: number;
};

/**
 * DELETE /tasks: removes the finished tasks matching `filter` (a taskDeletion
 * task, finished at apply — there is nothing for the nodes to do).
 */
export type TasksDeleteCommand = V &
  TaskFields & {
    kind: 'tasks.delete';
    filter: TaskFilter;
    /** The request's query string as Meilisearch echoes it in details, e.g. `?uids=0,1`. */
    originalFilter: string;
  };

export interface DispatcherCursor {
  nodeId: string;
  /** The last log index the node's dispatcher has had acknowledged by the node. */
  index: number;
}

/** What a node's task for one entry ended with (ARCHITECTURE §3 step 6). */
export interface NodeOutcome {
  nodeId: string;
  logIndex: number;
  status: 'succeeded' | 'failed';
  /** The node's Meilisearch error; present exactly when failed. */
  error?: ErrorBody;
  /** Counters the node reported (indexedDocuments, deletedDocuments), summed over its requests. */
  counts?: Record<string, number>;
}

/**
 * Cursors are committed in batches: one entry carries the cursors of many
 * nodes, and the outcomes of the entries those cursors passed (a cursor never
 * passes an entry whose outcome it does not carry or already carried).
 * `nowMs` is the proposer's clock for tasks the outcomes finish.
 */
export type DispatcherCursorCommand = V & {
  kind: 'dispatcher.cursor';
  cursors: DispatcherCursor[];
  outcomes?: NodeOutcome[];
  nowMs?: number;
};

/**
 * The log was compacted past these nodes' cursors (retention bounds): they
 * cannot be replayed and need a rebuild by shard copy. Their cursors jump to
 * `compactedThrough`, and the entries they missed count as failed for them.
 */
export type DispatcherBehindCommand = V & { kind: 'dispatcher.behind'; nodeIds: string[]; compactedThrough: number; nowMs: number };

export type NodeAddCommand = V & { kind: 'node.add'; id: string; url: string; group: string; nowMs: number };
export type NodeStateCommand = V & { kind: 'node.state'; id: string; state: NodeState; nowMs: number };
export type GroupAddCommand = V & { kind: 'group.add'; id: string; nowMs: number };
export type GroupRemoveCommand = V & { kind: 'group.remove'; id: string; nowMs: number };
/**
 * Starts a topology job (ARCHITECTURE §6): `join` adds node `nodeId` (`url`,
 * `group`) as joining, `drain` makes it draining, `group` adds replica group
 * `group` with `nodes` (all joining: synced from another group, read only
 * once complete), `rebalance` only plans. At
 * apply, the migrations the change needs are planned from the placement at
 * that log position (runtime/topology/plan.ts), all starting at this index.
 */
export type TopologyJobCommand = V & {
  kind: 'topology.job';
  job: 'join' | 'drain' | 'group' | 'rebalance';
  nodeId?: string;
  url?: string;
  group?: string;
  nodes?: { id: string; url: string }[];
  /** Why the job started when not by an operator (`restore-rf`: the leader's RF restorer), kept as the job's reason. */
  reason?: string;
  nowMs: number;
};

/** The migration actor's committed progress: a next phase (or the same phase with counters), or `failed` with an error. */
export type MigrationPhaseCommand = V & {
  kind: 'migration.phase';
  id: string;
  phase: 'hold' | 'copy' | 'replay' | 'verify' | 'cutover' | 'cleanup' | 'done' | 'failed';
  /** With copy → replay: R, the point the last copy pass holds (MigrationRecord.copiedThrough). */
  copiedThrough?: number;
  copied?: number;
  total?: number;
  error?: string;
  nowMs: number;
};

/** Every migration of the job is verified: commit the node states (joining → active, draining → removed). */
export type JobCutoverCommand = V & { kind: 'job.cutover'; jobId: string; nowMs: number };

export type PeerAddCommand = V & { kind: 'peer.add'; id: string; address: string };
export type PeerRemoveCommand = V & { kind: 'peer.remove'; id: string };

export type KeyCreateCommand = V & {
  kind: 'key.create';
  /** UUID v4 chosen by the proposer (randomness never happens at apply). */
  uid: string;
  name: string | null;
  description: string | null;
  actions: string[];
  indexes: string[];
  expiresAtMs: number | null;
  nowMs: number;
};
export type KeyUpdateCommand = V & {
  kind: 'key.update';
  uid: string;
  name?: string | null;
  description?: string | null;
  nowMs: number;
};
export type KeyDeleteCommand = V & { kind: 'key.delete'; uid: string };

/** Cluster-wide knobs that every peer must agree on, so they live in the log. */
export type ConfigSetCommand = V & {
  kind: 'config.set';
  defaultShards?: number;
  rf?: number;
  writeAckMode?: WriteAckMode;
  taskRetentionMax?: number;
};

export type ClusterCommand =
  | IndexCreateCommand
  | IndexUpdateCommand
  | IndexDeleteCommand
  | IndexSwapCommand
  | DocumentsWriteCommand
  | DocumentsDeleteIdsCommand
  | DocumentsDeleteFilterCommand
  | DocumentsClearCommand
  | SettingsUpdateCommand
  | TaskProgressCommand
  | TasksDeleteCommand
  | DispatcherCursorCommand
  | DispatcherBehindCommand
  | NodeAddCommand
  | NodeStateCommand
  | GroupAddCommand
  | GroupRemoveCommand
  | PeerAddCommand
  | PeerRemoveCommand
  | KeyCreateCommand
  | KeyUpdateCommand
  | KeyDeleteCommand
  | ConfigSetCommand
  | TopologyJobCommand
  | MigrationPhaseCommand
  | JobCutoverCommand;

export type CommandKind = ClusterCommand['kind'];
export type CommandOf<K extends CommandKind> = Extract<ClusterCommand, { kind: K }>;

/** Commands that become a Meilisearch task when applied. */
export type TaskCommand =
  | IndexCreateCommand
  | IndexUpdateCommand
  | IndexDeleteCommand
  | IndexSwapCommand
  | DocumentsWriteCommand
  | DocumentsDeleteIdsCommand
  | DocumentsDeleteFilterCommand
  | DocumentsClearCommand
  | SettingsUpdateCommand
  | TasksDeleteCommand;
