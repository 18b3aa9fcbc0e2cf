// Stats routes (API.md §1.6, §1.1): per index and global. Document sizes are
// the JSON byte length of the stored documents; the database size is the
// size of the LevelDB directory on disk.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { MeiliError } from '../../../api/errors/registry.ts';
import { formatRfc3339 } from '../../../api/protocol/time-format.ts';
import type { EngineContext, IndexEntry, RouteOptions } from '../context.ts';
import { formatBytesBinary } from '../../../api/protocol/body.ts';
import { checkQueryKeys, queryBool, queryString, type Query } from '../../../api/protocol/deserr.ts';
import { indexUidParam, queryOf, visible } from '../route-helpers.ts';

type SizeFormat = (bytes: number) => number | string;

function sizeFormat(query: Query): SizeFormat {
  checkQueryKeys(query, ['showInternalDatabaseSizes', 'sizeFormat']);
  queryBool(query, 'showInternalDatabaseSizes', 'invalid_stats_show_internal_database_sizes');
  const format = queryString(query, 'sizeFormat', 'invalid_stats_size_format');
  if (format === undefined || format === 'raw') return (bytes) => bytes;
  if (format === 'human') return formatBytesBinary;
  throw new MeiliError('invalid_stats_size_format', `Unknown value \`${format}\` for parameter \`sizeFormat\`: expected one of \`raw\`, \`human\``);
}

function rawSize(entry: IndexEntry): number {
  let bytes = 0;
  const count = entry.index.count();
  for (let offset = 0; offset < count; offset += 1000) {
    const page = entry.index.list({ offset, limit: 1000, filter: null, fields: null, ids: null }, entry.uid);
    for (const doc of page.results) bytes += Buffer.byteLength(JSON.stringify(doc));
  }
  return bytes;
}

function indexStats(ctx: EngineContext, entry: IndexEntry, size: SizeFormat): Record<string, unknown> {
  const count = entry.index.count();
  const raw = rawSize(entry);
  return {
    numberOfDocuments: count,
    rawDocumentDbSize: size(raw),
    avgDocumentSize: size(count === 0 ? 0 : Math.floor(raw / count)),
    isIndexing: ctx.tasks.isIndexing(entry.uid),
    numberOfEmbeddings: 0,
    numberOfEmbeddedDocuments: 0,
    fieldDistribution: entry.index.fieldDistribution(),
  };
}

function directorySize(path: string): number {
  let total = 0;
  for (const name of readdirSync(path)) {
    const stat = statSync(join(path, name));
    total += stat.isDirectory() ? directorySize(join(path, name)) : stat.size;
  }
  return total;
}

export async function statsRoutes(app: FastifyInstance, { ctx, dbPath }: RouteOptions & { dbPath: string }): Promise<void> {
  app.get('/indexes/:indexUid/stats', { config: { action: 'stats.get', index: 'param' } }, async (request) => {
    const uid = indexUidParam(request);
    const size = sizeFormat(queryOf(request));
    return indexStats(ctx, ctx.indexes.require(uid), size);
  });

  app.get('/stats', { config: { action: 'stats.get', index: 'none' } }, async (request) => {
    const size = sizeFormat(queryOf(request));
    const databaseSize = directorySize(dbPath);
    const indexes: Record<string, unknown> = {};
    for (const entry of ctx.indexes.list()) {
      if (visible(request, entry.uid)) indexes[entry.uid] = indexStats(ctx, entry, size);
    }
    const last = ctx.tasks.lastUpdateMs();
    return {
      databaseSize: size(databaseSize),
      usedDatabaseSize: size(databaseSize),
      lastUpdate: last === null ? null : formatRfc3339(last),
      indexes,
    };
  });
}
