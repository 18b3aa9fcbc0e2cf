// Goal: the image the Dockerfile builds can run every `miroir` command: each
// module the CLI loads is in a folder the Dockerfile copies and .dockerignore
// lets through, and each package it imports is a production dependency
// (`npm ci --omit=dev` installs nothing else). The image itself cannot be
// built here (no Docker daemon, no registry for the base image); this checks
// what would make it fail at run time.
// Method: follow the static imports from cli/bin.js and every cli/commands/*.ts
// (main.ts loads commands by name) through the sources, as tsx would resolve
// them, and compare with the Dockerfile's COPY lines and package.json.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(new URL('../../../', import.meta.url).pathname);
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };

/** Top-level folders and files the Dockerfile copies into /app. */
const copied = new Set([...dockerfile.matchAll(/^COPY\s+(.+?)\s+\S+\s*$/gm)].flatMap((m) => (m[1] ?? '').split(/\s+/)).map((p) => p.replace(/\/$/, '')));

/** Import specifiers of a module that load at run time (`import type` is erased by tsx). */
function specifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/^\s*(import|export)\s+(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/gm)) out.push(m[2] as string);
  for (const m of source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push(m[1] as string);
  for (const m of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1] as string);
  return out;
}

const packageOf = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const isBuiltin = (specifier: string): boolean => specifier.startsWith('node:') || builtinModules.includes(specifier);

function closure(entries: string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [...entries];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        assert.ok(existsSync(target), `${relative(ROOT, file)} imports ${specifier}, which does not exist`);
        queue.push(target);
      } else if (!isBuiltin(specifier)) packages.add(packageOf(specifier));
    }
  }
  return { files, packages };
}

const commands = readdirSync(join(ROOT, 'cli/commands')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => join(ROOT, 'cli/commands', f));
const { files, packages } = closure([join(ROOT, 'cli/bin.js'), join(ROOT, 'cli/main.ts'), ...commands]);

test('every module the CLI loads is copied into the image and not ignored', () => {
  assert.ok(files.size > 50, `the import walk found only ${files.size} modules`);
  const excludedFolders = dockerignore.filter((l) => !l.startsWith('!') && l !== '*');
  for (const file of files) {
    const path = relative(ROOT, file);
    const top = path.split('/')[0] as string;
    assert.ok(copied.has(top), `${path} is loaded by the CLI but the Dockerfile does not copy ${top}/`);
    assert.ok(dockerignore.includes(`!${top}`), `${top}/ is not re-included in .dockerignore`);
    assert.ok(!/\.test\.ts$/.test(path) && !path.split('/').includes('testdata'), `${path} is excluded by .dockerignore: ${excludedFolders.join(' ')}`);
  }
});

test('every package the CLI imports is a production dependency', () => {
  const production = new Set(Object.keys(pkg.dependencies ?? {}));
  assert.ok(packages.has('tsx'), 'cli/bin.js registers tsx at run time');
  for (const name of packages) {
    assert.ok(production.has(name), `${name} is imported at run time but is not in package.json dependencies (npm ci --omit=dev leaves it out)`);
  }
});

test('the image runs as the non-root uid the chart expects, under tini, with the miroir entrypoint', () => {
  assert.match(dockerfile, /^FROM node:20-[a-z]+-slim$/m);
  assert.match(dockerfile, /npm ci --omit=dev/);
  assert.match(dockerfile, /^USER node$/m);
  assert.match(dockerfile, /^ENTRYPOINT \["\/usr\/bin\/tini", "--", "miroir"\]$/m);
  assert.ok(copied.has('package.json') && copied.has('package-lock.json'), 'npm ci needs the lock file');
  const chartStatefulSet = readFileSync(join(ROOT, 'charts/miroir/templates/peer-statefulset.yaml'), 'utf8');
  assert.match(chartStatefulSet, /runAsUser: 1000/, 'the node user of the base image is uid 1000');
});
