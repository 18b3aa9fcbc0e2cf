// UUIDv7 (RFC 9562) for the `requestUid` of search answers: 48 bits of Unix
// milliseconds, the version and variant bits, and random bits.
// The random bits come from a pool refilled 256 UUIDs at a time: one
// randomBytes call per search cost 15-50 µs here (a getrandom system call
// each time), as much as a small search.
import { randomBytes } from 'node:crypto';

const UUID_BYTES = 16;
const POOL_UUIDS = 256;
let pool = Buffer.alloc(0);
let offset = 0;

function randomUuidBytes(): Buffer {
  if (offset + UUID_BYTES > pool.length) {
    pool = randomBytes(UUID_BYTES * POOL_UUIDS);
    offset = 0;
  }
  // A copy: the caller overwrites the time and version bits.
  const bytes = Buffer.from(pool.subarray(offset, offset + UUID_BYTES));
  offset += UUID_BYTES;
  return bytes;
}

export function uuidV7(nowMs: number): string {
  const bytes = randomUuidBytes();
  let ms = Math.max(0, Math.floor(nowMs));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
