// Meilisearch's KeyView (API.md §9.1), in its field order: what GET/POST/
// PATCH /keys answer for one key. The `key` string is derived from the
// master key (key-derivation.ts) and never stored, so it is computed here
// from whatever record the server keeps (the engine's key store, the
// cluster's replicated key records).
import { formatRfc3339 } from '../time-format.ts';
import { deriveKey } from './key-derivation.ts';

export interface KeyView {
  name: string | null;
  description: string | null;
  key: string;
  uid: string;
  actions: string[];
  indexes: string[];
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What a server keeps of a key. */
export interface KeyFacts {
  readonly uid: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly actions: readonly string[];
  readonly indexes: readonly string[];
  readonly expiresAtMs: number | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export function keyView(record: KeyFacts, masterKey: string): KeyView {
  return {
    name: record.name,
    description: record.description,
    key: deriveKey(masterKey, record.uid),
    uid: record.uid,
    actions: [...record.actions],
    indexes: [...record.indexes],
    expiresAt: record.expiresAtMs === null ? null : formatRfc3339(record.expiresAtMs),
    createdAt: formatRfc3339(record.createdAtMs),
    updatedAt: formatRfc3339(record.updatedAtMs),
  };
}
