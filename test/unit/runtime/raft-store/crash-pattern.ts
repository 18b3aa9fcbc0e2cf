// The bytes the crash writer stores for an entry: a length and a fill that
// depend on (index, term), some entries larger than a LevelDB log block
// (32 KiB) so torn writes can cut a record in the middle.
export function entryBytes(index: number, term: number): Uint8Array {
  const size = index % 7 === 0 ? 40_000 + (index % 1000) : 16 + ((index * 31 + term) % 200);
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (index * 7 + term * 13 + i) & 0xff;
  return bytes;
}
