// Goal: the simulated clock moves only when ticked and fires timers in due
// order, so code written against Clock replays exactly. Method: schedule,
// cancel and tick by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimClock } from './sim-clock.ts';

test('timers fire in (due, creation) order when ticks pass their due time; cleared ones never fire', () => {
  const clock = new SimClock(10);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push('b'), 25);
  clock.setTimeout(() => fired.push('a'), 5);
  const c = clock.setTimeout(() => fired.push('c'), 15);
  clock.setTimeout(() => fired.push('d'), 25);
  clock.clearTimeout(c);
  clock.tick();
  assert.deepEqual(fired, ['a']);
  assert.equal(clock.nowMs(), 10);
  clock.tick();
  clock.tick();
  assert.deepEqual(fired, ['a', 'b', 'd']);
  assert.equal(clock.ticks, 3);
});
