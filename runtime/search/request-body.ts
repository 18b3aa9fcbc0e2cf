// Helpers for client request bodies on the read path.
//
// The orchestrator reads only the few fields it must understand to scatter
// and merge (pagination, scores, facets, distinct, filter); the nodes
// validate everything else and their 400s are passed through. When one of
// those few fields has the wrong type, the exact Meilisearch error is obtained
// the same way: the unchanged body is sent to one healthy node, which rejects
// it with Meilisearch's own message (no validation code is duplicated here).
import { MeiliError } from '../../api/errors/registry.ts';
import type { NodeRequest } from '../../transport/node-client/node-client.ts';
import type { PeerServices } from '../peer/services.ts';
import type { FilterParam } from '../routing/shard-filter.ts';
import { isClientError } from './scatter.ts';
import { clientErrorOf } from './node-error.ts';

export type Body = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function isFilterParam(value: unknown): value is FilterParam {
  if (typeof value === 'string') return true;
  if (!Array.isArray(value)) return false;
  return value.every((v) => typeof v === 'string' || (Array.isArray(v) && v.every((w) => typeof w === 'string')));
}

/**
 * The tenant token's rule filter ANDed with the client's (API.md §9.2:
 * `[...userFilter, ...ruleFilter]`, a string counting as a one-element list).
 * A malformed client filter is left as is for the node to reject.
 */
export function fuseTenantFilter(body: Body, tenantFilter: FilterParam | null | undefined): Body {
  if (tenantFilter === null || tenantFilter === undefined) return body;
  const user = body['filter'];
  if (user !== undefined && user !== null && !isFilterParam(user)) return body;
  const asList = (f: FilterParam | null | undefined): Array<string | ReadonlyArray<string>> =>
    f === null || f === undefined ? [] : typeof f === 'string' ? (f.trim() === '' ? [] : [f]) : [...f];
  return { ...body, filter: [...asList(user as FilterParam | null | undefined), ...asList(tenantFilter)] };
}

/**
 * Throws the error a node gives for `body` at `path` (POST), or for `query`
 * (GET). Used only for a request the orchestrator already knows is invalid;
 * `fallback` is thrown if no node can be asked or a node unexpectedly accepts it.
 */
export async function rejectThroughNode(
  services: PeerServices,
  path: string,
  body: unknown,
  fallback: MeiliError,
  signal?: AbortSignal,
): Promise<never> {
  return rejectRequestThroughNode(services, { method: 'POST', path, body }, fallback, signal);
}

export async function rejectQueryThroughNode(
  services: PeerServices,
  path: string,
  query: Readonly<Record<string, string>>,
  fallback: MeiliError,
  signal?: AbortSignal,
): Promise<never> {
  return rejectRequestThroughNode(services, { method: 'GET', path, query: { ...query } }, fallback, signal);
}

async function rejectRequestThroughNode(
  services: PeerServices,
  request: NodeRequest,
  fallback: MeiliError,
  signal?: AbortSignal,
): Promise<never> {
  const nodeId = anyHealthyNode(services);
  if (nodeId === null) throw fallback;
  try {
    await services.node(nodeId).request({ ...request, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (isClientError(error)) throw clientErrorOf(error);
    throw fallback;
  }
  throw fallback;
}

function anyHealthyNode(services: PeerServices): string | null {
  const ids = [...services.state().nodes.values()]
    .filter((n) => n.state === 'active')
    .map((n) => n.id)
    .sort();
  return ids.find((id) => services.isNodeHealthy(id)) ?? null;
}

export function encodeUid(uid: string): string {
  return encodeURIComponent(uid);
}
