// The order of primary keys, used as the last tiebreak of the search merge and
// as the order of merged document lists. Integer ids compare as numbers and
// come before string ids, which compare by code point; a missing id comes last.
import { compareCodePoints } from './facet-value.ts';

export function comparePrimaryKeys(a: unknown, b: unknown): number {
  const ca = classOf(a);
  const cb = classOf(b);
  if (ca !== cb) return ca - cb;
  if (ca === 0) return a === b ? 0 : (a as number) < (b as number) ? -1 : 1;
  if (ca === 1) return compareCodePoints(a as string, b as string);
  return 0;
}

function classOf(value: unknown): number {
  return typeof value === 'number' ? 0 : typeof value === 'string' ? 1 : 2;
}
