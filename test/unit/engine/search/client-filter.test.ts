// Goal: remembering parsed filter strings (engine/search/client-filter.ts)
// never changes an answer: every input gives the tree, or the error (message
// and code), that a fresh whole-input parse gives, on the first call and on
// later calls, whatever was remembered from other inputs in between.
// Method: inputs mixing valid strings, blank strings, OR groups, syntax errors,
// CONTAINS (refused only after everything parsed) and wrong element types,
// each parsed twice after a pass over all the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeiliError } from '../../../../api/errors/registry.ts';
import { FilterParseError, parseFilter } from '../../../../api/protocol/filter/parse.ts';
import { parseClientFilter } from '../../../../engine/search/client-filter.ts';

const RESTRICTION = '_miroir_shard IN [0, 3, 6, 9, 12]';
const INPUTS: unknown[] = [
  RESTRICTION,
  [RESTRICTION],
  ['genre = drama', RESTRICTION],
  [['genre = drama', 'genre = horror'], RESTRICTION],
  [['genre = drama', '  '], RESTRICTION],
  ['', '  ', []],
  '   ',
  null,
  ['genre = ', RESTRICTION],
  ['title CONTAINS x', 'genre = '],
  ['title CONTAINS x', RESTRICTION],
  [RESTRICTION, 42],
  [[RESTRICTION, 7]],
  { genre: 'drama' },
  'price 10 TO 20 AND NOT tags = cult OR year > 2000',
];

function outcome(parse: () => unknown): unknown {
  try {
    return { tree: parse() };
  } catch (error) {
    if (error instanceof MeiliError) return { code: error.code, message: error.message };
    if (error instanceof FilterParseError) return { code: error.code ?? 'invalid_search_filter', message: error.message };
    throw error;
  }
}

test('a remembered filter string gives the same tree or error as a fresh parse', () => {
  for (let pass = 0; pass < 2; pass++) {
    for (const input of INPUTS) {
      const fresh = outcome(() => parseFilter(input));
      assert.deepEqual(outcome(() => parseClientFilter(input, 'invalid_search_filter')), fresh, `pass ${pass}: ${JSON.stringify(input)}`);
    }
  }
});
