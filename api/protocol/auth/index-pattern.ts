// Index uid patterns of API keys and tenant-token search rules (API.md §9):
// `*` (every index), an exact uid, or a prefix ending in `*`. A pattern is
// an index uid (alphanumerics, `-`, `_`) optionally followed by one `*`.

const PATTERN_RE = /^[A-Za-z0-9_-]*\*?$/;

export function isValidIndexPattern(pattern: string): boolean {
  return pattern.length > 0 && PATTERN_RE.test(pattern) && Buffer.byteLength(pattern) <= 400;
}

export function indexPatternError(pattern: string): string {
  return `\`${pattern}\` is not a valid index uid pattern. Index uid patterns can be an integer or a string containing only alphanumeric characters, hyphens (-), underscores (_), and optionally end with a star (*).`;
}

export function patternMatches(pattern: string, indexUid: string): boolean {
  if (pattern.endsWith('*')) return indexUid.startsWith(pattern.slice(0, -1));
  return pattern === indexUid;
}

export function anyPatternMatches(patterns: Iterable<string>, indexUid: string): boolean {
  for (const pattern of patterns) if (patternMatches(pattern, indexUid)) return true;
  return false;
}

export function isExactPattern(pattern: string): boolean {
  return !pattern.endsWith('*');
}
