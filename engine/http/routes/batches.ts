// Batch routes (API.md §1.5): the batches the queue ran, with the task
// filters applied to the tasks they hold (`uids` names batch uids here).
import type { FastifyInstance } from 'fastify';
import { MeiliError } from '../../../api/errors/registry.ts';
import { parseTaskListParams } from '../../../api/protocol/task-query.ts';
import { engineFilter, matchesFilter } from '../../tasks/filter.ts';
import type { BatchRecord, TaskRecord } from '../../tasks/types.ts';
import { batchView } from '../../tasks/view.ts';
import type { EngineContext, RouteOptions } from '../context.ts';
import { queryOf } from '../route-helpers.ts';
import { paginate } from './tasks.ts';

function tasksOf(ctx: EngineContext, batch: BatchRecord): TaskRecord[] {
  return batch.taskUids.map((uid) => ctx.tasks.task(uid)).filter((t): t is TaskRecord => t !== undefined);
}

export async function batchRoutes(app: FastifyInstance, { ctx }: RouteOptions): Promise<void> {
  app.get('/batches', { config: { action: 'tasks.get', index: 'none' } }, async (request) => {
    const query = queryOf(request);
    const filter = engineFilter(parseTaskListParams(query));
    const batchUids = filter.uids;
    const taskFilter = { ...filter, uids: null, batchUids: filter.batchUids };
    const matching = ctx.tasks.allBatches().filter((b) =>
      (batchUids === null || batchUids.includes(b.uid)) && tasksOf(ctx, b).some((t) => matchesFilter(t, taskFilter)));
    const { page, total, limit, from, next } = paginate(matching, (b) => b.uid, query,
      { limit: 'invalid_task_limit', from: 'invalid_task_from', reverse: 'invalid_task_reverse' });
    return { results: page.map((b) => batchView(b, tasksOf(ctx, b))), total, limit, from, next };
  });

  app.get('/batches/:batchUid', { config: { action: 'tasks.get', index: 'none' } }, async (request) => {
    const { batchUid } = request.params as { batchUid: string };
    if (!/^\d+$/.test(batchUid)) {
      throw new MeiliError('invalid_batch_uids', `Batch uid \`${batchUid}\` is invalid. It should only contain numeric characters.`);
    }
    const batch = ctx.tasks.allBatches().find((b) => b.uid === Number(batchUid));
    if (!batch) throw new MeiliError('batch_not_found', `Batch \`${batchUid}\` not found.`);
    return batchView(batch, tasksOf(ctx, batch));
  });
}
