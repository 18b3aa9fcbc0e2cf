// The body of a `health` gossip frame: this peer's own observations of the
// nodes, each dated by its age. The bytes come from another process, so
// decoding validates every field and returns a result instead of asserting
// (STYLE G15); a peer that sends a bad digest is ignored, not trusted.
import { packValue, unpackValue } from '../cluster/msgpack.ts';
import { OBSERVED_STATUSES, type GossipEntry, type ObservedStatus } from '../health/view.ts';

export const HEALTH_TOPIC = 'health';
const DIGEST_VERSION = 1;
/** More than any cluster holds (64 groups × 1024 nodes); a longer digest is refused. */
export const DIGEST_ENTRIES_MAX = 65_536;
const NODE_ID_LENGTH_MAX = 64;

export function encodeHealthDigest(entries: readonly GossipEntry[]): Uint8Array {
  return packValue({ v: DIGEST_VERSION, entries: entries.map((e) => [e.nodeId, e.status, e.latencyEwmaMs, e.ageMs]) });
}

export type DigestResult = { ok: true; entries: GossipEntry[] } | { ok: false; reason: string };

export function decodeHealthDigest(bytes: Uint8Array): DigestResult {
  let value: unknown;
  try {
    value = unpackValue(bytes);
  } catch (error) {
    return { ok: false, reason: `not msgpack: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null) return { ok: false, reason: 'the digest is not an object' };
  const { v, entries } = value as { v?: unknown; entries?: unknown };
  if (v !== DIGEST_VERSION) return { ok: false, reason: `unknown digest version ${JSON.stringify(v)}` };
  if (!Array.isArray(entries) || entries.length > DIGEST_ENTRIES_MAX) return { ok: false, reason: 'entries is not a list within bounds' };
  const out: GossipEntry[] = [];
  for (const [i, raw] of entries.entries()) {
    const entry = entryOf(raw);
    if (entry === null) return { ok: false, reason: `entries[${i}] is not [nodeId, status, latencyEwmaMs|null, ageMs]` };
    out.push(entry);
  }
  return { ok: true, entries: out };
}

function entryOf(raw: unknown): GossipEntry | null {
  if (!Array.isArray(raw) || raw.length !== 4) return null;
  const [nodeId, status, latencyEwmaMs, ageMs] = raw as unknown[];
  if (typeof nodeId !== 'string' || nodeId.length === 0 || nodeId.length > NODE_ID_LENGTH_MAX) return null;
  if (!OBSERVED_STATUSES.includes(status as ObservedStatus)) return null;
  if (latencyEwmaMs !== null && !(typeof latencyEwmaMs === 'number' && Number.isFinite(latencyEwmaMs) && latencyEwmaMs >= 0)) return null;
  if (typeof ageMs !== 'number' || !Number.isFinite(ageMs) || ageMs < 0) return null;
  return { nodeId, status: status as ObservedStatus, latencyEwmaMs, ageMs };
}
