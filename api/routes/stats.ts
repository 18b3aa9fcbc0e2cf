// GET /indexes/{uid}/stats and GET /stats (API.md §1.1, §1.6) over one
// complete copy of each index (runtime/search/index-stats.ts). GET /stats
// lists only the indexes the caller may see, as Meilisearch's list routes do.
//
// `sizeFormat=human` renders the byte counts as Meilisearch does (binary
// units); `showInternalDatabaseSizes` is accepted and validated, and changes
// nothing: Miroir reports no per-database breakdown of its nodes.
import type { FastifyInstance } from 'fastify';
import { MeiliError } from '../errors/registry.ts';
import { formatBytes } from '../plugins/errors.ts';
import { globalStats, indexStats } from '../../runtime/search/index-stats.ts';
import type { IndexStats } from '../../runtime/search/index-stats.ts';
import type { RouteOptions } from '../plugins/request-context.ts';
import { indexUidParam, queryOf } from './common.ts';
import { checkQueryKeys, queryBool, queryString, type Query } from '../protocol/deserr.ts';
import { markDegraded, markDegradedByIndex, readOptions } from './read-support.ts';

type SizeFormat = (bytes: number) => number | string;

function sizeFormatOf(query: Query): SizeFormat {
  checkQueryKeys(query, ['showInternalDatabaseSizes', 'sizeFormat']);
  queryBool(query, 'showInternalDatabaseSizes', 'invalid_stats_show_internal_database_sizes');
  const format = queryString(query, 'sizeFormat', 'invalid_stats_size_format');
  if (format === undefined || format === 'raw') return (bytes) => bytes;
  if (format === 'human') return formatBytes;
  throw new MeiliError('invalid_stats_size_format', `Unknown value \`${format}\` for parameter \`sizeFormat\`: expected one of \`raw\`, \`human\``);
}

function sized(stats: IndexStats, size: SizeFormat): Record<string, unknown> {
  return { ...stats, rawDocumentDbSize: size(stats.rawDocumentDbSize), avgDocumentSize: size(stats.avgDocumentSize) };
}

export async function statsRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  app.get('/indexes/:indexUid/stats', { config: { action: 'stats.get', index: 'param' } }, async (request, reply) => {
    const size = sizeFormatOf(queryOf(request));
    const uid = indexUidParam(request);
    const { response, degradedShards } = await indexStats(services, uid, readOptions(request, reply));
    markDegraded(reply, degradedShards);
    return sized(response, size);
  });

  app.get('/stats', { config: { action: 'stats.get', index: 'none' } }, async (request, reply) => {
    const size = sizeFormatOf(queryOf(request));
    const caller = request.caller;
    const { response, degradedShards } = await globalStats(services, {
      ...readOptions(request, reply),
      visible: (uid) => caller.mayAccess(uid),
    });
    markDegradedByIndex(reply, degradedShards);
    const indexes: Record<string, unknown> = {};
    for (const [uid, stats] of Object.entries(response.indexes)) indexes[uid] = sized(stats, size);
    return {
      databaseSize: size(response.databaseSize),
      usedDatabaseSize: size(response.usedDatabaseSize),
      lastUpdate: response.lastUpdate,
      indexes,
    };
  });
}
