// The chaos suite's fault proxy (chaos/proxy.ts) over real loopback sockets:
// an upstream that echoes every byte, a client through the proxy. Goal: each
// fault does what the chaos run relies on — a held direction delivers
// nothing until released and then everything in order, refuse resets open
// connections and new ones, latency delays delivery — and linkFaults maps a
// peer's fault onto the right direction of each of its links.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { FaultProxy, NO_FAULTS } from '../../chaos/proxy.ts';
import { linkFaults } from '../../chaos/peer-links.ts';
import { faultSchedule, isNetworkFault } from '../../chaos/schedule.ts';

const HOST = '127.0.0.1';
let echo: Server;
let echoPort = 0;
const upstreamSockets = new Set<Socket>();

before(async () => {
  echo = createServer((socket) => {
    upstreamSockets.add(socket);
    socket.on('close', () => upstreamSockets.delete(socket));
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  await new Promise<void>((ok) => echo.listen(0, HOST, ok));
  echoPort = (echo.address() as { port: number }).port;
});

after(async () => {
  for (const s of upstreamSockets) s.destroy();
  await new Promise<void>((ok) => echo.close(() => ok()));
});

/** A client through the proxy that collects what comes back. */
async function client(proxy: FaultProxy): Promise<{ socket: Socket; received: () => string; closed: Promise<string> }> {
  const socket = connect({ host: HOST, port: proxy.port });
  let data = '';
  socket.on('data', (d: Buffer) => { data += d.toString(); });
  const closed = new Promise<string>((ok) => {
    socket.once('error', (e: NodeJS.ErrnoException) => ok(e.code ?? 'error'));
    socket.once('close', () => ok('close'));
  });
  await new Promise<void>((ok) => socket.once('connect', () => ok()));
  return { socket, received: () => data, closed };
}

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 10));
  }
}

const wait = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

test('bytes pass both ways in order when no fault is set', async () => {
  const proxy = await FaultProxy.start(HOST, () => ({ host: HOST, port: echoPort }));
  const c = await client(proxy);
  c.socket.write('one ');
  c.socket.write('two');
  await until(() => c.received() === 'one two', 'the echo');
  assert.equal(proxy.accepted, 1);
  c.socket.destroy();
  await proxy.close();
});

test('a held direction delivers nothing, then everything in order once released', async () => {
  for (const direction of ['forward', 'backward'] as const) {
    const proxy = await FaultProxy.start(HOST, () => ({ host: HOST, port: echoPort }));
    const c = await client(proxy);
    c.socket.write('a');
    await until(() => c.received() === 'a', 'the first echo');
    proxy.set({ ...NO_FAULTS, hold: { forward: direction === 'forward', backward: direction === 'backward' } });
    c.socket.write('b');
    c.socket.write('c');
    await wait(300);
    assert.equal(c.received(), 'a', `${direction} held: nothing more comes back`);
    proxy.heal();
    await until(() => c.received() === 'abc', `the held bytes after releasing ${direction}`);
    c.socket.destroy();
    await proxy.close();
  }
});

test('refuse resets open connections and every new one', async () => {
  const proxy = await FaultProxy.start(HOST, () => ({ host: HOST, port: echoPort }));
  const open = await client(proxy);
  await until(() => proxy.connections === 1, 'the pair to be open');
  proxy.set({ ...NO_FAULTS, refuse: true });
  assert.equal(await open.closed, 'ECONNRESET');
  const late = connect({ host: HOST, port: proxy.port });
  const how = await new Promise<string>((ok) => {
    late.once('error', (e: NodeJS.ErrnoException) => ok(e.code ?? 'error'));
    late.once('close', () => ok('close'));
  });
  assert.ok(how === 'ECONNRESET' || how === 'close', `a new connection is reset (got ${how})`);
  assert.equal(proxy.connections, 0);
  proxy.heal();
  const healed = await client(proxy);
  healed.socket.write('back');
  await until(() => healed.received() === 'back', 'the echo after healing');
  healed.socket.destroy();
  await proxy.close();
});

test('latency delays each chunk by at least the latency, each way', async () => {
  const proxy = await FaultProxy.start(HOST, () => ({ host: HOST, port: echoPort }));
  proxy.set({ ...NO_FAULTS, latencyMs: 150 });
  const c = await client(proxy);
  const sent = Date.now();
  c.socket.write('slow');
  await until(() => c.received() === 'slow', 'the delayed echo');
  // 150 ms to upstream and 150 ms back; timers may fire a millisecond early.
  assert.ok(Date.now() - sent >= 290, `round trip ${Date.now() - sent} ms`);
  c.socket.destroy();
  await proxy.close();
});

test('a peer fault maps onto the direction it sends or hears on each link', () => {
  // p1 dials p2: forward is p1 → p2. Muting p1 holds forward; muting p2 (the acceptor) holds backward.
  assert.deepEqual(linkFaults({ kind: 'mute' }, true).hold, { forward: true, backward: false });
  assert.deepEqual(linkFaults({ kind: 'mute' }, false).hold, { forward: false, backward: true });
  assert.deepEqual(linkFaults({ kind: 'deafen' }, true).hold, { forward: false, backward: true });
  assert.deepEqual(linkFaults({ kind: 'deafen' }, false).hold, { forward: true, backward: false });
  assert.deepEqual(linkFaults({ kind: 'partition' }, false).hold, { forward: true, backward: true });
  assert.equal(linkFaults({ kind: 'cut' }, true).refuse, true);
  assert.equal(linkFaults({ kind: 'delay', latencyMs: 80 }, true).latencyMs, 80);
});

test('the fault schedule replays from its seed and covers every kind of fault', () => {
  const shape = { nodes: 3, peers: 3 };
  assert.deepEqual(faultSchedule(7, 60_000, shape), faultSchedule(7, 60_000, shape));
  assert.notDeepEqual(faultSchedule(7, 60_000, shape), faultSchedule(8, 60_000, shape));
  const kinds = new Set([1, 2, 3, 4, 5].flatMap((seed) => faultSchedule(seed, 60_000, shape)).map((f) => f.kind));
  assert.equal(kinds.size, 10);
  for (const fault of faultSchedule(3, 600_000, shape)) {
    assert.ok(fault.target < 3);
    assert.equal(fault.latencyMs !== undefined, fault.kind === 'delay-peer');
    if (isNetworkFault(fault.kind)) assert.ok(fault.holdMs >= 1_500, 'a network fault outlasts an election timeout');
  }
});
