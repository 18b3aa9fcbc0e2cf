// Structured JSON logs (issue 6 §2), through pino:
//
// - `createLogger()` builds the one pino logger of a process (the peer and
//   node CLIs log their start-up and shut-down lines with it; a peer's edge
//   logs through a child of it). Paths that may hold secrets are redacted as
//   a second line of defence: nothing logs headers, bodies or the config's
//   secrets in the first place (runtime/config/redact.ts).
// - Request ids: an `X-Request-Id` the client sent is honoured when it looks
//   like an id (1–128 characters of [A-Za-z0-9._:-], so it cannot forge log
//   content); otherwise a UUID is generated. The id is on every log line of
//   the request (`reqId`) and returned in the `X-Request-Id` response header.
// - At most one line per request at info level: Fastify's own "incoming
//   request" / "request completed" pair is replaced by one `request` line
//   when the response is sent (method, route pattern, path without the query
//   string, status code, duration), at `error` level for 5xx answers. No
//   query string, header or body is logged, so neither API keys nor document
//   contents nor search queries reach the logs.
import { randomUUID } from 'node:crypto';
import { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { pino, type DestinationStream, type Logger } from 'pino';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What a request id may look like when the client chooses it. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Log paths that could carry a secret if a future log call passed them. */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["x-admin-key"]',
  'req.headers["x-meili-api-key"]',
  'headers.authorization',
  'headers["x-admin-key"]',
  'config.secrets',
  'secrets',
  'body',
  'req.body',
];

export interface LoggerOptions {
  /** pino level (default `info`). */
  level?: string;
  /** Where lines go (default: stdout). Tests pass a stream that collects them. */
  destination?: DestinationStream;
  /** Fields on every line (e.g. `{ peerId }`). */
  base?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid, ...options.base },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** The request id: the client's own when acceptable, else a new UUID. */
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && CLIENT_REQUEST_ID.test(header) ? header : randomUUID();
}

/** Fastify's one-line request log (see the header); the other internal lines keep Fastify's defaults. */
class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? null,
      path: request.url.split('?')[0],
      statusCode: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
      ...(error ? { err: error } : {}),
    };
    if (reply.statusCode >= 500 || error) request.log.error(line, 'request');
    else request.log.info(line, 'request');
  }
}

/** The Fastify server options that carry the logger and the request id rules. */
export function loggingOptions(logger: Logger | undefined): {
  loggerInstance?: FastifyBaseLogger;
  logController: LogController;
  genReqId: (raw: { headers: Record<string, string | string[] | undefined> }) => string;
} {
  return {
    ...(logger === undefined ? {} : { loggerInstance: logger }),
    logController: new RequestLogController(),
    genReqId: (raw) => requestIdOf(raw.headers[REQUEST_ID_HEADER]),
  };
}

/** Returns the request id on every answer, errors included (the hook runs before authentication). */
export function installRequestIds(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
}
