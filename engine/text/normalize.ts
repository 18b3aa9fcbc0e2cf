// Word normalization, the charabia subset Meilisearch applies to every word it
// indexes or reads in a query: lower-casing, compatibility decomposition, and
// for Latin script the removal of diacritics (café → cafe). Other scripts keep
// their combining marks, because there they change the letter, not decorate it.
// Invariant: normalize(normalize(w)) === normalize(w).

const LATIN_WITH_MARKS = /(\p{Script=Latin})\p{M}+/gu;
const LIGATURES: Record<string, string> = { 'æ': 'ae', 'œ': 'oe', 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ß': 'ss', 'ð': 'd', 'þ': 'th' };
const LIGATURE_RE = /[æœøłđßðþ]/g;

export function normalizeWord(word: string): string {
  const lower = word.toLowerCase();
  // Fast path: plain ASCII needs nothing more.
  if (/^[\x00-\x7f]*$/.test(lower)) return lower;
  const folded = lower.normalize('NFKD').replace(LATIN_WITH_MARKS, '$1').replace(LIGATURE_RE, (c) => LIGATURES[c] ?? c);
  return folded.normalize('NFC').toLowerCase();
}

/** UTF-8 length of a string without allocating a buffer. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { bytes += 4; i++; }
    else bytes += 3;
  }
  return bytes;
}
