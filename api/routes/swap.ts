// POST /swap-indexes (API.md §1.1): a list of `{indexes: [a, b], rename}`.
// Shape errors are synchronous; a missing index, or an existing target of a
// rename, fails inside the task (runtime/cluster/apply-indexes.ts).
import type { FastifyInstance } from 'fastify';
import { MeiliError } from '../errors/registry.ts';
import type { IndexSwap } from '../../runtime/cluster/index.ts';
import { checkIndexUid } from '../protocol/index-uid.ts';
import type { RouteOptions } from '../plugins/request-context.ts';
import { acknowledged, proposeTask, writeQuery } from './common.ts';
import { expectObject, invalidType } from '../protocol/deserr.ts';

function swapUids(raw: unknown, path: string): string[] {
  if (!Array.isArray(raw)) throw invalidType('invalid_swap_indexes', `${path}.indexes`, ['array'], raw);
  return raw.map((uid: unknown, j) => {
    const at = `${path}.indexes[${j}]`;
    if (typeof uid !== 'string') throw invalidType('invalid_swap_indexes', at, ['string'], uid);
    return checkIndexUid(uid, at);
  });
}

function parseSwaps(raw: unknown): IndexSwap[] {
  if (!Array.isArray(raw)) throw invalidType('bad_request', '', ['array'], raw);
  const seen = new Set<string>();
  return raw.map((item: unknown, i) => {
    const path = `[${i}]`;
    const obj = expectObject(item, ['indexes', 'rename'], path);
    if (obj['indexes'] === undefined) throw new MeiliError('missing_swap_indexes', `Missing field \`indexes\` inside \`${path}\``);
    const uids = swapUids(obj['indexes'], path);
    if (uids.length !== 2) {
      throw new MeiliError(
        'invalid_swap_indexes',
        `Two indexes must be given for each swap. The list \`[${uids.map((u) => `"${u}"`).join(', ')}]\` contains ${uids.length} indexes.`,
      );
    }
    const rename = obj['rename'] ?? false;
    if (typeof rename !== 'boolean') throw invalidType('invalid_swap_rename', `${path}.rename`, ['boolean'], rename);
    for (const uid of uids) {
      if (seen.has(uid)) {
        throw new MeiliError(
          'invalid_swap_duplicate_index_found',
          `Indexes must be declared only once during a swap. \`${uid}\` was specified several times.`,
        );
      }
      seen.add(uid);
    }
    return { indexes: [uids[0] as string, uids[1] as string], rename };
  });
}

export async function swapRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  app.post('/swap-indexes', { config: { action: 'indexes.swap', index: 'none' } }, async (request, reply) => {
    const { meta } = writeQuery(request);
    const swaps = parseSwaps(request.body);
    for (const swap of swaps) for (const uid of swap.indexes) request.caller.checkIndex(uid);
    return acknowledged(services, reply, await proposeTask(services, { v: 1, kind: 'index.swap', swaps, nowMs: services.clock.nowMs(), ...meta }));
  });
}
