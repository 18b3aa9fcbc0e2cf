// Ports for `miroir dev --port 0`, and the bind failure of a child whose
// port was taken anyway.
//
// The layout must name every port before any process starts (each peer's
// config lists the other peers' mesh addresses and the node URLs), so the
// command cannot let each child bind port 0 itself. It asks the kernel for
// free ports and releases them; each child binds its own a moment later.
// Two things can go wrong in between, and both were seen:
//  - the same port handed out twice: released, a port is free again, and a
//    later pick may return it (about 1 layout in 100 of 12 ports); so every
//    pick is held open until the whole set is drawn, which makes them distinct;
//  - another process (a concurrent test, another `miroir dev`) binding the
//    port before our child does. No pick can rule that out; the command
//    detects it from the child's log (EADDRINUSE) and, on a first start, when
//    nothing is committed yet, starts again on fresh ports.
import { createServer, type Server } from 'node:net';

/** `count` distinct ports free on `host` at the time of the call. */
export async function freePorts(host: string, count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, host, ok));
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((ok) => (s.listening ? s.close(() => ok()) : ok()))));
  }
}

/**
 * The port a process failed to bind because it was in use, from its log
 * (`listen EADDRINUSE: address already in use HOST:PORT`, as Node words it
 * for the engine node, the client API, the mesh and the metrics server alike);
 * null when the log shows no such failure.
 */
export function portInUse(log: string): number | null {
  const match = /EADDRINUSE: address already in use \S*:(\d+)/.exec(log);
  return match === null ? null : Number(match[1]);
}
