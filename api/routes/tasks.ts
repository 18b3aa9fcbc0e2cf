// Task routes (API.md §1.5) over the replicated task table: list with
// Meilisearch's filters and from/next/limit/reverse pagination (also as the
// admin route GET /_miroir/tasks, every task, behind the admin key), get one
// (syncing the replica once before a 404, since another peer may just have
// created it), and delete (a `tasks.delete` command answered 200 with the
// summarized `taskDeletion` task).
//
// Cancelation is answered honestly: a Miroir write is dispatched to the nodes
// as soon as it commits, and the cluster has no command that takes a
// committed write back, so `POST /tasks/cancel` validates its filters exactly
// as Meilisearch does and then refuses with `feature_not_enabled`; it never
// enqueues a task that would pretend to cancel anything.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MeiliError } from '../errors/registry.ts';
import { getTask, listTasks, type TaskFilter } from '../../runtime/cluster/index.ts';
import type { RouteOptions } from '../plugins/request-context.ts';
import { parseTaskFilterParams, parseTaskListParams } from '../protocol/task-query.ts';
import { proposeTask, queryOf, taskVisible } from './common.ts';

/** The request's query string as Meilisearch echoes it in `details.originalFilter`. */
function originalFilter(request: FastifyRequest): string {
  const at = request.url.indexOf('?');
  return at < 0 ? '' : request.url.slice(at);
}

function parseTaskUid(raw: string): number {
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new MeiliError('invalid_task_uids', `Task uid \`${raw}\` is invalid. It should only contain numeric characters.`);
  }
  return Number(raw);
}

export async function taskRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  app.get('/tasks', { config: { action: 'tasks.get', index: 'none' } }, async (request) => {
    const query = parseTaskListParams(queryOf(request));
    return listTasks(services.state(), query, (task) => taskVisible(request, task));
  });

  // The operator's view (`miroir ctl tasks`): the same list and filters, every task, behind the admin key.
  app.get('/_miroir/tasks', { config: { action: null, index: 'none', admin: true } }, async (request) => {
    const query = parseTaskListParams(queryOf(request));
    return listTasks(services.state(), query, () => true);
  });

  app.get('/tasks/:taskUid', { config: { action: 'tasks.get', index: 'none' } }, async (request) => {
    const { taskUid } = request.params as { taskUid: string };
    const uid = parseTaskUid(taskUid);
    const find = () => {
      const record = services.state().tasks.get(uid);
      return record !== undefined && taskVisible(request, record) ? getTask(services.state(), uid) : null;
    };
    let view = find();
    if (view === null) {
      await services.syncRead();
      view = find();
    }
    if (view === null) throw new MeiliError('task_not_found', `Task \`${uid}\` not found.`);
    return view;
  });

  app.delete('/tasks', { config: { action: 'tasks.delete', index: 'none' } }, async (request, reply) => {
    const filter: TaskFilter = { ...parseTaskFilterParams(queryOf(request), 'delete') };
    // An index-scoped key deletes only tasks of the indexes it may see, as in Meilisearch.
    if (request.caller.kind === 'key' || request.caller.kind === 'tenant') {
      const known = new Set<string>();
      for (const task of services.state().tasks.values()) if (task.indexUid !== null) known.add(task.indexUid);
      filter.indexUids = (filter.indexUids ?? [...known].sort()).filter((uid) => request.caller.mayAccess(uid));
    }
    const task = await proposeTask(services, {
      v: 1,
      kind: 'tasks.delete',
      filter,
      originalFilter: originalFilter(request),
      nowMs: services.clock.nowMs(),
    });
    return reply.code(200).send(task);
  });

  app.post('/tasks/cancel', { config: { action: 'tasks.cancel', index: 'none', body: 'none' } }, async (request) => {
    parseTaskFilterParams(queryOf(request), 'cancel');
    throw new MeiliError(
      'feature_not_enabled',
      'Task cancelation is not available in a Miroir cluster: a write is sent to the nodes as soon as it is committed and cannot be taken back. Nothing was canceled and no task was enqueued.',
    );
  });
}
