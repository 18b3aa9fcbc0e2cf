// The edge's one error handler, one schema-error formatter and one not-found
// handler (STYLE G11). Whatever goes wrong — a MeiliError from a route, a
// runtime error from a proposal or a node call, Fastify's body-limit and
// parser errors, a schema mismatch, a bug — the client gets Meilisearch's
// `{message, code, type, link}` with the registered status. 4xx never come
// from a bug path: anything Fastify rejects as a client error is a 400
// `bad_request` here, and only an unexpected exception is a 500 `internal`.
//
// Runtime errors (runtime/errors.ts) become retriable answers: no leader,
// a dropped proposal, a restarting driver → 503 `miroir_no_leader`; a full
// queue → 503 `miroir_overloaded`; a timeout → `miroir_timeout` (the write
// may or may not have committed). Every 5xx of type `system` carries
// `Retry-After: 10`, like Meilisearch's 503s.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, MeiliError } from '../errors/registry.ts';
import { MiroirError, type MiroirErrorCode } from '../../runtime/errors.ts';
import { payloadTooLarge } from '../protocol/body.ts';

const RUNTIME_CODES: Readonly<Record<MiroirErrorCode, string | null>> = {
  MIROIR_ERR_NOT_LEADER: 'miroir_no_leader',
  MIROIR_ERR_PROPOSAL_DROPPED: 'miroir_no_leader',
  MIROIR_ERR_CLOSED: 'miroir_no_leader',
  MIROIR_ERR_OVERLOADED: 'miroir_overloaded',
  MIROIR_ERR_TIMEOUT: 'miroir_timeout',
  MIROIR_ERR_NODE_UNAVAILABLE: 'miroir_node_unavailable',
  // A write forwarded to the leader whose connection failed: retriable, like no leader.
  MIROIR_ERR_PEER_UNAVAILABLE: 'miroir_no_leader',
  // A compacted log read is a bug on the edge's paths: answered as internal.
  MIROIR_ERR_LOG_COMPACTED: null,
};

const RETRY_AFTER_SECONDS = '10';

// The stats routes format sizes like the payload-limit message does.
export { formatBytesBinary as formatBytes } from '../protocol/body.ts';

function fromRuntime(error: MiroirError): MeiliError | null {
  const code = RUNTIME_CODES[error.code];
  if (code === null || code === undefined) return null;
  const message =
    error.code === 'MIROIR_ERR_PEER_UNAVAILABLE'
      ? `The Raft leader could not be reached (${error.message}); a write may still be applied, check its task before retrying.`
      : code === 'miroir_no_leader'
      ? `The cluster has no reachable Raft leader right now (${error.message}); retry later.`
      : code === 'miroir_timeout'
        ? `The request timed out (${error.message}); a write may still be applied, check its task before retrying.`
        : code === 'miroir_overloaded'
          ? `The peer is overloaded (${error.message}); retry later.`
          : error.message;
  return new MeiliError(code, message, { cause: error });
}

function fromFastify(error: FastifyError, payloadLimitBytes: number): MeiliError | null {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return payloadTooLarge(payloadLimitBytes);
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new MeiliError('bad_request', error.message);
  }
  return null;
}

/** The Meilisearch error an exception stands for, or null for a bug (answered as 500 internal). */
export function toMeiliError(error: unknown, payloadLimitBytes: number): MeiliError | null {
  if (error instanceof MeiliError) return error;
  if (error instanceof MiroirError) return fromRuntime(error);
  if (error instanceof Error && typeof (error as FastifyError).code === 'string') {
    return fromFastify(error as FastifyError, payloadLimitBytes);
  }
  return null;
}

export function sendError(reply: FastifyReply, error: MeiliError): FastifyReply {
  const body = error.toBody();
  if (error.status >= 500 && body.type === 'system') void reply.header('retry-after', RETRY_AFTER_SECONDS);
  return reply.code(error.status).type('application/json; charset=utf-8').send(body);
}

export interface RouteShape {
  method: string;
  url: string;
  pattern: RegExp;
}

/** `/indexes/:indexUid/documents/*` → a regex matching concrete paths. */
function patternOf(url: string): RegExp {
  const escaped = url
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}/?$`);
}

export interface ErrorHandlingOptions {
  payloadLimitBytes: number;
}

/**
 * Installs the three handlers on the root instance (child contexts inherit
 * them). Returns the table of routes registered afterwards, which the
 * not-found handler uses to tell 405 from 404.
 */
export function installErrorHandling(app: FastifyInstance, options: ErrorHandlingOptions): readonly RouteShape[] {
  const routes: RouteShape[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) if (method !== 'HEAD') routes.push({ method, url: route.url, pattern: patternOf(route.url) });
  });

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const meili = toMeiliError(error, options.payloadLimitBytes);
    if (meili !== null) return sendError(reply, meili);
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(errorBody('internal', error instanceof Error ? error.message : String(error)));
  });

  // Route schemas only check shapes Meilisearch reports as `bad_request`;
  // the exact field-level messages come from the handlers' own validators.
  app.setSchemaErrorFormatter((errors, dataVar) => {
    const first = errors[0];
    const where = first === undefined ? dataVar : `${dataVar}${first.instancePath.replaceAll('/', '.')}`;
    return new MeiliError('bad_request', `Invalid value in ${where}: ${first?.message ?? 'invalid'}`);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))];
    if (allowed.length > 0) {
      void reply.header('allow', allowed.join(', '));
      return sendError(
        reply,
        new MeiliError('method_not_allowed', `Method \`${request.method}\` is not allowed on \`${path}\`. Allowed methods: ${allowed.join(', ')}.`),
      );
    }
    return sendError(reply, new MeiliError('not_found', 'Not found.'));
  });
  return routes;
}
