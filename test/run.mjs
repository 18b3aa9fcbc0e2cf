// Runs the test suite: the typecheck first, then every *.test.ts under the
// given folders (default: all of test/) with node:test and the tsx loader.
// Node 20's --test does not expand globs nor pick up .ts files by itself, so
// the files are collected here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const skipTypecheck = process.argv.includes('--no-typecheck');

function collect(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'testdata' && name !== 'node_modules') collect(path, out);
    } else if (name.endsWith('.test.ts')) {
      out.push(path);
    }
  }
  return out;
}

if (!skipTypecheck && roots.length === 0) {
  const tsc = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
  if (tsc.status !== 0) {
    console.error('typecheck failed');
    process.exit(tsc.status ?? 1);
  }
}

const files = (roots.length ? roots : ['test']).flatMap((r) =>
  statSync(r).isDirectory() ? collect(r, []) : [r],
);
const run = spawnSync(
  process.execPath,
  // A test that hangs fails after 10 minutes instead of holding CI to its limit.
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', ...files],
  { stdio: 'inherit', env: process.env },
);
process.exit(run.status ?? 1);
