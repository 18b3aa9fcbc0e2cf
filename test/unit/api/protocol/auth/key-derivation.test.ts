// Goal: API keys are derived exactly as Meilisearch derives them.
// Method: compare with the key Meilisearch's own test suite prints for
// master key `MASTER_KEY` and the nil uid, and with an HMAC computed by
// openssl in a child process for a random uid.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveKey, keyMatches } from '../../../../../api/protocol/auth/key-derivation.ts';

test('the nil uid under MASTER_KEY gives the key from meilisearch tests/auth/errors.rs', () => {
  assert.equal(deriveKey('MASTER_KEY', '00000000-0000-0000-0000-000000000000'),
    'aeb94973e0b6e912d94165430bbe87dee91a7c4f891ce19050c3910ec96977e9');
});

test('derivation agrees with openssl HMAC-SHA256 over the lowercase uid', () => {
  const uid = randomUUID();
  const out = execFileSync('openssl', ['dgst', '-sha256', '-hmac', 'a-master-key-of-16+'], { input: uid }).toString();
  const expected = out.trim().split(/\s+/).pop();
  assert.equal(deriveKey('a-master-key-of-16+', uid.toUpperCase()), expected);
});

test('keyMatches accepts the derived key and rejects others', () => {
  const uid = randomUUID();
  const key = deriveKey('mk', uid);
  assert.equal(keyMatches('mk', uid, key), true);
  assert.equal(keyMatches('mk', uid, key.toUpperCase()), true);
  assert.equal(keyMatches('other', uid, key), false);
  assert.equal(keyMatches('mk', uid, key.slice(0, 62)), false);
  assert.equal(keyMatches('mk', uid, 'not-hex'), false);
  assert.equal(keyMatches('mk', uid, ''), false);
});
