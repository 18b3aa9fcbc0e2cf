// The engine's one error handler and one not-found handler (STYLE G11):
// whatever goes wrong — a MeiliError from a route or validator, Fastify's
// body-limit or parser errors, a bug — the client gets
// `{message, code, type, link}` with the registered status. Nothing else in
// the engine builds an error body.
import type { FastifyError, FastifyInstance } from 'fastify';
import { errorBody, MeiliError } from '../../api/errors/registry.ts';
import { payloadTooLarge } from '../../api/protocol/body.ts';

function fastifyToMeili(error: FastifyError, payloadLimitBytes: number): MeiliError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return payloadTooLarge(payloadLimitBytes);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new MeiliError('invalid_content_type', error.message);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return new MeiliError('bad_request', error.message);
    default:
      break;
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new MeiliError('bad_request', error.message);
  }
  return null;
}

export function installErrorHandling(app: FastifyInstance, payloadLimitBytes: number): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const meili = error instanceof MeiliError ? error : fastifyToMeili(error, payloadLimitBytes);
    if (meili) {
      if (meili.status === 503) void reply.header('retry-after', '10');
      return reply.code(meili.status).send(meili.toBody());
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(errorBody('internal', error.message));
  });
  app.setNotFoundHandler((_request, reply) => {
    return reply.code(404).send(errorBody('not_found', 'Not found.'));
  });
}
