// Escape sequences inside filter values, as the `unescaper` crate that
// Meilisearch's filter parser applies to every value: \b \f \n \r \t \v,
// \' \" \\ \/, \u{…} or \uXXXX, \xHH, and octal \0–\377. Anything else after
// a backslash is an invalid character; unparsable digits are a number error.

export type UnescapeResult =
  | { ok: true; value: string }
  | { ok: false; error: 'incomplete' | 'invalidChar' | 'parseInt' };

const SIMPLE: Record<string, string> = {
  b: '\u0008', f: '\u000c', n: '\n', r: '\r', t: '\t', v: '\u000b', "'": "'", '"': '"', '\\': '\\', '/': '/',
};

class Failure {
  constructor(readonly error: 'incomplete' | 'invalidChar' | 'parseInt') {}
}

export function unescape(text: string): UnescapeResult {
  const chars = [...text];
  let i = 0;
  const next = (): string | undefined => chars[i++];
  let out = '';
  try {
    while (i < chars.length) {
      const c = next()!;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const marker = next();
      if (marker === undefined) throw new Failure('incomplete');
      out += escaped(marker, chars, () => i, (n) => { i = n; });
    }
  } catch (error) {
    if (error instanceof Failure) return { ok: false, error: error.error };
    throw error;
  }
  return { ok: true, value: out };
}

function escaped(marker: string, chars: string[], at: () => number, seek: (n: number) => void): string {
  const simple = SIMPLE[marker];
  if (simple !== undefined) return simple;
  let i = at();
  if (marker === 'u') {
    let digits = '';
    const first = chars[i++];
    if (first === undefined) throw new Failure('incomplete');
    if (first === '{') {
      while (i < chars.length && chars[i] !== '}') digits += chars[i++];
      if (i < chars.length) i++;
    } else {
      digits = first;
      for (let k = 0; k < 3; k++) {
        const d = chars[i++];
        if (d === undefined) throw new Failure('incomplete');
        digits += d;
      }
    }
    seek(i);
    const code = fromStrRadix(digits, 16, 0xffffffff);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new Failure('invalidChar');
    return String.fromCodePoint(code);
  }
  if (marker === 'x') {
    const a = chars[i++];
    const b = chars[i++];
    if (a === undefined || b === undefined) throw new Failure('incomplete');
    seek(i);
    return String.fromCodePoint(fromStrRadix(a + b, 16, 0xff));
  }
  const extra = '0123'.includes(marker) ? 2 : '4567'.includes(marker) ? 1 : -1;
  if (extra < 0) throw new Failure('invalidChar');
  let octal = marker;
  for (let k = 0; k < extra && /^[0-7]$/.test(chars[i] ?? ''); k++) octal += chars[i++];
  seek(i);
  return String.fromCodePoint(fromStrRadix(octal, 8, 0xff));
}

/** Rust `uN::from_str_radix`: an optional `+`, then digits of the radix, within range. */
function fromStrRadix(text: string, radix: 8 | 16, max: number): number {
  const body = text.startsWith('+') ? text.slice(1) : text;
  const pattern = radix === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/;
  if (!pattern.test(body)) throw new Failure('parseInt');
  const value = parseInt(body, radix);
  if (value > max) throw new Failure('parseInt');
  return value;
}
