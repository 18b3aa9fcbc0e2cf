// Goal: keep the layering and determinism rules of STYLE G1 and G5 true as the
// code grows. Method: read every source file as text and check its imports and
// its use of global time and randomness against the rules below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts')) out.push(relative(root, p));
    }
  };
  try {
    walk(join(root, dir));
  } catch {
    return [];
  }
  return out;
}

const orchestrator = ['runtime', 'actors', 'transport', 'api'].flatMap(sources);

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

test('no global time or randomness in orchestrator code outside runtime/env/', () => {
  const banned = /\b(Date\.now|Math\.random|performance\.now|setInterval|setTimeout)\s*\(|new Date\(\s*\)/;
  const offenders = orchestrator
    .filter((f) => !f.startsWith('runtime/env/'))
    .filter((f) => {
      const text = readFileSync(join(root, f), 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '');
      return banned.test(text.replace(/\bclock\.setTimeout\(|\.setTimeout\(/g, ''));
    });
  assert.deepEqual(offenders, []);
});

test('the orchestrator never imports the engine (it is reached only over HTTP)', () => {
  const offenders = orchestrator.filter((f) => importsOf(f).some((i) => i.includes('/engine/')));
  assert.deepEqual(offenders, []);
});

test('pure cores import no I/O', () => {
  const pure = [...sources('runtime/raft'), ...sources('runtime/routing'), ...sources('runtime/merge')].filter(
    (f) => !/driver|level|store-level|log-store-level/.test(f),
  );
  const io = /^(node:|ws$|undici|level|classic-level|fastify)/;
  const offenders = pure.filter((f) => importsOf(f).some((i) => io.test(i)));
  assert.deepEqual(offenders, []);
});

test('layers point one way: runtime and transport do not import actors, api or cli', () => {
  const lower = [...sources('runtime'), ...sources('transport')];
  const offenders = lower.filter((f) =>
    importsOf(f).some((i) => /(^|\/)(actors|cli)\//.test(i) || (/(^|\/)api\//.test(i) && !/api\/(errors|protocol)\//.test(i))),
  );
  assert.deepEqual(offenders, []);
});

// api/protocol holds Meilisearch's request parsing and validation, shared by
// the edge, the runtime and the engine so all three answer a bad request
// alike. It stays a pure layer: no I/O, no framework, nothing above it.
// node:crypto is allowed for HMAC (key derivation, tenant tokens) and
// runtime/assert.ts for invariants: both pure computation.
test('api/protocol is pure: it imports only itself, api/errors, runtime/assert.ts and node:crypto', () => {
  const allowed = /^(api\/(protocol|errors)\/|runtime\/assert\.ts$)/;
  const offenders = sources('api/protocol').filter((f) =>
    importsOf(f).some((i) => i !== 'node:crypto' && !(i.startsWith('.') && allowed.test(join(f, '..', i)))),
  );
  assert.deepEqual(offenders, []);
});

test('the engine imports from api/ only the protocol layer and the error registry', () => {
  const offenders = sources('engine').filter((f) =>
    importsOf(f).some((i) => /(^|\/)api\//.test(i) && !/api\/(errors|protocol)\//.test(i)),
  );
  assert.deepEqual(offenders, []);
});
