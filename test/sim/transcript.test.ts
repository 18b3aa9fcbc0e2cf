// Goal: the protocol's exact message flow in scenarios worth reading —
// elections with and without pre-vote, check-quorum, membership changes,
// leadership transfer, ReadIndex — stays as reviewed (STYLE G7). Method: run
// each test/sim/testdata/*.txt script through the interpreter and compare the
// regenerated transcript with the file; MIROIR_REWRITE=1 writes it back
// (commit such a diff only when you understand it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Interpreter } from './transcript/interpreter.ts';

const dir = new URL('./testdata/', import.meta.url).pathname;
const rewrite = process.env.MIROIR_REWRITE === '1' || process.argv.includes('--rewrite');

for (const name of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
  test(`transcript ${name}`, () => {
    const path = join(dir, name);
    const script = readFileSync(path, 'utf8');
    const actual = new Interpreter().run(script);
    if (rewrite) writeFileSync(path, actual);
    else assert.equal(actual, script);
  });
}
