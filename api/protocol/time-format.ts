// Meilisearch's date and duration formats (API.md §0), computed from epoch
// milliseconds, for the engine and the edge alike. Dates are RFC 3339 UTC with a `Z`, fractional seconds with
// trailing zeros removed and left out when zero. Durations are ISO 8601
// `P[nD]T<secs>[.frac]S` with a 3-digit fraction at millisecond precision.

import { assert } from '../../runtime/assert.ts';

export function formatRfc3339(ms: number): string {
  assert(Number.isSafeInteger(ms), 'dates are integer epoch milliseconds');
  // new Date(ms) is a pure conversion of the given instant, not a clock read.
  const iso = new Date(ms).toISOString(); // 2024-08-08T17:05:55.790Z
  const [whole, fraction = ''] = iso.slice(0, -1).split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed.length > 0 ? `${whole}.${trimmed}Z` : `${whole}Z`;
}

export function formatIsoDuration(ms: number): string | null {
  if (ms < 0) return null; // Meilisearch serializes a negative duration as null.
  const days = Math.floor(ms / 86_400_000);
  const rest = ms - days * 86_400_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest % 1000;
  const secs = millis === 0 ? `${seconds}` : `${seconds}.${String(millis).padStart(3, '0')}`;
  if (days > 0 && rest === 0) return `P${days}D`;
  return `${days > 0 ? `P${days}D` : 'P'}T${secs}S`;
}

/**
 * Parses a task date filter value: `YYYY-MM-DD` or RFC 3339. Returns epoch ms
 * and whether only a date was given (an `after` bound then starts the next day).
 */
export function parseFilterDate(value: string): { ms: number; dateOnly: boolean } | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const ms = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(ms) ? null : { ms, dateOnly: true };
  }
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(value)) return null;
  const ms = Date.parse(value.replace(' ', 'T'));
  return Number.isNaN(ms) ? null : { ms, dateOnly: false };
}
