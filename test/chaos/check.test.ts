// The chaos run's judgement of what it read back (chaos/check.ts judge), on
// hand-made sightings: goal, that each way a cluster can lose or corrupt an
// acknowledged write is reported (missing, stale version, deleted yet there,
// doubled, never written), and that an uncertain id — its last write never
// acknowledged — passes in either state but not doubled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyExpectation, judge, type Seen } from '../../chaos/check.ts';

function expectation(): ReturnType<typeof emptyExpectation> {
  const e = emptyExpectation();
  for (const id of ['a', 'b', 'c', 'd', 'u1', 'u2']) e.known.add(id);
  e.present.set('a', 1).set('b', 2).set('u1', 1);
  e.deleted.add('c').add('u2');
  e.uncertain.add('u1').add('u2');
  return e;
}

const seen = (entries: Array<[string, number, number?]>): Seen => new Map(entries.map(([id, version, count]) => [id, { version, count: count ?? 1 }]));

test('the expected documents, each once at its version, pass; uncertain ids pass either way', () => {
  assert.deepEqual(judge('listing', expectation(), seen([['a', 1], ['b', 2]])), []);
  assert.deepEqual(judge('listing', expectation(), seen([['a', 1], ['b', 2], ['u1', 2], ['u2', 1]])), []);
});

test('every kind of fault is reported, with the ids', () => {
  const problems = judge('listing', expectation(), seen([['b', 1], ['c', 1], ['u1', 1, 2], ['zz', 1]]));
  assert.deepEqual(problems, [
    'listing: 1 acknowledged documents missing: a',
    'listing: 1 documents at another version than acknowledged: b v1≠v2',
    'listing: 1 deleted documents still there: c',
    'listing: 1 documents more than once: u1×2',
    'listing: 1 documents never written: zz',
  ]);
});
