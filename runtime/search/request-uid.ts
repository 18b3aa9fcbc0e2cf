// The `requestUid` of a search answer (API.md §4.2): a UUIDv7 (RFC 9562) made
// of the injected clock's Unix milliseconds (48 bits), the version and
// variant bits, and 74 bits from the peer's seeded Rng (STYLE G5).
import type { Clock, Rng } from '../env/clock.ts';

export function requestUid(clock: Clock, rng: Rng): string {
  const bytes = new Array<number>(16);
  let ms = Math.max(0, Math.floor(clock.nowMs()));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  for (let i = 6; i < 16; i++) bytes[i] = rng.int(256);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
