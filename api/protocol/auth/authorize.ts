// The authorization decision for one request (API.md §0 and §9.1), as a pure
// function of the Authorization header, the route's action and index, the
// known keys and the time. The engine and the edge both authorize with it. It mirrors Meilisearch's `ActionPolicy`:
//   no master key → every route open except /keys/* (401 missing_master_key);
//   no header → 401; a scheme other than `Bearer` → 401; the master key → all;
//   on `search` routes the token is first tried as a tenant token; then as
//   an API key; then the index must be allowed by the token's search rules
//   and by the key's index patterns; finally the key must hold the action
//   (wildcards expanded) and not be expired.
import { MeiliError } from '../../errors/registry.ts';
import { actionAllowed } from './actions.ts';
import { anyPatternMatches } from './index-pattern.ts';
import { sameSecret } from './key-derivation.ts';
import { resolveIndexRule, rulePatterns, type SearchRules } from './search-rules.ts';
import { verifyTenantToken } from './tenant-token.ts';

/** What authorization reads of an API key. */
export interface KeyGrant {
  readonly uid: string;
  readonly actions: readonly string[];
  readonly indexes: readonly string[];
  readonly expiresAtMs: number | null;
}

/** The keys a server knows: the engine's key store, the edge's replicated key records. */
export interface KeyLookup {
  get(uid: string): KeyGrant | undefined;
  /** The key whose derived `key` string is `key` (constant-time comparisons). */
  findByKey(masterKey: string, key: string): KeyGrant | undefined;
}

/** Who is calling, once authorized. `keyIndexes` and `keyActions` null mean no restriction. */
export interface Identity {
  readonly keyIndexes: readonly string[] | null;
  readonly keyActions: readonly string[] | null;
  readonly searchRules: SearchRules | null;
}

export const FULL_ACCESS: Identity = { keyIndexes: null, keyActions: null, searchRules: null };

export interface AuthRequest {
  readonly authorization: string | undefined;
  readonly action: string;
  readonly indexUid: string | null;
  readonly masterKey: string | null;
  readonly store: KeyLookup;
  readonly nowMs: number;
}

const TOKEN_ACTIONS: ReadonlySet<string> = new Set(['search', 'chatCompletions']);

export function invalidApiKey(): MeiliError {
  return new MeiliError('invalid_api_key', 'The provided API key is invalid.');
}

function debugList(items: readonly string[]): string {
  return `[${[...items].sort().map((s) => JSON.stringify(s)).join(', ')}]`;
}

export function authorize(req: AuthRequest): Identity {
  if (req.masterKey === null) {
    if (req.action.startsWith('keys.')) {
      throw new MeiliError('missing_master_key', 'Meilisearch is running without a master key. To access this API endpoint, you must have set a master key at launch.');
    }
    return FULL_ACCESS;
  }
  const token = bearerToken(req.authorization);
  if (sameSecret(token, req.masterKey)) return FULL_ACCESS;
  const { uid, searchRules } = identify(token, req);
  const key = req.store.get(uid);
  if (key === undefined) throw invalidApiKey();
  const identity: Identity = { keyIndexes: key.indexes, keyActions: key.actions, searchRules };
  if (req.indexUid !== null) checkIndexScope(identity, req.indexUid);
  const indexOk = req.indexUid === null ? key.indexes.length > 0 : anyPatternMatches(key.indexes, req.indexUid);
  const fresh = key.expiresAtMs === null || req.nowMs < key.expiresAtMs;
  if (!(actionAllowed(key.actions, req.action) && indexOk && fresh)) throw invalidApiKey();
  return identity;
}

function bearerToken(header: string | undefined): string {
  const missing = () => new MeiliError('missing_authorization_header', 'The Authorization header is missing. It must use the bearer authorization method.');
  if (header === undefined) throw missing();
  const space = header.indexOf(' ');
  const scheme = space < 0 ? header : header.slice(0, space);
  if (scheme !== 'Bearer') throw missing();
  if (space < 0) throw invalidApiKey();
  return header.slice(space + 1);
}

function identify(token: string, req: AuthRequest): { uid: string; searchRules: SearchRules | null } {
  if (TOKEN_ACTIONS.has(req.action)) {
    const outcome = verifyTenantToken(token, req.masterKey, Math.floor(req.nowMs / 1000));
    if (outcome.kind === 'valid') return { uid: outcome.apiKeyUid, searchRules: outcome.searchRules };
  }
  const record = req.masterKey === null ? undefined : req.store.findByKey(req.masterKey, token);
  if (record === undefined) throw invalidApiKey();
  return { uid: record.uid, searchRules: null };
}

/** Throws the 403 Meilisearch gives when `indexUid` is outside the caller's scope. */
export function checkIndexScope(identity: Identity, indexUid: string): void {
  const rules = identity.searchRules;
  if (rules !== null && !resolveIndexRule(rules, indexUid).allowed) {
    throw new MeiliError('invalid_api_key', `The provided tenant token cannot acces the index \`${indexUid}\`, allowed indexes are ${debugList(rulePatterns(rules))}.`);
  }
  const keyIndexes = identity.keyIndexes;
  if (keyIndexes !== null && !anyPatternMatches(keyIndexes, indexUid)) {
    if (rules !== null) {
      throw new MeiliError('invalid_api_key', `The API key used to generate this tenant token cannot acces the index \`${indexUid}\`.`);
    }
    throw new MeiliError('invalid_api_key', `The API key cannot acces the index \`${indexUid}\`, authorized indexes are ${debugList(keyIndexes)}.`);
  }
}

/** Whether the caller may see `indexUid` at all (list routes, multi-search). */
export function indexVisible(identity: Identity, indexUid: string): boolean {
  if (identity.keyIndexes !== null && !anyPatternMatches(identity.keyIndexes, indexUid)) return false;
  return identity.searchRules === null || resolveIndexRule(identity.searchRules, indexUid).allowed;
}

/** The tenant-token filter to AND with the user's filter on `indexUid`, or null. */
export function ruleFilterFor(identity: Identity, indexUid: string): unknown {
  if (identity.searchRules === null) return null;
  return resolveIndexRule(identity.searchRules, indexUid).filter;
}

/**
 * Whether the caller may create the index `indexUid` (document and settings
 * writes create a missing index only then: Meilisearch's
 * `allow_index_creation`). The key was checked for expiry by `authorize`.
 */
export function canCreateIndex(identity: Identity, indexUid: string): boolean {
  if (identity.keyActions !== null && !actionAllowed(identity.keyActions, 'indexes.create')) return false;
  return indexVisible(identity, indexUid);
}
