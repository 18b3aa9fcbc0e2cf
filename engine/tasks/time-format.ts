// Dates and durations as Meilisearch prints them (API.md §0): RFC 3339 in UTC
// with a `Z`, fractional seconds without trailing zeros and left out when
// zero; durations in ISO 8601 `P[nD]T<secs>[.frac]S` with 3, 6 or 9 fraction
// digits (the shortest exact one), and null when negative. The engine keeps
// times in epoch milliseconds, so fractions here have at most 3 digits.

/** RFC 3339 in UTC: `2024-08-08T17:05:55.791Z`, `2024-08-08T17:05:55Z`. */
export function formatDate(ms: number): string {
  const iso = new Date(ms).toISOString(); // always YYYY-MM-DDTHH:MM:SS.mmmZ
  const [head, frac] = iso.slice(0, -1).split('.');
  const trimmed = (frac ?? '').replace(/0+$/, '');
  return trimmed ? `${head}.${trimmed}Z` : `${head}Z`;
}

/** ISO 8601 duration of a millisecond count, Meilisearch style; null when negative. */
export function formatDuration(ms: number): string | null {
  if (ms < 0) return null;
  const totalMs = Math.round(ms);
  const days = Math.floor(totalMs / 86_400_000);
  const restMs = totalMs - days * 86_400_000;
  const secs = Math.floor(restMs / 1000);
  const millis = restMs % 1000;
  const dayPart = days > 0 ? `${days}D` : '';
  if (days > 0 && restMs === 0) return `P${dayPart}`;
  const secPart = millis === 0 ? `${secs}` : `${secs}.${String(millis).padStart(3, '0')}`;
  return `P${dayPart}T${secPart}S`;
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
