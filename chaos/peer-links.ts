// The peer mesh of a chaos cluster routed through fault proxies (proxy.ts):
// one proxy per pair of peers. Of two peers only the one whose id sorts
// first dials (transport/peer/mesh.ts), so the pair's single link is that
// peer's connection to the proxy, relayed to the other peer's mesh port.
// `miroir dev --peer-links FILE` writes each dialer's config with the
// proxies' addresses (addressFile()); restarted peers keep them, since a
// restart reuses the config file.
//
// Faults are set per peer, on every link that peer has, and replace whatever
// was set before; heal() clears them all.
import { unreachable } from '../runtime/assert.ts';
import { FaultProxy, NO_FAULTS, type LinkFaults } from './proxy.ts';

interface Link {
  /** The peer that dials (its id sorts first) and the one that accepts. */
  dialer: string;
  acceptor: string;
  proxy: FaultProxy;
}

export type PeerLinkFault =
  /** Nothing gets through either way; connections stay open and silent. */
  | { kind: 'partition' }
  /** Connections are reset and new ones refused. */
  | { kind: 'cut' }
  /** What the peer sends is lost; it still hears the others. */
  | { kind: 'mute' }
  /** What is sent to the peer is lost; the others still hear it. */
  | { kind: 'deafen' }
  | { kind: 'delay'; latencyMs: number };

export class PeerLinks {
  private constructor(private readonly host: string, private readonly links: readonly Link[]) {}

  /** One proxy per pair; `meshPort(id)` is asked at each connection for the accepting peer's real mesh port. */
  static async start(host: string, peerIds: readonly string[], meshPort: (peerId: string) => number): Promise<PeerLinks> {
    const ids = [...peerIds].sort();
    const links: Link[] = [];
    for (const [i, dialer] of ids.entries()) {
      for (const acceptor of ids.slice(i + 1)) {
        const proxy = await FaultProxy.start(host, () => ({ host, port: meshPort(acceptor) }));
        links.push({ dialer, acceptor, proxy });
      }
    }
    return new PeerLinks(host, links);
  }

  /** For `miroir dev --peer-links`: per dialing peer, the address it dials each other peer at. */
  addressFile(): Record<string, Record<string, string>> {
    const file: Record<string, Record<string, string>> = {};
    for (const link of this.links) (file[link.dialer] ??= {})[link.acceptor] = `ws://${this.host}:${link.proxy.port}`;
    return file;
  }

  apply(peerId: string, fault: PeerLinkFault): void {
    for (const link of this.links) {
      if (link.dialer === peerId || link.acceptor === peerId) link.proxy.set(linkFaults(fault, link.dialer === peerId));
    }
  }

  heal(): void {
    for (const link of this.links) link.proxy.set(NO_FAULTS);
  }

  /** Connections the proxies accepted, in total: proof that the peers talk through them. */
  accepted(): number {
    return this.links.reduce((sum, l) => sum + l.proxy.accepted, 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.links.map((l) => l.proxy.close()));
  }
}

/** The faults of one link for a fault on one of its peers; `dials` says whether that peer is the link's client side. */
export function linkFaults(fault: PeerLinkFault, dials: boolean): LinkFaults {
  // forward carries what the dialer sends, backward what the acceptor sends.
  const fromPeer = dials ? 'forward' : 'backward';
  const toPeer = dials ? 'backward' : 'forward';
  const hold = { forward: false, backward: false };
  switch (fault.kind) {
    case 'partition':
      return { hold: { forward: true, backward: true }, refuse: false, latencyMs: 0 };
    case 'cut':
      return { hold, refuse: true, latencyMs: 0 };
    case 'mute':
      return { hold: { ...hold, [fromPeer]: true }, refuse: false, latencyMs: 0 };
    case 'deafen':
      return { hold: { ...hold, [toPeer]: true }, refuse: false, latencyMs: 0 };
    case 'delay':
      return { hold, refuse: false, latencyMs: fault.latencyMs };
    default:
      return unreachable(fault);
  }
}
