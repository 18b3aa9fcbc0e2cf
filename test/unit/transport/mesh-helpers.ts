// Shared pieces of the peer transport tests: meshes on loopback with port 0,
// and waiting for a mesh event with a deadline (so a test that never sees
// the event fails instead of hanging).
import { realClock } from '../../../runtime/env/real.ts';
import { seededRng } from '../../../runtime/env/rng.ts';
import { PeerMesh, type PeerMeshEvent, type PeerMeshOptions } from '../../../transport/peer/mesh.ts';

export const SECRET = new TextEncoder().encode('a cluster secret of enough bytes');

export function meshOptions(id: string, overrides: Partial<PeerMeshOptions> = {}): PeerMeshOptions {
  return {
    id, secret: SECRET, clock: realClock, rng: seededRng(id.length * 7919 + id.charCodeAt(0)),
    host: '127.0.0.1', port: 0, frameBytesMax: 1 << 20, sendBufferBytesMax: 1 << 20,
    handshakeTimeoutMs: 1000, pingIntervalMs: 5000, reconnect: { baseMs: 20, maxMs: 200 },
    requestTimeoutMs: 2000, requestsPendingMax: 64,
    ...overrides,
  };
}

export function startMesh(id: string, overrides: Partial<PeerMeshOptions> = {}): Promise<PeerMesh> {
  return PeerMesh.start(meshOptions(id, overrides));
}

export function nextEvent(mesh: PeerMesh, match: (e: PeerMeshEvent) => boolean, timeoutMs = 3000): Promise<PeerMeshEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no matching mesh event on ${mesh.id} within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = mesh.subscribe((event) => {
      if (!match(event)) return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}

export function connected(mesh: PeerMesh, peer: string): Promise<unknown> {
  if (mesh.isConnected(peer)) return Promise.resolve();
  return nextEvent(mesh, (e) => e.type === 'peer.connected' && e.peer === peer);
}

/** Links two meshes both ways and waits until each sees the other. */
export async function link(a: PeerMesh, b: PeerMesh): Promise<void> {
  const both = Promise.all([connected(a, b.id), connected(b, a.id)]);
  a.setPeer(b.id, b.url);
  b.setPeer(a.id, a.url);
  await both;
}
