// The `key` of an API key is derived, never stored (API.md §9.1):
// hex(HMAC-SHA256(masterKey, uid as a lowercase hyphenated UUID)). Changing
// the master key therefore changes every key. Lookups compare the decoded
// bytes in constant time, as Meilisearch's `verify_key_matches` does.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function deriveKey(masterKey: string, uid: string): string {
  return createHmac('sha256', masterKey).update(uid.toLowerCase()).digest('hex');
}

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

/** Whether `candidate` is the key of `uid`, compared in constant time. */
export function keyMatches(masterKey: string, uid: string, candidate: string): boolean {
  if (!HEX_RE.test(candidate)) return false;
  const given = Buffer.from(candidate, 'hex');
  const expected = createHmac('sha256', masterKey).update(uid.toLowerCase()).digest();
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Whether two secrets (master key, admin key) are equal, in constant time over their SHA-256: the length does not leak. */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}
