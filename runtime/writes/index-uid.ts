// Index uid rules (API.md §0, §1.1): ASCII alphanumerics, `-` and `_`, 1 to
// 400 bytes (Meilisearch's message says 512; the check is 400). The edge
// validates every uid it is given before building a command.

import { MeiliError } from '../../api/errors/registry.ts';

const UID_PATTERN = /^[a-zA-Z0-9_-]{1,400}$/;

export function isValidIndexUid(uid: string): boolean {
  return UID_PATTERN.test(uid);
}

export function invalidIndexUidError(uid: string): MeiliError {
  return new MeiliError(
    'invalid_index_uid',
    `\`${uid}\` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 512 bytes.`,
  );
}

/** Null when valid, else Meilisearch's invalid_index_uid error. */
export function checkIndexUid(uid: string): MeiliError | null {
  return isValidIndexUid(uid) ? null : invalidIndexUidError(uid);
}
