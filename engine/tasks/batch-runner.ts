// Runs one batch of tasks against the state, staging everything in the
// batch's transaction, and returns each task's final record (status,
// details, error). A MeiliError fails its task only; anything else is a bug
// or an I/O failure and is reported on the task as `internal`.
import { MeiliError } from '../../api/errors/registry.ts';
import type { Document } from '../core/contracts.ts';
import { applyAdditions, applyClear, applyDeletionByFilter, applyDeletionByIds, type AdditionItem } from './apply-documents.ts';
import type { ApplyContext } from './apply-context.ts';
import { applyIndexCreation, applyIndexDeletion, applyIndexSwap, applyIndexUpdate, applySettingsUpdate } from './apply-indexes.ts';
import { applyCancelation, applyTaskDeletion } from './apply-tasks.ts';
import { zeroedDetails } from './view.ts';
import type { TaskRecord } from './types.ts';

export interface PendingTask {
  task: TaskRecord;
  documents: Document[] | null;
}

function succeeded(task: TaskRecord, details: Record<string, unknown>): TaskRecord {
  return { ...task, status: 'succeeded', details, error: null };
}

function failed(task: TaskRecord, error: unknown): TaskRecord {
  const meili = error instanceof MeiliError ? error : new MeiliError('internal', error instanceof Error ? error.message : String(error));
  if (!(error instanceof MeiliError)) console.error(`miroir engine: task ${task.uid} failed unexpectedly:`, error);
  return { ...task, status: 'failed', details: zeroedDetails(task.details), error: meili.toBody() };
}

function applyOne(ctx: ApplyContext, task: TaskRecord): Record<string, unknown> {
  const uid = task.indexUid as string;
  const op = task.op;
  switch (op.op) {
    case 'documentAddition': throw new Error('additions run through applyAdditions');
    case 'documentDeletionByIds': return applyDeletionByIds(ctx, uid, op.ids);
    case 'documentDeletionByFilter': return applyDeletionByFilter(ctx, uid, op.filter);
    case 'documentClear': return applyClear(ctx, uid);
    case 'settingsUpdate': return applySettingsUpdate(ctx, uid, op.patch, op.isDeletion, op.allowIndexCreation);
    case 'indexCreation': return applyIndexCreation(ctx, uid, op.primaryKey);
    case 'indexUpdate': return applyIndexUpdate(ctx, uid, op.primaryKey, op.newUid);
    case 'indexDeletion': return applyIndexDeletion(ctx, uid);
    case 'indexSwap': return applyIndexSwap(ctx, task.uid, op.swaps);
    case 'taskCancelation': return applyCancelation(ctx, task.uid, op.matchedUids, task.details ?? {});
    case 'taskDeletion': return applyTaskDeletion(ctx, op.matchedUids, task.details ?? {});
  }
}

export function runBatch(ctx: ApplyContext, items: PendingTask[]): TaskRecord[] {
  const head = items[0];
  if (!head) return [];
  if (head.task.op.op === 'documentAddition') {
    const additions: AdditionItem[] = items.map(({ task, documents }) => {
      if (task.op.op !== 'documentAddition' || documents === null) throw new Error(`task ${task.uid} is not an addition`);
      return { op: task.op, documents };
    });
    const results = applyAdditions(ctx, head.task.indexUid as string, additions);
    return items.map(({ task }, i) => {
      const result = results[i];
      if (!result) throw new Error(`task ${task.uid}: no result`);
      return result.ok ? succeeded(task, result.details) : failed(task, result.error);
    });
  }
  // Non-addition batches hold one task, which stages nothing before it can fail.
  return items.map(({ task }) => {
    try {
      return succeeded(task, applyOne(ctx, task));
    } catch (error) {
      return failed(task, error);
    }
  });
}
