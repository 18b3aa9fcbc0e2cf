// Task-queue tasks. A cancelation cancels the tasks it matched when it was
// enqueued that are still enqueued (processing is atomic here, so a task is
// never half-run); a deletion removes the matched tasks that are finished,
// and the batches left without tasks.
import type { ApplyContext } from './apply-context.ts';
import { zeroedDetails } from './view.ts';
import type { TaskRecord } from './types.ts';

export function applyCancelation(ctx: ApplyContext, selfUid: number, matched: number[], details: Record<string, unknown>): Record<string, unknown> {
  let canceled = 0;
  for (const uid of matched) {
    const task = ctx.state.tasks.get(uid);
    if (!task || task.status !== 'enqueued') continue;
    const next: TaskRecord = {
      ...task, status: 'canceled', canceledBy: selfUid, finishedAtMs: ctx.nowMs, details: zeroedDetails(task.details),
    };
    ctx.txn.putTask(next);
    ctx.txn.delPayload(uid);
    ctx.txn.effect(() => ctx.state.tasks.set(uid, next));
    canceled++;
  }
  return { ...details, canceledTasks: canceled };
}

const FINISHED = new Set(['succeeded', 'failed', 'canceled']);

export function applyTaskDeletion(ctx: ApplyContext, matched: number[], details: Record<string, unknown>): Record<string, unknown> {
  const deleted: number[] = [];
  for (const uid of matched) {
    const task = ctx.state.tasks.get(uid);
    if (!task || !FINISHED.has(task.status)) continue;
    ctx.txn.delTask(uid);
    ctx.txn.delPayload(uid);
    deleted.push(uid);
  }
  const gone = new Set(deleted);
  for (const batch of ctx.state.batches.values()) {
    if (batch.taskUids.every((uid) => gone.has(uid))) {
      ctx.txn.delBatch(batch.uid);
      ctx.txn.effect(() => ctx.state.batches.delete(batch.uid));
    }
  }
  ctx.txn.effect(() => {
    for (const uid of deleted) ctx.state.tasks.delete(uid);
  });
  return { ...details, deletedTasks: deleted.length };
}
