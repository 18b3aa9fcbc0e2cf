// Goal: actions and index patterns grant exactly what API.md §9.1 says.
// Method: table of (granted, required) → allowed, plus pattern matching cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionAllowed, isAction } from '../../../../../api/protocol/auth/actions.ts';
import { isValidIndexPattern, patternMatches } from '../../../../../api/protocol/auth/index-pattern.ts';

test('wildcard actions expand as Meilisearch expands them', () => {
  const cases: Array<[string[], string, boolean]> = [
    [['*'], 'documents.add', true],
    [['*'], 'keys.get', true],
    [['*'], 'search', true],
    [['search'], 'search', true],
    [['search'], 'documents.add', false],
    [['documents.*'], 'documents.add', true],
    [['documents.*'], 'documents.delete', true],
    [['documents.*'], 'indexes.create', false],
    [['indexes.*'], 'indexes.swap', true],
    [['*.get'], 'documents.get', true],
    [['*.get'], 'settings.get', true],
    [['*.get'], 'keys.get', false],
    [['*.get'], 'documents.add', false],
    [['*.get', 'keys.get'], 'keys.get', true],
    [['tasks.*'], 'tasks.cancel', true],
    [[], 'search', false],
  ];
  for (const [granted, required, expected] of cases) {
    assert.equal(actionAllowed(granted, required), expected, `${granted.join(',')} → ${required}`);
  }
});

test('isAction knows the accepted names only', () => {
  assert.equal(isAction('documents.add'), true);
  assert.equal(isAction('*.get'), true);
  assert.equal(isAction('doc.add'), false);
});

test('index patterns: *, exact and prefix*', () => {
  assert.equal(patternMatches('*', 'anything'), true);
  assert.equal(patternMatches('movies', 'movies'), true);
  assert.equal(patternMatches('movies', 'movies2'), false);
  assert.equal(patternMatches('mov*', 'movies'), true);
  assert.equal(patternMatches('mov*', 'mo'), false);
  assert.equal(isValidIndexPattern('products_*'), true);
  assert.equal(isValidIndexPattern('good doggo'), false);
  assert.equal(isValidIndexPattern('a*b'), false);
  assert.equal(isValidIndexPattern(''), false);
});
