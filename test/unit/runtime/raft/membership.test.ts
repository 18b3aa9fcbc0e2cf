// Goal: single-server membership changes (thesis §4.1) are applied
// idempotently and refused when they make no sense, and the tracker knows
// the membership at any applied index (for snapshots). Method: direct calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfTracker, applyChange, refusal } from '../../../../runtime/raft/membership.ts';

const conf = { voters: ['1', '2', '3'], learners: ['4'] };

test('applyChange: add, promote, remove; applying twice changes nothing', () => {
  const promoted = applyChange(conf, { kind: 'addVoter', peer: '4' });
  assert.deepEqual(promoted, { voters: ['1', '2', '3', '4'], learners: [] });
  assert.deepEqual(applyChange(promoted, { kind: 'addVoter', peer: '4' }), promoted);
  assert.deepEqual(applyChange(conf, { kind: 'addLearner', peer: '5' }), { voters: ['1', '2', '3'], learners: ['4', '5'] });
  assert.deepEqual(applyChange(conf, { kind: 'addLearner', peer: '1' }), conf, 'no demotion');
  assert.deepEqual(applyChange(conf, { kind: 'removePeer', peer: '2' }), { voters: ['1', '3'], learners: ['4'] });
});

test('refusal: no-op and unsafe changes are refused with a reason', () => {
  assert.match(refusal(conf, { kind: 'addVoter', peer: '1' }) ?? '', /already a voter/);
  assert.match(refusal(conf, { kind: 'addLearner', peer: '1' }) ?? '', /demotion/);
  assert.match(refusal(conf, { kind: 'addLearner', peer: '4' }) ?? '', /already a learner/);
  assert.match(refusal(conf, { kind: 'removePeer', peer: '9' }) ?? '', /not a member/);
  assert.match(refusal({ voters: ['1'], learners: [] }, { kind: 'removePeer', peer: '1' }) ?? '', /last voter/);
  assert.equal(refusal(conf, { kind: 'addVoter', peer: '4' }), null);
  assert.equal(refusal(conf, { kind: 'removePeer', peer: '4' }), null);
});

test('ConfTracker: the membership at an index, across compaction and restore', () => {
  const t = new ConfTracker({ voters: ['1'], learners: [] });
  t.apply(3, { kind: 'addLearner', peer: '2' });
  t.apply(5, { kind: 'addVoter', peer: '2' });
  assert.deepEqual(t.at(2), { voters: ['1'], learners: [] });
  assert.deepEqual(t.at(4), { voters: ['1'], learners: ['2'] });
  assert.deepEqual(t.at(9), { voters: ['1', '2'], learners: [] });
  t.compact(4, t.at(4));
  assert.deepEqual(t.at(4), { voters: ['1'], learners: ['2'] });
  assert.deepEqual(t.current, { voters: ['1', '2'], learners: [] });
  t.restore({ voters: ['7'], learners: [] });
  assert.deepEqual(t.at(100), { voters: ['7'], learners: [] });
});
