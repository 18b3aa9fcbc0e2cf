// Shared setup of the engine conformance suite: one real `miroir node` child
// process per test file, the official `meilisearch` client pointed at it,
// and an assertion for Meilisearch-shaped API errors.
import assert from 'node:assert/strict';
import { Meilisearch, MeilisearchApiError } from 'meilisearch';
import { spawnNode, tempDir, type SpawnedNode } from '../../integration/engine/spawn-node.ts';

export const MASTER_KEY = 'conformance-master-key-0123456789';

export interface Fixture {
  node: SpawnedNode;
  client: Meilisearch;
  close(): Promise<void>;
}

export async function startFixture(name: string, args: string[] = []): Promise<Fixture> {
  const dir = tempDir(`conf-${name}`);
  const node = await spawnNode({ dbPath: dir.path, masterKey: MASTER_KEY, args });
  const client = new Meilisearch({ host: node.url, apiKey: MASTER_KEY });
  return {
    node,
    client,
    async close() {
      await node.stop();
      dir.remove();
    },
  };
}

/** Awaits a rejected client call and checks status, code and (optionally) the exact message. */
export async function expectApiError(call: Promise<unknown>, status: number, code: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof MeilisearchApiError, `expected MeilisearchApiError, got ${String(error)}`);
    assert.equal(error.response.status, status);
    assert.equal(error.cause?.code, code);
    assert.equal(error.cause?.link, `https://docs.meilisearch.com/errors#${code}`);
    if (typeof message === 'string') assert.equal(error.cause?.message, message);
    else if (message) assert.match(error.cause?.message ?? '', message);
    return true;
  });
}

/** A raw request with the master key, for what the client cannot send (bad bodies, headers). */
export async function raw(fixture: Fixture, path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${MASTER_KEY}`);
  const res = await fetch(`${fixture.node.url}${path}`, { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

export function errorBody(code: string, message: string) {
  return { message, code, type: 'invalid_request', link: `https://docs.meilisearch.com/errors#${code}` };
}
