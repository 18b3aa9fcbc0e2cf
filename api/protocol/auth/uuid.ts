// UUID parsing with the `uuid` crate's error messages (used for key uids):
// accepts the simple (32 hex) and hyphenated (8-4-4-4-12) forms, any
// version, and returns the lowercase hyphenated form.

const GROUPS = [8, 4, 4, 4, 12];

export function parseUuid(input: string, fail: (message: string) => Error): string {
  const bad = /[^0-9a-fA-F-]/.exec(input);
  if (bad) throw fail(`invalid character: found \`${bad[0]}\` at ${bad.index}`);
  if (!input.includes('-')) {
    if (input.length !== 32) throw fail(`invalid length: expected length 32 for simple format, found ${input.length}`);
    return hyphenate(input.toLowerCase());
  }
  const groups = input.split('-');
  if (groups.length !== 5) throw fail(`invalid group count: expected 5, found ${groups.length}`);
  groups.forEach((g, i) => {
    if (g.length !== GROUPS[i]) throw fail(`invalid group length in group ${i}: expected ${GROUPS[i]}, found ${g.length}`);
  });
  return input.toLowerCase();
}

function hyphenate(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The canonical form of `input` when it parses as a UUID, null otherwise. */
export function tryParseUuid(input: string): string | null {
  const bad = /[^0-9a-fA-F-]/.test(input);
  if (bad) return null;
  const hex = input.replace(/-/g, '');
  if (hex.length !== 32) return null;
  if (input.includes('-') && !/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(input)) return null;
  return hyphenate(hex.toLowerCase());
}
