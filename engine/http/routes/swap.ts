// POST /swap-indexes (API.md §1.1): a list of `{indexes: [a, b], rename}`.
// Shape errors are synchronous; missing or existing indexes fail the task.
import type { FastifyInstance } from 'fastify';
import { MeiliError } from '../../../api/errors/registry.ts';
import { checkIndexUid } from '../../../api/protocol/index-uid.ts';
import type { IndexSwap } from '../../tasks/types.ts';
import type { RouteOptions } from '../context.ts';
import { expectObject, invalidType } from '../../../api/protocol/deserr.ts';
import { accepted, writeQuery } from '../route-helpers.ts';

function parseSwaps(raw: unknown): IndexSwap[] {
  if (!Array.isArray(raw)) throw invalidType('bad_request', '', ['array'], raw);
  const seen = new Set<string>();
  return raw.map((item, i) => {
    const path = `[${i}]`;
    const obj = expectObject(item, ['indexes', 'rename'], path);
    if (obj.indexes === undefined) throw new MeiliError('missing_swap_indexes', `Missing field \`indexes\` inside \`${path}\``);
    if (!Array.isArray(obj.indexes)) throw invalidType('invalid_swap_indexes', `${path}.indexes`, ['array'], obj.indexes);
    const uids = obj.indexes.map((uid, j) => {
      if (typeof uid !== 'string') throw invalidType('invalid_swap_indexes', `${path}.indexes[${j}]`, ['string'], uid);
      return checkIndexUid(uid, `${path}.indexes[${j}]`);
    });
    if (uids.length !== 2) {
      throw new MeiliError('invalid_swap_indexes', `Two indexes must be given for each swap. The list \`[${uids.map((u) => `"${u}"`).join(', ')}]\` contains ${uids.length} indexes.`);
    }
    const rename = obj.rename ?? false;
    if (typeof rename !== 'boolean') throw invalidType('invalid_swap_rename', `${path}.rename`, ['boolean'], rename);
    for (const uid of uids) {
      if (seen.has(uid)) {
        throw new MeiliError('invalid_swap_duplicate_index_found', `Indexes must be declared only once during a swap. \`${uid}\` was specified several times.`);
      }
      seen.add(uid);
    }
    return { indexes: [uids[0] as string, uids[1] as string], rename };
  });
}

export async function swapRoutes(app: FastifyInstance, { ctx }: RouteOptions): Promise<void> {
  app.post('/swap-indexes', { config: { action: 'indexes.swap', index: 'none' } }, async (request, reply) => {
    const { meta } = writeQuery(request);
    const swaps = parseSwaps(request.body);
    return accepted(reply, await ctx.tasks.enqueue({ indexUid: null, op: { op: 'indexSwap', swaps }, ...meta }));
  });
}
