// Goal: tenant tokens made by the official client verify, and tampered,
// expired, wrongly signed or wrong-algorithm tokens fail with Meilisearch's
// messages; search rules resolve to the most specific pattern.
// Method: generate tokens with `meilisearch/token`, then mutate them.
import { createHmac } from 'node:crypto';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateTenantToken } from 'meilisearch/token';
import { MeiliError } from '../../../../../api/errors/registry.ts';
import { deriveKey } from '../../../../../api/protocol/auth/key-derivation.ts';
import { fuseFilters, parseSearchRules, resolveIndexRule } from '../../../../../api/protocol/auth/search-rules.ts';
import { verifyTenantToken } from '../../../../../api/protocol/auth/tenant-token.ts';

const MASTER = 'masterKey';
const UID = '6062abda-a5aa-4414-ac91-ecd7944c0f8d';
const KEY = deriveKey(MASTER, UID);
const NOW = 1_700_000_000;

function rejects(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof MeiliError && e.code === 'invalid_api_key' && e.message === message);
}

test('HS256, HS384 and HS512 tokens from the official client verify', async () => {
  for (const algorithm of ['HS256', 'HS384', 'HS512'] as const) {
    const token = await generateTenantToken({ apiKey: KEY, apiKeyUid: UID, searchRules: { movies: { filter: 'genre = x' } }, algorithm });
    const outcome = verifyTenantToken(token, MASTER, NOW);
    assert.equal(outcome.kind, 'valid');
    if (outcome.kind !== 'valid') return;
    assert.equal(outcome.apiKeyUid, UID);
    assert.deepEqual(resolveIndexRule(outcome.searchRules, 'movies'), { allowed: true, filter: 'genre = x' });
    assert.equal(resolveIndexRule(outcome.searchRules, 'books').allowed, false);
  }
});

test('a hex API key is not a token', () => {
  assert.deepEqual(verifyTenantToken(KEY, MASTER, NOW), { kind: 'not-a-token' });
});

test('a token signed with another secret fails with InvalidSignature', async () => {
  const token = await generateTenantToken({ apiKey: deriveKey('other', UID), apiKeyUid: UID });
  rejects(() => verifyTenantToken(token, MASTER, NOW), 'Could not decode tenant token, InvalidSignature.');
});

test('a tampered payload fails with InvalidSignature', async () => {
  const token = await generateTenantToken({ apiKey: KEY, apiKeyUid: UID, searchRules: ['movies'] });
  const [h, , s] = token.split('.');
  const payload = Buffer.from(JSON.stringify({ searchRules: ['*'], apiKeyUid: UID })).toString('base64url');
  rejects(() => verifyTenantToken(`${h}.${payload}.${s}`, MASTER, NOW), 'Could not decode tenant token, InvalidSignature.');
});

test('an expired token fails with the expiry message', async () => {
  const token = await generateTenantToken({ apiKey: KEY, apiKeyUid: UID, expiresAt: NOW - 10 });
  rejects(() => verifyTenantToken(token, MASTER, NOW), `Tenant token expired. Was valid up to \`${NOW - 10}\` and we're now \`${NOW}\`.`);
  assert.equal(verifyTenantToken(token, MASTER, NOW - 10).kind, 'valid');
});

test('a non-HMAC algorithm fails with InvalidAlgorithm', () => {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ searchRules: ['*'], apiKeyUid: UID })).toString('base64url');
  const sig = createHmac('sha256', KEY).update(`${header}.${payload}`).digest('base64url');
  rejects(() => verifyTenantToken(`${header}.${payload}.${sig}`, MASTER, NOW), 'Could not decode tenant token, InvalidAlgorithm.');
});

test('missing claims fail like serde_json reports them', () => {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const mk = (claims: unknown) => `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
  rejects(() => verifyTenantToken(mk({ tamo: 'kefir' }), MASTER, NOW),
    'Could not decode tenant token, JSON error: missing field `searchRules` at line 1 column 16.');
  rejects(() => verifyTenantToken(mk({ searchRules: 'kefir' }), MASTER, NOW),
    'Could not decode tenant token, JSON error: data did not match any variant of untagged enum SearchRules at line 1 column 23.');
});

test('the most specific search rule wins, null rules carry no filter', () => {
  const rules = parseSearchRules({ '*': { filter: 'a = 1' }, 'mov*': { filter: 'b = 2' }, movies: null, 'movies_*': { filter: 'c = 3' } });
  assert.ok(rules);
  assert.deepEqual(resolveIndexRule(rules, 'books'), { allowed: true, filter: 'a = 1' });
  assert.deepEqual(resolveIndexRule(rules, 'movie'), { allowed: true, filter: 'b = 2' });
  assert.deepEqual(resolveIndexRule(rules, 'movies'), { allowed: true, filter: null });
  assert.deepEqual(resolveIndexRule(rules, 'movies_fr'), { allowed: true, filter: 'c = 3' });
  assert.equal(parseSearchRules(['bad pattern']), null);
  assert.equal(parseSearchRules('kefir'), null);
});

test('fuseFilters ANDs both sides as one outer array', () => {
  assert.deepEqual(fuseFilters('a = 1', 'b = 2'), ['a = 1', 'b = 2']);
  assert.deepEqual(fuseFilters(['a = 1', ['x', 'y']], 'b = 2'), ['a = 1', ['x', 'y'], 'b = 2']);
  assert.equal(fuseFilters(null, 'b = 2'), 'b = 2');
  assert.equal(fuseFilters('a = 1', null), 'a = 1');
  assert.equal(fuseFilters(undefined, null), null);
});

test('any token the official client makes verifies to the rules it carries (seeded property)', async () => {
  const fc = (await import('fast-check')).default;
  const pattern = fc.stringMatching(/^[a-z0-9_-]{1,8}\*?$/);
  await fc.assert(fc.asyncProperty(
    fc.constantFrom('HS256' as const, 'HS384' as const, 'HS512' as const),
    fc.dictionary(pattern, fc.option(fc.record({ filter: fc.constantFrom('a = 1', 'b > 2') }), { nil: null }), { maxKeys: 4 }),
    fc.integer({ min: NOW + 1, max: NOW + 1_000_000 }),
    async (algorithm, rules, expiresAt) => {
      const token = await generateTenantToken({ apiKey: KEY, apiKeyUid: UID, searchRules: rules, algorithm, expiresAt });
      const outcome = verifyTenantToken(token, MASTER, NOW);
      assert.equal(outcome.kind, 'valid');
      if (outcome.kind !== 'valid') return;
      for (const [p, rule] of Object.entries(rules)) {
        const uid = p.endsWith('*') ? `${p.slice(0, -1)}x` : p;
        assert.equal(resolveIndexRule(outcome.searchRules, uid).allowed, true);
        if (!p.endsWith('*')) assert.equal(resolveIndexRule(outcome.searchRules, uid).filter, rule?.filter ?? null);
      }
    }), { seed: 7, numRuns: 60 });
});
