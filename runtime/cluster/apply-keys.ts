// Applies API key commands (API.md §9.1). Only metadata is replicated: the key
// string is derived (HMAC of the uid with the master key) by whoever renders
// it, so it never enters the log. Only `name` and `description` are mutable.

import type { KeyCreateCommand, KeyDeleteCommand, KeyUpdateCommand } from './commands.ts';
import { APPLIED, rejected, type ApplyResult } from './apply-result.ts';
import type { ClusterState } from './state.ts';

function keyNotFound(uid: string): ApplyResult {
  return rejected('api_key_not_found', `API key \`${uid}\` not found.`);
}

export function applyKeyCreate(state: ClusterState, c: KeyCreateCommand): ApplyResult {
  if (state.keys.has(c.uid)) {
    return rejected('api_key_already_exists', `\`uid\` field value \`${c.uid}\` is already an existing API key.`);
  }
  state.keys.set(c.uid, {
    uid: c.uid,
    name: c.name,
    description: c.description,
    actions: [...c.actions],
    indexes: [...c.indexes],
    expiresAtMs: c.expiresAtMs,
    createdAtMs: c.nowMs,
    updatedAtMs: c.nowMs,
  });
  return APPLIED;
}

export function applyKeyUpdate(state: ClusterState, c: KeyUpdateCommand): ApplyResult {
  const key = state.keys.get(c.uid);
  if (key === undefined) return keyNotFound(c.uid);
  if (c.name !== undefined) key.name = c.name;
  if (c.description !== undefined) key.description = c.description;
  // Monotonic despite proposers' clock skew.
  key.updatedAtMs = Math.max(key.updatedAtMs, c.nowMs);
  return APPLIED;
}

export function applyKeyDelete(state: ClusterState, c: KeyDeleteCommand): ApplyResult {
  return state.keys.delete(c.uid) ? APPLIED : keyNotFound(c.uid);
}
