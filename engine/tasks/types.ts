// The shapes of the task queue (API.md §2): what a route asks the queue to do
// (TaskOp), what the queue stores (TaskRecord) and what a 202 answers
// (SummarizedTask). Field order of the public views follows Meilisearch's
// structs; the views themselves are built in engine/tasks/view.ts.
import type { Document } from '../core/contracts.ts';

// Task statuses and kinds are protocol facts (API.md §2.2), shared with the cluster.
export { TASK_STATUSES, TASK_TYPES } from '../../api/protocol/task-query.ts';
export type { TaskStatus, TaskType } from '../../api/protocol/task-query.ts';
import type { TaskFields, TaskStatus, TaskType } from '../../api/protocol/task-query.ts';

/** A settings update: a key set to null resets that setting to its default. */
export type { SettingsPatch } from '../../api/protocol/settings/settings.ts';
import type { SettingsPatch } from '../../api/protocol/settings/settings.ts';

/** The filters shared by GET /tasks, POST /tasks/cancel and DELETE /tasks. */
export interface TaskFilter {
  uids: number[] | null;
  batchUids: number[] | null;
  indexUids: string[] | null;
  statuses: TaskStatus[] | null;
  types: TaskType[] | null;
  canceledBy: number[] | null;
  beforeEnqueuedAtMs: number | null;
  afterEnqueuedAtMs: number | null;
  beforeStartedAtMs: number | null;
  afterStartedAtMs: number | null;
  beforeFinishedAtMs: number | null;
  afterFinishedAtMs: number | null;
}

export interface IndexSwap {
  indexes: [string, string];
  rename: boolean;
}

/** What a task does; stored with the task, so a restart can run it again. */
export type TaskOp =
  | { op: 'documentAddition'; method: 'replace' | 'update'; primaryKey: string | null; skipCreation: boolean; received: number; allowIndexCreation: boolean }
  | { op: 'documentDeletionByIds'; ids: string[] }
  | { op: 'documentDeletionByFilter'; filter: unknown }
  | { op: 'documentClear' }
  | { op: 'settingsUpdate'; patch: SettingsPatch; isDeletion: boolean; allowIndexCreation: boolean }
  | { op: 'indexCreation'; primaryKey: string | null }
  | { op: 'indexUpdate'; primaryKey: string | null; newUid: string | null }
  | { op: 'indexDeletion' }
  | { op: 'indexSwap'; swaps: IndexSwap[] }
  | { op: 'taskCancelation'; filter: TaskFilter; originalFilter: string; matchedUids: number[] }
  | { op: 'taskDeletion'; filter: TaskFilter; originalFilter: string; matchedUids: number[] };

/** What a route hands to TaskQueue.enqueue. */
export interface TaskRequest {
  indexUid: string | null;
  op: TaskOp;
  /** The documents of a documentAddition; stored with the task before the 202. */
  documents?: Document[];
  customMetadata?: string;
}

/** A task as stored in LevelDB: the task object's fields and the operation it runs. */
export interface TaskRecord extends TaskFields {
  op: TaskOp;
}

/** The body of every 202 (API.md §2.1). */
export interface SummarizedTask {
  taskUid: number;
  indexUid: string | null;
  status: TaskStatus;
  type: TaskType;
  enqueuedAt: string;
  customMetadata?: string;
}

/** A batch as stored: the tasks it ran and when. */
export interface BatchRecord {
  uid: number;
  taskUids: number[];
  startedAtMs: number;
  finishedAtMs: number | null;
  batchStrategy: string;
}
