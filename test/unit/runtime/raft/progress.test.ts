// Goal: per-follower flow control behaves as the Progress state diagram in
// progress.ts says. Method: drive one Progress through probe, replicate and
// snapshot with direct calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssertionError } from '../../../../runtime/assert.ts';
import { Inflights, Progress } from '../../../../runtime/raft/progress.ts';

test('inflights: bounded, freed by acks in order, one slot freed on demand', () => {
  const w = new Inflights(3);
  w.add(5);
  w.add(7);
  w.add(9);
  assert.equal(w.full(), true);
  assert.throws(() => w.add(10), AssertionError);
  w.freeLE(7);
  assert.equal(w.count, 1);
  w.freeFirstOne();
  assert.equal(w.count, 0);
});

test('probe: one append at a time; rejection backs off using the hint; an ack moves to replicate', () => {
  const pr = new Progress(11, 4, false);
  assert.equal(pr.isPaused(), false);
  pr.probeSent = true;
  assert.equal(pr.isPaused(), true);
  assert.equal(pr.maybeDecrTo(9, 5), false, 'a rejection of another probe is stale');
  assert.equal(pr.maybeDecrTo(10, 5), true);
  assert.equal(pr.next, 6, 'next jumps to hint + 1');
  assert.equal(pr.isPaused(), false);
  assert.equal(pr.maybeUpdate(8), true);
  pr.becomeReplicate();
  assert.equal(pr.next, 9);
});

test('replicate: optimistic next, paused when the window is full, back to match + 1 on rejection', () => {
  const pr = new Progress(1, 2, false);
  pr.becomeReplicate();
  pr.optimisticUpdate(5);
  pr.inflights.add(5);
  pr.optimisticUpdate(9);
  pr.inflights.add(9);
  assert.equal(pr.isPaused(), true);
  assert.equal(pr.maybeDecrTo(0, 0), false, 'rejecting below match is stale');
  assert.equal(pr.maybeDecrTo(5, 2), true);
  assert.equal(pr.next, 1);
});

test('snapshot: paused until acked; probing resumes after the snapshot index', () => {
  const pr = new Progress(1, 2, false);
  pr.becomeSnapshot(50);
  assert.equal(pr.isPaused(), true);
  pr.becomeProbe();
  assert.equal(pr.next, 51);
});
