// Index uid rules (API.md §0): ASCII alphanumerics, `-` and `_`, 1..400
// bytes (the message says 512, the check is 400, as in Meilisearch).
import { MeiliError } from '../errors/registry.ts';

const PATTERN = /^[a-zA-Z0-9_-]{1,400}$/;

export function isValidIndexUid(uid: string): boolean {
  return PATTERN.test(uid);
}

export function indexUidMessage(uid: string): string {
  return `\`${uid}\` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 512 bytes.`;
}

/** Throws `invalid_index_uid`; `path` prefixes the deserr location when the uid came in a body. */
export function checkIndexUid(uid: string, path: string | null = null): string {
  if (isValidIndexUid(uid)) return uid;
  const message = indexUidMessage(uid);
  throw new MeiliError('invalid_index_uid', path === null ? message : `Invalid value at \`${path}\`: ${message}`);
}
