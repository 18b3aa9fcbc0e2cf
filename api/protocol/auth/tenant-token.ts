// Tenant-token verification (API.md §9.2), following Meilisearch's
// `authenticate_tenant_token` on top of the `jsonwebtoken` crate:
// 1. a token without two dots is not a JWT at all: the caller falls back to
//    an API-key lookup;
// 2. the claims are decoded without checking the signature, to learn the
//    parent key's uid (`apiKeyUid`); malformed claims are an error;
// 3. the signature is checked with the parent key's derived `key` as the
//    HMAC secret; only HS256, HS384 and HS512 are accepted;
// 4. `exp`, when present, is checked by hand against `nowSec`.
// Errors after step 1 are `invalid_api_key` with "Could not decode tenant
// token, …." messages, as in Meilisearch (a bad signature does not fall back).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { MeiliError } from '../../errors/registry.ts';
import { deriveKey } from './key-derivation.ts';
import { parseSearchRules, type SearchRules } from './search-rules.ts';

export type TokenOutcome =
  | { readonly kind: 'not-a-token' }
  | { readonly kind: 'valid'; readonly apiKeyUid: string; readonly searchRules: SearchRules };

const HMAC_ALGORITHMS: Readonly<Record<string, string>> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };
const KNOWN_ALGORITHMS = ['HS256', 'HS384', 'HS512', 'ES256', 'ES384', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA'];
const UUID_RE = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

function decodeError(detail: string): MeiliError {
  return new MeiliError('invalid_api_key', `Could not decode tenant token, ${detail}.`);
}

/** Splits like jsonwebtoken's `rsplitn(2, '.')` twice; null when that fails. */
function splitToken(token: string): { header: string; payload: string; signature: string; message: string } | null {
  const last = token.lastIndexOf('.');
  if (last < 0) return null;
  const message = token.slice(0, last);
  const middle = message.lastIndexOf('.');
  if (middle < 0) return null;
  return { header: message.slice(0, middle), payload: message.slice(middle + 1), signature: token.slice(last + 1), message };
}

function base64UrlDecode(part: string): Buffer {
  const invalid = /[^A-Za-z0-9_-]/.exec(part);
  if (invalid) throw decodeError(`Base64 error: Invalid symbol ${invalid[0].charCodeAt(0)}, offset ${invalid.index}.`);
  if (part.length % 4 === 1) throw decodeError('Base64 error: Invalid input length.');
  return Buffer.from(part, 'base64url');
}

/** serde_json places errors raised after the whole object was read at its end. */
function endPosition(text: string): string {
  const lines = text.split('\n');
  return `line ${lines.length} column ${Buffer.byteLength(lines[lines.length - 1] ?? '')}`;
}

function parseJson(bytes: Buffer): { value: unknown; text: string } {
  const text = bytes.toString('utf8');
  try {
    return { value: JSON.parse(text) as unknown, text };
  } catch {
    throw decodeError(`JSON error: expected value at line 1 column 1`);
  }
}

function readHeader(part: string): string {
  const { value, text } = parseJson(base64UrlDecode(part));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw decodeError(`JSON error: invalid type: expected struct Header at ${endPosition(text)}`);
  }
  const alg = (value as Record<string, unknown>)['alg'];
  if (alg === undefined) throw decodeError(`JSON error: missing field \`alg\` at ${endPosition(text)}`);
  if (typeof alg !== 'string' || !KNOWN_ALGORITHMS.includes(alg)) {
    throw decodeError(`JSON error: unknown variant \`${String(alg)}\`, expected one of ${KNOWN_ALGORITHMS.map((a) => `\`${a}\``).join(', ')} at ${endPosition(text)}`);
  }
  return alg;
}

interface Claims {
  apiKeyUid: string;
  searchRules: SearchRules;
  exp: number | null;
}

function readClaims(part: string): Claims {
  const { value, text } = parseJson(base64UrlDecode(part));
  const at = endPosition(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw decodeError(`JSON error: invalid type: expected struct Claims at ${at}`);
  }
  const claims = value as Record<string, unknown>;
  if (!('searchRules' in claims)) throw decodeError(`JSON error: missing field \`searchRules\` at ${at}`);
  const searchRules = parseSearchRules(claims['searchRules']);
  if (searchRules === null) throw decodeError(`JSON error: data did not match any variant of untagged enum SearchRules at ${at}`);
  const exp = claims['exp'];
  if (exp !== undefined && exp !== null && !(typeof exp === 'number' && Number.isInteger(exp))) {
    throw decodeError(`JSON error: invalid type: ${JSON.stringify(exp)}, expected i64 at ${at}`);
  }
  if (!('apiKeyUid' in claims)) throw decodeError(`JSON error: missing field \`apiKeyUid\` at ${at}`);
  const uid = claims['apiKeyUid'];
  if (typeof uid !== 'string' || !UUID_RE.test(uid)) {
    throw decodeError(`JSON error: UUID parsing failed: invalid value ${JSON.stringify(uid)} at ${at}`);
  }
  return { apiKeyUid: canonicalUuid(uid), searchRules, exp: typeof exp === 'number' ? exp : null };
}

function canonicalUuid(uid: string): string {
  const hex = uid.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function signatureValid(alg: string, secret: string, message: string, signature: string): boolean {
  const hash = HMAC_ALGORITHMS[alg];
  if (hash === undefined) throw decodeError('InvalidAlgorithm');
  const given = base64UrlDecode(signature);
  const expected = createHmac(hash, secret).update(message).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Verifies `token` as a tenant token. `masterKey` null means keys cannot be
 * derived, so no token can be valid (the caller then tries it as a key).
 */
export function verifyTenantToken(token: string, masterKey: string | null, nowSec: number): TokenOutcome {
  const parts = splitToken(token);
  if (parts === null) return { kind: 'not-a-token' };
  const alg = readHeader(parts.header);
  const claims = readClaims(parts.payload);
  if (masterKey === null) return { kind: 'not-a-token' };
  const secret = deriveKey(masterKey, claims.apiKeyUid);
  if (!signatureValid(alg, secret, parts.message, parts.signature)) throw decodeError('InvalidSignature');
  if (claims.exp !== null && nowSec > claims.exp) {
    throw new MeiliError('invalid_api_key', `Tenant token expired. Was valid up to \`${claims.exp}\` and we're now \`${nowSec}\`.`);
  }
  return { kind: 'valid', apiKeyUid: claims.apiKeyUid, searchRules: claims.searchRules };
}
