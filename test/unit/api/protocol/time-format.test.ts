// Goal: task dates and durations print exactly as Meilisearch prints them
// (API.md §0), and task filter dates parse both accepted forms. Method: known instants and durations against hand-written strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIsoDuration, formatRfc3339, parseFilterDate } from '../../../../api/protocol/time-format.ts';

test('RFC 3339: trailing fraction zeros trimmed, no fraction when whole', () => {
  assert.equal(formatRfc3339(Date.UTC(2024, 7, 8, 17, 5, 55, 791)), '2024-08-08T17:05:55.791Z');
  assert.equal(formatRfc3339(Date.UTC(2024, 7, 8, 17, 5, 55, 790)), '2024-08-08T17:05:55.79Z');
  assert.equal(formatRfc3339(Date.UTC(2024, 7, 8, 17, 5, 55, 0)), '2024-08-08T17:05:55Z');
});

test('ISO 8601 durations with millisecond precision; negative is null', () => {
  assert.equal(formatIsoDuration(9), 'PT0.009S');
  assert.equal(formatIsoDuration(1000), 'PT1S');
  assert.equal(formatIsoDuration(0), 'PT0S');
  assert.equal(formatIsoDuration(86_400_000 + 3500), 'P1DT3.500S');
  assert.equal(formatIsoDuration(-1), null);
});

test('filter dates: YYYY-MM-DD and RFC 3339, anything else refused', () => {
  assert.deepEqual(parseFilterDate('2024-01-02'), { ms: Date.UTC(2024, 0, 2), dateOnly: true });
  assert.deepEqual(parseFilterDate('2024-01-02T03:04:05.5+01:00'), { ms: Date.UTC(2024, 0, 2, 2, 4, 5, 500), dateOnly: false });
  assert.equal(parseFilterDate('yesterday'), null);
  assert.equal(parseFilterDate('2024-13-45'), null);
});
