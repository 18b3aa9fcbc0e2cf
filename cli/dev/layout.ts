// The shape of a `miroir dev` cluster: which peers and engine nodes, their
// ids, ports and data directories, and the peer config files that follow
// from it. Pure: the command reads and writes the files.
//
// Ports, from the client port P (default 7700): peer i serves the client API
// on P+i, the peer mesh on P+100+i and its metrics on P+300+i; node j listens
// on P+200+j. With P = 0
// every port is picked free once by the command (cli/dev/ports.ts). Either way the layout is
// saved in the data dir on the first start and reused on every restart, since
// the node URLs are committed in the Raft log and must not move.
//
// Node ids are n1…nN over the groups g1…gG (`--nodes` counts nodes per group,
// so every group holds a complete copy); peer ids are p1…pP.

import { assert } from '../../runtime/assert.ts';

export interface DevOptions {
  peers: number;
  nodesPerGroup: number;
  groups: number;
  rf: number;
  /** S for new indexes. */
  shards: number;
  /** The first peer's client port; 0 picks free ports. */
  port: number;
  host: string;
}

export interface PeerLayout {
  id: string;
  clientPort: number;
  peerPort: number;
  metricsPort: number;
  /** Data directory, relative to the dev data dir (which may move). */
  dir: string;
}

export interface NodeLayout {
  id: string;
  group: string;
  port: number;
  /** Data directory, relative to the dev data dir. */
  dir: string;
}

export interface DevLayout {
  /** Format version of layout.json. */
  v: 1;
  host: string;
  rf: number;
  shards: number;
  peers: PeerLayout[];
  nodes: NodeLayout[];
}

export const DEFAULT_OPTIONS: Readonly<DevOptions> = Object.freeze({
  peers: 3, nodesPerGroup: 3, groups: 1, rf: 1, shards: 64, port: 7700, host: '127.0.0.1',
});

const MAX_PORT = 65_535;

/** Problems with the options, one sentence each (empty when usable). */
export function optionIssues(o: DevOptions): string[] {
  const issues: string[] = [];
  if (o.peers < 1 || o.peers > 15) issues.push(`--peers must be between 1 and 15 (got ${o.peers})`);
  if (o.groups < 1 || o.groups > 64) issues.push(`--groups must be between 1 and 64 (got ${o.groups})`);
  if (o.nodesPerGroup < 1 || o.nodesPerGroup > 100) issues.push(`--nodes must be between 1 and 100 (got ${o.nodesPerGroup})`);
  if (o.rf < 1 || o.rf > o.nodesPerGroup) issues.push(`--rf must be between 1 and --nodes (${o.nodesPerGroup}) (got ${o.rf})`);
  if (o.shards < 1 || o.shards > 65_536) issues.push(`--shards must be between 1 and 65536 (got ${o.shards})`);
  if (o.port !== 0 && (o.port < 1 || o.port + 300 + Math.max(o.peers, o.nodesPerGroup * o.groups) > MAX_PORT)) {
    issues.push(`--port ${o.port} leaves no room for the mesh, node and metrics ports (P+100…, P+200…, P+300…)`);
  }
  return issues;
}

/** How many ports a layout for `options` uses: client, mesh and metrics per peer, one per node. */
export function portCount(options: DevOptions): number {
  return options.peers * 3 + options.groups * options.nodesPerGroup;
}

/**
 * The layout for `options`. With options.port 0 every port comes from
 * `free` (portCount(options) distinct ports, used in order: each peer's
 * client, mesh and metrics ports, then the nodes'); otherwise `free` is unused.
 */
export function planLayout(options: DevOptions, free: readonly number[] = []): DevLayout {
  const drawn = [...free];
  assert(options.port !== 0 || new Set(drawn).size >= portCount(options), `planLayout: ${portCount(options)} distinct free ports needed, got [${drawn.join(', ')}]`);
  const port = (offset: number): number => (options.port === 0 ? drawn.shift()! : options.port + offset);
  const peers: PeerLayout[] = [];
  for (let i = 0; i < options.peers; i++) {
    const id = `p${i + 1}`;
    peers.push({ id, clientPort: port(i), peerPort: port(100 + i), metricsPort: port(300 + i), dir: `peers/${id}` });
  }
  const nodes: NodeLayout[] = [];
  for (let g = 0; g < options.groups; g++) {
    for (let k = 0; k < options.nodesPerGroup; k++) {
      const j = g * options.nodesPerGroup + k;
      const id = `n${j + 1}`;
      nodes.push({ id, group: `g${g + 1}`, port: port(200 + j), dir: `nodes/${id}` });
    }
  }
  return { v: 1, host: options.host, rf: options.rf, shards: options.shards, peers, nodes };
}

/** Which process of the layout listens on `port`, for messages: `peer p1 (mesh)`; null when none. */
export function portOwner(layout: DevLayout, port: number): string | null {
  for (const p of layout.peers) {
    const use = p.clientPort === port ? 'client API' : p.peerPort === port ? 'mesh' : p.metricsPort === port ? 'metrics' : null;
    if (use !== null) return `peer ${p.id} (${use})`;
  }
  const node = layout.nodes.find((n) => n.port === port);
  return node === undefined ? null : `node ${node.id}`;
}

/**
 * Flags given on a restart that contradict the saved layout. The saved one
 * wins (the committed cluster state was seeded from it); silently ignoring a
 * flag would leave the user believing it took effect.
 */
export function layoutConflicts(saved: DevLayout, given: Partial<DevOptions>): string[] {
  const groups = new Set(saved.nodes.map((n) => n.group)).size;
  const actual: DevOptions = {
    peers: saved.peers.length,
    nodesPerGroup: saved.nodes.length / groups,
    groups,
    rf: saved.rf,
    shards: saved.shards,
    port: saved.peers[0]?.clientPort ?? 0,
    host: saved.host,
  };
  const flagName: Record<keyof DevOptions, string> = {
    peers: '--peers', nodesPerGroup: '--nodes', groups: '--groups', rf: '--rf', shards: '--shards', port: '--port', host: '--host',
  };
  const conflicts: string[] = [];
  for (const key of Object.keys(given) as Array<keyof DevOptions>) {
    const value = given[key];
    if (value === undefined || value === actual[key] || (key === 'port' && value === 0)) continue;
    conflicts.push(`${flagName[key]} ${value}: this data dir holds a cluster with ${flagName[key]} ${actual[key]}`);
  }
  return conflicts;
}

export function nodeUrl(layout: DevLayout, node: NodeLayout): string {
  return `http://${layout.host}:${node.port}`;
}

export function clientUrl(layout: DevLayout, peer: PeerLayout): string {
  return `http://${layout.host}:${peer.clientPort}`;
}

/** The `miroir peer --config` file of one peer (runtime/config/schema.ts); secrets go in its environment. */
export function peerConfigFile(layout: DevLayout, peer: PeerLayout, root: string): Record<string, unknown> {
  const groupIds = [...new Set(layout.nodes.map((n) => n.group))];
  return {
    peerId: peer.id,
    dataDir: `${root}/${peer.dir}`,
    listen: { host: layout.host, clientPort: peer.clientPort, peerPort: peer.peerPort, metricsPort: peer.metricsPort },
    peers: layout.peers.map((p) => ({ id: p.id, address: `ws://${layout.host}:${p.peerPort}` })),
    groups: groupIds.map((g) => ({
      id: g,
      nodes: layout.nodes.filter((n) => n.group === g).map((n) => ({ id: n.id, url: nodeUrl(layout, n) })),
    })),
    rf: layout.rf,
    defaultShards: layout.shards,
  };
}
