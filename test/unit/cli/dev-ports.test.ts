// Goal: the free ports `miroir dev --port 0` draws are distinct (each was
// released before the next pick, the kernel could hand one out twice, about
// 1 layout of 12 ports in 100, and two children then raced for one port:
// "peer p1 exited"), and the bind failure of a child is read from its log as
// the engine node and the peer actually word it.
// Method: freePorts on the loopback; real listeners on a taken port, their
// error messages fed to portInUse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { freePorts, portInUse } from '../../../cli/dev/ports.ts';

test('freePorts: many draws, all distinct, all free again after the call', async () => {
  const ports = await freePorts('127.0.0.1', 300);
  assert.equal(ports.length, 300);
  assert.equal(new Set(ports).size, 300);
  // Released: each can be bound at once.
  for (const port of ports.slice(0, 20)) {
    const server = createServer();
    await new Promise<void>((ok, fail) => server.once('error', fail).listen(port, '127.0.0.1', ok));
    await new Promise<void>((ok) => server.close(() => ok()));
  }
});

test('portInUse: the port of a real EADDRINUSE, as the node and the peer log it; null otherwise', async () => {
  const holder = createServer();
  await new Promise<void>((ok) => holder.listen(0, '127.0.0.1', ok));
  const port = (holder.address() as { port: number }).port;
  const second = createServer();
  const error = await new Promise<Error>((ok) => second.once('error', ok).listen(port, '127.0.0.1'));
  holder.close();
  assert.equal(portInUse(`miroir node: cannot listen on 127.0.0.1:${port}: ${error.message}\n`), port);
  assert.equal(portInUse(JSON.stringify({ level: 50, msg: `miroir peer p1: cannot start: ${error.message}` })), port);
  assert.equal(portInUse('miroir peer p1: cannot start: ENOSPC\n'), null);
});
