// What the edge's read routes (search, multi-search, documents reads, stats)
// share on top of runtime/search: the per-request read options and the
// `X-Miroir-Degraded` header of a partial answer.
//
// - The client signal aborts the scatter when the client goes away before the
//   answer is written (the reply's socket closes unfinished); the deadline of
//   the read itself comes from config `search.searchTimeoutMs`
//   (runtime/search/read-context.ts).
// - `X-Miroir-Degraded: shards=3,5` lists the shards no node answered for
//   under read policy `partial` (ARCHITECTURE §4.5). Answers that span several
//   indexes (multi-search, GET /stats) name each index:
//   `shards=books:3,5;movies:1`, indexes in uid order.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ReadOptions } from '../../runtime/search/read-context.ts';

export const DEGRADED_HEADER = 'x-miroir-degraded';

/** Read options of one request: aborted when the client disconnects first. */
export function readOptions(request: FastifyRequest, reply: FastifyReply): ReadOptions {
  const controller = new AbortController();
  const onClose = (): void => {
    if (!reply.raw.writableFinished) controller.abort(new Error('the client closed the connection'));
  };
  reply.raw.once('close', onClose);
  request.raw.once('error', onClose);
  return { signal: controller.signal };
}

/** Marks a one-index answer as partial when shards are missing. */
export function markDegraded(reply: FastifyReply, shards: readonly number[]): void {
  if (shards.length > 0) reply.header(DEGRADED_HEADER, `shards=${shards.join(',')}`);
}

/** Marks an answer over several indexes as partial, naming each index. */
export function markDegradedByIndex(reply: FastifyReply, byIndex: Readonly<Record<string, readonly number[]>>): void {
  const parts = Object.keys(byIndex)
    .filter((uid) => byIndex[uid]!.length > 0)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((uid) => `${uid}:${byIndex[uid]!.join(',')}`);
  if (parts.length > 0) reply.header(DEGRADED_HEADER, `shards=${parts.join(';')}`);
}
