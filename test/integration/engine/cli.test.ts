// Goal: `miroir node` behaves as an operator expects: --help, a banner, a
// clean exit on SIGTERM, and a one-line error with a non-zero exit for a
// port in use or an unusable data directory. Method: run the real command as
// a child process.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, spawnNode, tempDir } from './spawn-node.ts';

const dir = tempDir('cli');
after(() => dir.remove());

test('--help lists the Meilisearch flags and exits 0', async () => {
  const { code, stdout } = await runCli(['node', '--help']);
  assert.equal(code, 0);
  for (const flag of ['--http-addr', '--db-path', '--master-key', '--http-payload-size-limit']) assert.ok(stdout.includes(flag), flag);
});

test('banner, port in use, data directory held by another node, clean SIGTERM', async () => {
  const node = await spawnNode({ dbPath: join(dir.path, 'a') });
  try {
    assert.match(node.output(), /listening on http:\/\/127\.0\.0\.1:\d+/);
    const addr = node.url.replace('http://', '');
    const second = await runCli(['node', '--http-addr', addr, '--db-path', join(dir.path, 'b')]);
    assert.equal(second.code, 1);
    const lines = second.stderr.trim().split('\n');
    assert.equal(lines.length, 1, second.stderr);
    assert.match(lines[0] as string, /^miroir node: cannot listen on 127\.0\.0\.1:\d+: .*(EADDRINUSE|in use)/);
    const held = await runCli(['node', '--http-addr', '127.0.0.1:0', '--db-path', join(dir.path, 'a')]);
    assert.equal(held.code, 1);
    assert.match(held.stderr, /^miroir node: cannot open data directory/);
  } finally {
    assert.equal(await node.stop(), 0);
  }
});

test('an unusable data directory is a one-line error', async () => {
  const file = join(dir.path, 'not-a-dir');
  writeFileSync(file, 'x');
  const res = await runCli(['node', '--http-addr', '127.0.0.1:0', '--db-path', file]);
  assert.equal(res.code, 1);
  assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
  assert.match(res.stderr, /^miroir node: cannot use data directory/);
});
