// Instance routes (API.md §1.6): health, version, and the experimental
// features, which all stay off on this node. Enabling one is refused rather
// than pretended; /network needs the `network` feature, so it answers as a
// Meilisearch with that feature off. Dumps and snapshots are not routes here
// at all: they answer like any unknown route.
import type { FastifyInstance } from 'fastify';
import { MeiliError } from '../../../api/errors/registry.ts';
import type { RouteOptions } from '../context.ts';
import { expectObject } from '../../../api/protocol/deserr.ts';

const FEATURES = [
  'metrics', 'logsRoute', 'editDocumentsByFunction', 'containsFilter', 'dynamicSearchRules', 'network',
  'getTaskDocumentsRoute', 'taskQueueCompactionRoute', 'compositeEmbedders', 'chatCompletions',
  'multimodal', 'foreignKeys', 'disableDocumentsFetchQueue', 'legacySearch', 'renderRoute',
] as const;

function features(): Record<string, boolean> {
  return Object.fromEntries(FEATURES.map((f) => [f, false]));
}

/** The Meilisearch release whose HTTP API this node follows (API.md is read from it). */
const API_VERSION = '1.50.0';

export async function instanceRoutes(app: FastifyInstance, _opts: RouteOptions): Promise<void> {
  app.get('/health', { config: { action: null, index: 'none' } }, async () => ({ status: 'available' }));

  app.get('/version', { config: { action: 'version', index: 'none' } }, async () => ({
    commitSha: 'unknown', commitDate: 'unknown', pkgVersion: API_VERSION,
  }));

  app.get('/experimental-features', { config: { action: 'experimental.get', index: 'none' } }, async () => features());

  app.patch('/experimental-features', { config: { action: 'experimental.update', index: 'none' } }, async (request) => {
    const body = expectObject(request.body, FEATURES);
    for (const [name, value] of Object.entries(body)) {
      if (value !== null && typeof value !== 'boolean') {
        throw new MeiliError('bad_request', `Invalid value type at \`.${name}\`: expected a boolean, but found ${JSON.stringify(value)}`);
      }
      if (value === true) {
        throw new MeiliError('feature_not_enabled', `The experimental feature \`${name}\` is not available on this node (Miroir's embedded engine).`);
      }
    }
    return features();
  });

  const networkOff = async () => {
    throw new MeiliError('feature_not_enabled',
      'Using the /network route requires enabling the `network` experimental feature. See https://github.com/orgs/meilisearch/discussions/805');
  };
  app.get('/network', { config: { action: 'network.get', index: 'none' } }, networkOff);
  app.patch('/network', { config: { action: 'network.update', index: 'none' } }, networkOff);
}
