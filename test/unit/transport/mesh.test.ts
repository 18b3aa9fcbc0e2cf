// Goal: the peer mesh keeps its promises on real sockets: one authenticated
// link per pair, refused links for a wrong secret, a silent client or a
// spoofed sender, redial after the other side restarts, request/response with
// typed errors and deadlines, and frame-size bounds on both ends.
// Method: PeerMesh instances on loopback with port 0 (and raw ws clients for
// misbehaving peers); every wait has a deadline; every mesh is closed in after().
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { encodeFrame } from '../../../transport/peer/codec.ts';
import { PeerMesh } from '../../../transport/peer/mesh.ts';
import { PeerRequestError } from '../../../transport/peer/requests.ts';
import { PeerUnavailableError, NotLeaderError, OverloadedError, TimeoutError } from '../../../runtime/errors.ts';
import type { RaftMessage } from '../../../runtime/raft/types.ts';
import { connected, link, nextEvent, startMesh } from './mesh-helpers.ts';

const open: PeerMesh[] = [];
after(async () => { await Promise.all(open.map((m) => m.close())); });
async function mesh(id: string, overrides: Parameters<typeof startMesh>[1] = {}): Promise<PeerMesh> {
  const m = await startMesh(id, overrides);
  open.push(m);
  return m;
}

function raftInbox(m: PeerMesh): RaftMessage[] {
  const inbox: RaftMessage[] = [];
  m.onRaftMessage((message) => inbox.push(message));
  return inbox;
}

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

test('two peers with the same secret authenticate and exchange raft frames both ways', async () => {
  const a = await mesh('a1');
  const b = await mesh('b1');
  const inboxA = raftInbox(a);
  const inboxB = raftInbox(b);
  await link(a, b);
  assert.deepEqual(a.connectedPeers(), ['b1']);
  assert.deepEqual(b.connectedPeers(), ['a1']);
  assert.equal(a.sendRaft({ kind: 'raft.timeoutNow', from: 'a1', to: 'b1', term: 3 }), true);
  assert.equal(b.sendRaft({ kind: 'raft.voteResponse', from: 'b1', to: 'a1', term: 3, granted: true }), true);
  await until(() => inboxA.length === 1 && inboxB.length === 1, 'both frames');
  assert.deepEqual(inboxB[0], { kind: 'raft.timeoutNow', from: 'a1', to: 'b1', term: 3 }, 'the version field is stripped');
  assert.deepEqual(inboxA[0], { kind: 'raft.voteResponse', from: 'b1', to: 'a1', term: 3, granted: true });
});

test('a peer with the wrong secret is refused on both sides with 4003 and never connects', async () => {
  const a = await mesh('a2', { secret: new TextEncoder().encode('not the cluster secret, no way!') });
  const b = await mesh('b2');
  let connects = 0;
  a.subscribe((e) => { if (e.type === 'peer.connected') connects++; });
  b.subscribe((e) => { if (e.type === 'peer.connected') connects++; });
  const refusedAtDialer = nextEvent(a, (e) => e.type === 'peer.refused');
  a.setPeer('b2', b.url);
  const event = await refusedAtDialer;
  assert.ok(event.type === 'peer.refused');
  assert.equal(event.code, 4003);
  assert.match(event.reason, /authentication failed/);
  a.removePeer('b2');
  assert.equal(connects, 0);
});

test('a client that never completes the handshake is closed with 4001 within the timeout', async () => {
  const b = await mesh('b3', { handshakeTimeoutMs: 150 });
  const started = Date.now();
  const ws = new WebSocket(b.url);
  const closed = await closeOf(ws);
  assert.equal(closed.code, 4001);
  assert.match(closed.reason, /handshake timeout/);
  assert.ok(Date.now() - started < 1000, 'closed soon after the timeout');
});

test('garbage before the handshake, and a hello in the wrong dial direction, are refused with clear codes', async () => {
  const b = await mesh('b4');
  const garbage = new WebSocket(b.url);
  garbage.once('open', () => garbage.send(Uint8Array.of(0xc1, 0x00)));
  const g = await closeOf(garbage);
  assert.equal(g.code, 4002);
  assert.match(g.reason, /invalid frame/);

  const wrongWay = new WebSocket(b.url);
  wrongWay.once('open', () => wrongWay.send(encodeFrame({ v: 1, kind: 'handshake.hello', from: 'z4', to: 'b4', nonce: Buffer.alloc(32) }, 1024)));
  const w = await closeOf(wrongWay);
  assert.equal(w.code, 4005);
  assert.match(w.reason, /dial direction/);
});

test('the dialer redials after the acceptor restarts, and after the dialer itself restarts the acceptor takes the new link', async () => {
  const a = await mesh('a5', { reconnect: { baseMs: 10, maxMs: 50 } });
  let b = await mesh('b5');
  await link(a, b);
  const port = b.port;
  const lost = nextEvent(a, (e) => e.type === 'peer.disconnected' && e.peer === 'b5');
  await b.close();
  await lost;
  assert.equal(a.isConnected('b5'), false);
  b = await mesh('b5', { port });
  const inboxB = raftInbox(b);
  await connected(a, 'b5');
  assert.equal(a.sendRaft({ kind: 'raft.timeoutNow', from: 'a5', to: 'b5', term: 1 }), true);
  await until(() => inboxB.length === 1, 'a frame over the redialed link');

  // Now the dialer restarts: the acceptor sees a new inbound link from the same id.
  const aPort = a.port;
  const dropped = nextEvent(b, (e) => e.type === 'peer.disconnected' && e.peer === 'a5');
  await a.close();
  await dropped;
  const a2 = await mesh('a5', { port: aPort });
  const back = connected(b, 'a5');
  a2.setPeer('b5', b.url);
  await back;
  assert.equal(b.sendRaft({ kind: 'raft.timeoutNow', from: 'b5', to: 'a5', term: 1 }), true);
});

test('request/response: results, typed errors across the wire, unknown methods, deadlines, the in-flight bound, lost links', async () => {
  const a = await mesh('a6', { requestsPendingMax: 3 });
  const b = await mesh('b6');
  await link(a, b);
  const never: Array<() => void> = [];
  b.handle('echo', (from, body) => Buffer.concat([Buffer.from(`${from}:`), body]));
  b.handle('lead', () => { throw new NotLeaderError('c6'); });
  b.handle('hang', () => new Promise<Uint8Array>((resolve) => never.push(() => resolve(Uint8Array.of(1)))));
  a.handle('ping', () => Uint8Array.of(42));

  assert.equal(Buffer.from(await a.request('b6', 'echo', Buffer.from('hi'))).toString(), 'a6:hi');
  assert.deepEqual([...await b.request('a6', 'ping', Uint8Array.of())], [42], 'the acceptor can call the dialer too');
  await assert.rejects(a.request('b6', 'lead', Uint8Array.of()), (e: unknown) => e instanceof NotLeaderError && e.leaderHint === 'c6' && e.code === 'MIROIR_ERR_NOT_LEADER');
  await assert.rejects(a.request('b6', 'nope', Uint8Array.of()), (e: unknown) => e instanceof PeerRequestError && e.code === 'MIROIR_ERR_NO_HANDLER');
  await assert.rejects(a.request('b6', 'hang', Uint8Array.of(), 100), TimeoutError);

  const hung = [a.request('b6', 'hang', Uint8Array.of()), a.request('b6', 'hang', Uint8Array.of()), a.request('b6', 'hang', Uint8Array.of())];
  await assert.rejects(a.request('b6', 'hang', Uint8Array.of()), OverloadedError, 'a fourth request passes the bound of 3');
  const gone = nextEvent(a, (e) => e.type === 'peer.disconnected');
  a.removePeer('b6');
  await gone;
  for (const h of hung) await assert.rejects(h, PeerUnavailableError, 'requests on a lost link fail at once');
  await assert.rejects(a.request('b6', 'echo', Uint8Array.of()), PeerUnavailableError);
  for (const release of never) release();
});

test('frame size bounds: an oversized frame is refused at the sender; a peer that sends one is cut with 1009', async () => {
  const a = await mesh('a7', { frameBytesMax: 1 << 20 });
  const b = await mesh('b7', { frameBytesMax: 4096 });
  const gossip: number[] = [];
  b.onGossip('t', (_from, body) => gossip.push(body.byteLength));
  await link(a, b);
  assert.throws(() => b.sendGossip('a7', 't', Buffer.alloc(8192)), OverloadedError, 'b refuses to send above its own bound');
  assert.equal(a.sendGossip('b7', 't', Buffer.alloc(1000)), true);
  await until(() => gossip.length === 1, 'a frame within the bound');
  const cut = nextEvent(a, (e) => e.type === 'peer.disconnected' && e.peer === 'b7');
  assert.equal(a.sendGossip('b7', 't', Buffer.alloc(8192)), true, 'a may send it: its own bound is larger');
  const event = await cut;
  assert.ok(event.type === 'peer.disconnected');
  assert.equal(event.code, 1009);
  assert.deepEqual(gossip, [1000], 'the oversized frame never reached the handler');
  await connected(a, 'b7');
});

test('a raft frame claiming another sender is a protocol error that cuts the link', async () => {
  const a = await mesh('a8');
  const b = await mesh('b8');
  const inboxB = raftInbox(b);
  await link(a, b);
  const cut = nextEvent(b, (e) => e.type === 'peer.disconnected');
  assert.equal(a.send('b8', { v: 1, kind: 'raft.timeoutNow', from: 'c8', to: 'b8', term: 1 }), true);
  const event = await cut;
  assert.ok(event.type === 'peer.disconnected');
  assert.equal(event.code, 4002);
  assert.equal(inboxB.length, 0);
});
