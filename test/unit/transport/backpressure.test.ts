// Goal: back-pressure on a peer link (STYLE G14): when the other side stops
// reading, send() starts returning false once the unflushed bytes reach
// sendBufferBytesMax, nothing refused is ever delivered, the buffer never
// holds more than the bound, and drained() resolves once the reader resumes.
// Method: a real PeerMesh dials a hand-held acceptor (PeerConnection.accept on
// a ws server on loopback) whose TCP socket the test pauses and resumes; the
// kernel buffers fill first, then the mesh's own bound takes over.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Socket } from 'node:net';
import { PeerConnection } from '../../../transport/peer/connection.ts';
import type { SessionFrame } from '../../../transport/peer/frames.ts';
import { realClock } from '../../../runtime/env/real.ts';
import { SECRET, connected, startMesh } from './mesh-helpers.ts';

const BOUND = 256 * 1024;
const FRAME = 16 * 1024;

test('send() refuses beyond the buffer bound while the peer does not read, and recovers after drained()', async (t) => {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  const accepted = new Promise<{ link: PeerConnection; ws: WebSocket }>((resolve) => {
    server.once('connection', (ws) => {
      const options = {
        selfId: 'z9', secret: SECRET, clock: realClock, frameBytesMax: 1 << 20, sendBufferBytesMax: 1 << 20,
        handshakeTimeoutMs: 1000, pingIntervalMs: 60_000,
      };
      void PeerConnection.accept(ws, options, () => null).then((link) => resolve({ link, ws }));
    });
  });
  const a = await startMesh('a9', { sendBufferBytesMax: BOUND, pingIntervalMs: 60_000 });
  t.after(async () => { await a.close(); server.close(); });

  a.setPeer('z9', `ws://127.0.0.1:${port}/`);
  const { link, ws } = await accepted;
  await connected(a, 'z9');
  const received: number[] = [];
  link.start({ onFrame: (f) => { if (f.kind === 'gossip.push') received.push(f.body[0]! | (f.body[1]! << 8)); }, onClose: () => undefined });

  // Reaching into ws for the TCP socket is the only way to make a real peer stop reading.
  const socket = (ws as unknown as { _socket: Socket })._socket;
  socket.pause();
  const frame = (n: number): SessionFrame => {
    const body = Buffer.alloc(FRAME);
    body[0] = n & 0xff;
    body[1] = n >> 8;
    return { v: 1, kind: 'gossip.push', topic: 'bulk', body };
  };
  let sent = 0;
  let peakBytes = 0;
  // Send until refused; a refusal while the kernel still takes bytes is retried after a pause,
  // so the loop ends only when the paused reader's kernel buffers are full and the bound holds.
  for (let stalled = false; !stalled;) {
    if (sent > 20_000) assert.fail('never refused after 320 MB');
    if (a.send('z9', frame(sent))) {
      sent++;
      peakBytes = Math.max(peakBytes, a.pendingBytes('z9'));
      if (sent % 16 === 0) await new Promise((r) => setImmediate(r));
      continue;
    }
    const before = a.pendingBytes('z9');
    await new Promise((r) => setTimeout(r, 100));
    stalled = a.pendingBytes('z9') === before;
  }
  assert.ok(peakBytes <= BOUND, `unflushed bytes peaked at ${peakBytes}, within ${BOUND}`);
  assert.ok(a.pendingBytes('z9') > BOUND - 2 * FRAME, 'the bound, not something else, stopped the sender');
  assert.equal(a.send('z9', frame(sent)), false, 'still refused while nothing drains');

  const drained = a.drained('z9');
  let drainedEarly = false;
  void drained.then(() => { drainedEarly = true; });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(drainedEarly, false, 'drained() waits while the reader is paused');
  socket.resume();
  await drained;
  assert.equal(a.send('z9', frame(sent)), true, 'sending works again after the drain');
  sent++;
  const deadline = Date.now() + 5000;
  while (received.length < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(received, Array.from({ length: sent }, (_, i) => i), 'every accepted frame arrived, in order; no refused one did');
});
