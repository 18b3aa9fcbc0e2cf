// Instance routes (API.md §1.6): health (open), version, and the routes of
// Meilisearch features a Miroir cluster does not offer, answered exactly as a
// Meilisearch with the feature off answers them: every experimental feature
// reads false and enabling one is refused with `feature_not_enabled`;
// `/network` and the edit-documents-by-function route need their feature.
// Dumps, snapshots, `/batches` and the other routes a search cluster does not
// serve are not registered: they answer like any unknown route.
import type { FastifyInstance } from 'fastify';
import { MeiliError } from '../errors/registry.ts';
import type { RouteOptions } from '../plugins/request-context.ts';

const FEATURES = [
  'metrics', 'logsRoute', 'editDocumentsByFunction', 'containsFilter', 'dynamicSearchRules', 'network',
  'getTaskDocumentsRoute', 'taskQueueCompactionRoute', 'compositeEmbedders', 'chatCompletions',
  'multimodal', 'foreignKeys', 'disableDocumentsFetchQueue', 'legacySearch', 'renderRoute',
] as const;

/** The Meilisearch release whose HTTP API Miroir serves (../shared/design/API.md is read from it). */
export const MEILISEARCH_API_VERSION = '1.50.0';

function features(): Record<string, boolean> {
  return Object.fromEntries(FEATURES.map((f) => [f, false]));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  const kind = Array.isArray(value) ? 'an array' : typeof value === 'string' ? 'a string' : typeof value === 'number' ? 'a number' : 'an object';
  return `${kind}: \`${JSON.stringify(value)}\``;
}

/** PATCH /experimental-features: a partial object of booleans; `true` is refused, nothing is ever on. */
function checkFeaturePatch(body: unknown): void {
  if (!isObject(body)) throw new MeiliError('bad_request', `Invalid value type: expected an object, but found ${describe(body)}`);
  for (const [name, value] of Object.entries(body)) {
    if (!(FEATURES as readonly string[]).includes(name)) {
      throw new MeiliError('bad_request', `Unknown field \`${name}\`: expected one of ${FEATURES.map((f) => `\`${f}\``).join(', ')}`);
    }
    if (value !== null && typeof value !== 'boolean') {
      throw new MeiliError('bad_request', `Invalid value type at \`.${name}\`: expected a boolean, but found ${describe(value)}`);
    }
    if (value === true) {
      throw new MeiliError('feature_not_enabled', `The experimental feature \`${name}\` is not available in a Miroir cluster.`);
    }
  }
}

export async function instanceRoutes(app: FastifyInstance, _opts: RouteOptions): Promise<void> {
  app.get('/health', { config: { action: null, index: 'none' } }, async () => ({ status: 'available' }));

  app.get('/version', { config: { action: 'version', index: 'none' } }, async () => ({
    commitSha: 'unknown',
    commitDate: 'unknown',
    pkgVersion: MEILISEARCH_API_VERSION,
  }));

  app.get('/experimental-features', { config: { action: 'experimental.get', index: 'none' } }, async () => features());

  app.patch('/experimental-features', { config: { action: 'experimental.update', index: 'none' } }, async (request) => {
    checkFeaturePatch(request.body);
    return features();
  });

  const networkOff = async (): Promise<never> => {
    throw new MeiliError(
      'feature_not_enabled',
      'Using the /network route requires enabling the `network` experimental feature. See https://github.com/orgs/meilisearch/discussions/805',
    );
  };
  const none = { body: 'none' } as const;
  app.get('/network', { config: { action: 'network.get', index: 'none' } }, networkOff);
  app.patch('/network', { config: { action: 'network.update', index: 'none', ...none } }, networkOff);

  app.post('/indexes/:indexUid/documents/edit', { config: { action: 'documents.*', index: 'param', ...none } }, async () => {
    throw new MeiliError(
      'feature_not_enabled',
      'Using the documents edit route requires enabling the `edit documents by function` experimental feature. See https://github.com/orgs/meilisearch/discussions/762',
    );
  });
}
