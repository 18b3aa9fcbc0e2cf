// An engine node: the data directory opened (LevelDB, state replayed, queue
// resumed), the HTTP app built and listening. `miroir node` and the test
// suites start nodes through `startNode`; `close()` stops taking requests,
// lets the batch in flight finish its synced write, and closes LevelDB.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { realClock } from '../runtime/env/real.ts';
import { parseFilterOrThrow } from '../api/protocol/filter/parse-or-throw.ts';
import { createFacetStore } from './facets/facet-store.ts';
import { buildEngineApp } from './http/app.ts';
import { createSearchIndex } from './search/search-index.ts';
import { openEngine } from './store/open.ts';

/** Meilisearch's default `--http-payload-size-limit`: 100 MB. */
export const DEFAULT_PAYLOAD_LIMIT_BYTES = 100_000_000;

export interface NodeOptions {
  /** `host:port`; port 0 picks a free port. */
  httpAddr: string;
  dbPath: string;
  masterKey: string | null;
  payloadLimitBytes?: number;
}

export interface RunningNode {
  url: string;
  close(): Promise<void>;
}

/** A startup failure with a one-line reason (unusable data dir, port in use…). */
export class NodeStartError extends Error {
  override readonly name = 'NodeStartError';
}

export function parseHttpAddr(addr: string): { host: string; port: number } {
  const at = addr.lastIndexOf(':');
  const host = at < 0 ? addr : addr.slice(0, at).replace(/^\[|\]$/g, '');
  const port = at < 0 ? Number.NaN : Number(addr.slice(at + 1));
  if (host === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new NodeStartError(`invalid http address \`${addr}\`: expected host:port`);
  }
  return { host, port };
}

function errorText(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error instanceof Error ? `${error.message}${cause}` : String(error);
}

export async function startNode(options: NodeOptions): Promise<RunningNode> {
  const { host, port } = parseHttpAddr(options.httpAddr);
  const payloadLimitBytes = options.payloadLimitBytes ?? DEFAULT_PAYLOAD_LIMIT_BYTES;
  try {
    mkdirSync(options.dbPath, { recursive: true });
  } catch (error) {
    throw new NodeStartError(`cannot use data directory ${options.dbPath}: ${errorText(error)}`, { cause: error });
  }
  const engine = await openEngine({
    dbPath: options.dbPath,
    masterKey: options.masterKey,
    payloadLimitBytes,
    deps: { createIndex: (settings) => createSearchIndex(settings, createFacetStore), parseFilter: parseFilterOrThrow },
    clock: realClock,
  }).catch((error: unknown) => {
    throw new NodeStartError(`cannot open data directory ${options.dbPath}: ${errorText(error)}`, { cause: error });
  });
  const app = await buildEngineApp(engine.ctx, { dbPath: options.dbPath });
  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close();
    await engine.close();
    throw new NodeStartError(`cannot listen on ${options.httpAddr}: ${errorText(error)}`, { cause: error });
  }
  const address = app.server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    async close() {
      await app.close();
      await engine.close();
    },
  };
}
