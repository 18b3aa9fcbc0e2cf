// The admin key of the `/_miroir/*` operator API. When `MIROIR_ADMIN_KEY` is
// configured, an admin route needs it, either as `Authorization: Bearer <key>`
// or as `X-Admin-Key: <key>`: none → 401 `miroir_missing_admin_key`, a wrong
// one → 403 `miroir_invalid_admin_key`. Without a configured admin key the
// admin routes are open, as client routes are without a master key. The
// client master key and API keys never grant admin access: the two APIs are
// separate trust domains. Keys are compared in constant time (over their
// SHA-256, so the length does not leak either).
import type { FastifyRequest } from 'fastify';
import { MeiliError } from '../errors/registry.ts';
import { sameSecret } from '../protocol/auth/key-derivation.ts';

/** The admin key the request carries, or null. `X-Admin-Key` wins over `Authorization`. */
function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers['x-admin-key'];
  if (typeof header === 'string') return header;
  const authorization = request.headers.authorization;
  if (authorization === undefined) return null;
  const match = /^Bearer (.*)$/.exec(authorization);
  return match === null ? null : (match[1] ?? '');
}

/** An onRequest hook for the admin routes; `adminKey` null leaves them open. */
export function adminAuthHook(adminKey: string | null): (request: FastifyRequest) => Promise<void> {
  return async function adminAuth(request: FastifyRequest): Promise<void> {
    if (request.routeOptions.config?.admin !== true || adminKey === null) return;
    const given = presentedKey(request);
    if (given === null) {
      throw new MeiliError(
        'miroir_missing_admin_key',
        'The admin API needs the admin key: send it as `Authorization: Bearer <admin key>` or `X-Admin-Key: <admin key>`.',
      );
    }
    if (!sameSecret(given, adminKey)) throw new MeiliError('miroir_invalid_admin_key', 'The provided admin key is invalid.');
  };
}
