// What applying one command tells the peer that proposed it, and the helpers
// handlers share to build those answers and Meilisearch's error bodies.

import { errorBody, type ErrorBody } from '../../api/errors/registry.ts';
import type { TaskRecord } from './state.ts';
import { summarize, type SummarizedTask } from './task-view.ts';

export type ApplyResult =
  /**
   * A task command became a task. `dispatch` is false when apply already
   * failed the task (e.g. index_already_exists): dispatchers skip that entry
   * (`isDispatchable` answers the same from the state, after a leader change too).
   */
  | { kind: 'task'; task: SummarizedTask; dispatch: boolean }
  /** An admin or internal command took effect. */
  | { kind: 'applied' }
  /** An admin command that lost a race with its own validation; the proposer answers with `error`. */
  | { kind: 'rejected'; error: ErrorBody }
  /** A command with nothing left to do (stale progress, repeated state): replay-safe no-op. */
  | { kind: 'ignored'; reason: string };

export const APPLIED: ApplyResult = Object.freeze({ kind: 'applied' });

export function taskResult(task: TaskRecord): ApplyResult {
  return { kind: 'task', task: summarize(task), dispatch: task.status === 'enqueued' };
}

export function rejected(code: string, message: string): ApplyResult {
  return { kind: 'rejected', error: errorBody(code, message) };
}

export function ignored(reason: string): ApplyResult {
  return { kind: 'ignored', reason };
}

export function indexNotFound(uid: string): ErrorBody {
  return errorBody('index_not_found', `Index \`${uid}\` not found.`);
}

export function indexAlreadyExists(uid: string): ErrorBody {
  return errorBody('index_already_exists', `Index \`${uid}\` already exists.`);
}

export function primaryKeyAlreadyExists(primaryKey: string): ErrorBody {
  return errorBody('index_primary_key_already_exists', `Index already has a primary key: \`${primaryKey}\`.`);
}
