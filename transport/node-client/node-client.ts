// The HTTP client towards one search node (STYLE G13): one undici Pool per
// node origin with bounded connections and explicit header/body timeouts;
// every call may carry an AbortSignal linked to the request deadline and to
// the owning actor; every response body is consumed (or dumped) so sockets go
// back to the pool. Transport failures become NodeUnavailableError, non-2xx
// answers NodeResponseError with the node's Meilisearch error body. Writes are
// never retried here: the dispatcher's replay from its cursor is the retry.
// Reads may be retried through `read` (transport/node-client/retry.ts).
//
// Calls go through `Pool.dispatch` with a handler that collects the body's
// chunks (body.ts) rather than through `Pool.request`: every search makes one
// call per node of its covering set, and `request` wraps each answer in a
// Readable stream, an async resource and a promise chain just to read a few
// kilobytes of JSON (about a quarter of the client's CPU per call).
import { Pool } from 'undici';
import { NodeUnavailableError } from '../../runtime/errors.ts';
import { NodeResponseError, asErrorBody } from './errors.ts';
import { collectResponse } from './body.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface NodeClientOptions {
  nodeId: string;
  /** Origin of the node, e.g. http://127.0.0.1:7701 */
  url: string;
  /** Sent as `Authorization: Bearer …` when set (the node master key). */
  apiKey: string | null;
  connectionsMax: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

export interface NodeRequest {
  method: HttpMethod;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON-serialized unless already a string (then sent as is with `contentType`). */
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

export interface NodeResponse<T> {
  status: number;
  body: T;
}

export class NodeClient {
  readonly nodeId: string;
  readonly url: string;
  private readonly pool: Pool;
  private readonly authorization: string | null;

  constructor(options: NodeClientOptions) {
    this.nodeId = options.nodeId;
    this.url = options.url;
    this.authorization = options.apiKey ? `Bearer ${options.apiKey}` : null;
    this.pool = new Pool(options.url, {
      connections: options.connectionsMax,
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
      keepAliveTimeout: 30_000,
    });
  }

  async request<T>(req: NodeRequest): Promise<NodeResponse<T>> {
    const headers: Record<string, string> = {};
    if (this.authorization) headers.authorization = this.authorization;
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      headers['content-type'] = req.contentType ?? 'application/json';
    }
    let response;
    try {
      response = await collectResponse(this.pool, {
        method: req.method,
        path: withQuery(req.path, req.query),
        headers,
        body: payload ?? null,
      }, req.signal);
    } catch (error) {
      throw new NodeUnavailableError(this.nodeId, describe(error), { cause: error });
    }
    const body = parseBody(response.text);
    if (response.status >= 400) {
      throw new NodeResponseError(this.nodeId, response.status, asErrorBody(response.status, body));
    }
    return { status: response.status, body: body as T };
  }

  /** Pool counters, exported as gauges by the metrics layer. */
  stats(): { connected: number; pending: number; running: number; size: number } {
    const s = this.pool.stats;
    return { connected: s.connected, pending: s.pending, running: s.running, size: s.size };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function withQuery(path: string, query: NodeRequest['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { message: text.slice(0, 200), code: 'internal' };
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}
