// Goal: dates and durations print as Meilisearch prints them (API.md §0), and
// task filter dates parse both accepted forms. Method: fixed inputs against
// literal expected strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDate, formatDuration, parseFilterDate } from '../../../../engine/tasks/time-format.ts';

test('RFC 3339 dates: Z suffix, trailing zeros trimmed, no fraction when zero', () => {
  assert.equal(formatDate(Date.UTC(2024, 7, 8, 17, 5, 55, 791)), '2024-08-08T17:05:55.791Z');
  assert.equal(formatDate(Date.UTC(2024, 7, 8, 17, 5, 55, 500)), '2024-08-08T17:05:55.5Z');
  assert.equal(formatDate(Date.UTC(2024, 7, 8, 17, 5, 55, 0)), '2024-08-08T17:05:55Z');
});

test('ISO 8601 durations: seconds with a 3-digit fraction, days, null when negative', () => {
  assert.equal(formatDuration(9), 'PT0.009S');
  assert.equal(formatDuration(1000), 'PT1S');
  assert.equal(formatDuration(0), 'PT0S');
  assert.equal(formatDuration(86_400_000 + 3500), 'P1DT3.500S');
  assert.equal(formatDuration(86_400_000), 'P1D');
  assert.equal(formatDuration(-1), null);
});

test('filter dates: YYYY-MM-DD and RFC 3339, anything else refused', () => {
  assert.deepEqual(parseFilterDate('2024-01-02'), { ms: Date.UTC(2024, 0, 2), dateOnly: true });
  assert.deepEqual(parseFilterDate('2024-01-02T03:04:05.5+01:00'), { ms: Date.UTC(2024, 0, 2, 2, 4, 5, 500), dateOnly: false });
  assert.equal(parseFilterDate('yesterday'), null);
  assert.equal(parseFilterDate('2024-13-45'), null);
});
