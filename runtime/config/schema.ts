// The one configuration schema of a Miroir peer (STYLE G17): every setting,
// its default (units in the names) and its bounds. runtime/config/load.ts
// merges, in increasing precedence, these defaults, the config file, the
// `MIROIR_*` environment variables and the command-line flags; validate.ts
// checks types, bounds, unknown keys and the cross-field rules; the result is
// deep-frozen and passed to modules as parameters.
//
// The config file is JSON, shaped like `PeerConfigFile` below, e.g.
//   { "peerId": "p1", "peers": [{ "id": "p1", "address": "ws://10.0.0.1:7800" }],
//     "groups": [{ "id": "g1", "nodes": [{ "id": "n1", "url": "http://10.0.1.1:7700" }] }],
//     "raft": { "tickMs": 100 } }
// Environment variables name a key path in upper snake case with the prefix
// MIROIR_ (`raft.tickMs` → MIROIR_RAFT_TICK_MS; lists such as `peers` take
// JSON). Flags use the dotted path (`raft.tickMs=50`).
//
// Secrets are never in the file or the flags, only in the environment:
// MIROIR_MASTER_KEY (client API), MIROIR_NODE_MASTER_KEY (towards the nodes),
// MIROIR_ADMIN_KEY (the /_miroir admin API), MIROIR_CLUSTER_SECRET (peer
// handshake).

import { int, list, obj, oneOf, str, url, type ConfigOf } from './spec.ts';

const ID = /^[a-zA-Z0-9_-]{1,64}$/;
const ID_HINT = '1 to 64 characters among a-z A-Z 0-9 - _';
const id = (): ReturnType<typeof str> => str(undefined, ID, ID_HINT);
const port = (d: number): ReturnType<typeof int> => int(d, 0, 65_535);

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

export const peerConfigSpec = obj({
  /** This peer's id; must appear in `peers` when `peers` is given. */
  peerId: id(),
  /** Where this peer keeps its Raft log (LevelDB) and snapshots. */
  dataDir: str('.miroir/data'),
  listen: obj({
    host: str('127.0.0.1'),
    /** The Meilisearch-compatible client API. 0 picks a free port (tests). */
    clientPort: port(7700),
    peerPort: port(7800),
    /** Prometheus metrics (`GET /metrics`, no auth; the same exposition is at the admin route /_miroir/metrics). 0 picks a free port. */
    metricsPort: port(9464),
  }),
  /** The Raft peers this peer bootstraps with, itself included; empty means a single-peer cluster. */
  peers: list(obj({ id: id(), address: url(['ws:', 'wss:']) }), 0, 15),
  /**
   * How a new Raft log starts. `bootstrap`: `peers` are the founding voters,
   * this peer among them. `join`: this peer joins a running cluster; `peers`
   * are that cluster's founding voters (every peer replays membership changes
   * on top of them) and not this peer, which starts as a non-member that
   * never campaigns and waits for the leader to add it (POST /_miroir/peers).
   */
  start: oneOf(['bootstrap', 'join'] as const, 'bootstrap'),
  /** Replica groups and their nodes; they seed a new cluster, the log is the truth afterwards. */
  groups: list(obj({ id: id(), nodes: list(obj({ id: id(), url: url(['http:', 'https:']) }), 1, 1024) }), 0, 64),
  /** Copies of each shard inside one group. */
  rf: int(1, 1, 16),
  /** S for new indexes (rule of thumb: 8 × the most nodes a group will ever have). */
  defaultShards: int(64, 1, 65_536),
  write: obj({
    /** `log`: 202 once committed; `quorum`: also wait for floor(RF/2)+1 enqueue acks per shard. */
    ackMode: oneOf(['log', 'quorum'] as const, 'log'),
    quorumTimeoutMs: int(5_000, 1, 600_000),
  }),
  read: obj({
    /** A shard with no healthy owner: `partial` answers with the rest, `error` answers 503. */
    policy: oneOf(['partial', 'error'] as const, 'partial'),
  }),
  raft: obj({
    tickMs: int(100, 1, 60_000),
    electionTicks: int(10, 2, 10_000),
    heartbeatTicks: int(1, 1, 10_000),
    maxSizePerMsgBytes: int(1 * MiB, 1 * KiB, 256 * MiB),
    maxInflightMessages: int(256, 1, 65_536),
    maxUncommittedEntries: int(10_000, 1, 10_000_000),
    snapshotEveryEntries: int(10_000, 1, 100_000_000),
  }),
  dispatcher: obj({
    batchBytesMax: int(8 * MiB, 1 * KiB, 1 * GiB),
    inflightMax: int(4, 1, 1024),
    retentionBytesMax: int(1 * GiB, 1 * MiB, 1024 * GiB),
    retentionAgeMs: int(24 * 3_600_000, 1_000, 365 * 24 * 3_600_000),
  }),
  /**
   * Topology jobs (ARCHITECTURE §6): migrations at once, copy page size and throttle (0: none);
   * a node down in the merged health view for `restoreAfterMs` is drained to restore RF (0: never).
   */
  topology: obj({
    concurrentMigrationsMax: int(2, 1, 64),
    copyPageSize: int(1_000, 1, 100_000),
    copyDocsPerSecond: int(0, 0, 10_000_000),
    restoreAfterMs: int(600_000, 0, 30 * 24 * 3_600_000),
  }),
  search: obj({
    searchTimeoutMs: int(10_000, 1, 600_000),
    nodeConnectionsMax: int(64, 1, 10_000),
  }),
  /**
   * Node health (ARCHITECTURE §5): every peer probes every node with GET /health.
   * A node is failed after `unhealthyThreshold` failed probes in a row and active
   * again after `recoveryThreshold` good ones; after a failed probe the next one
   * comes after `suspectProbeIntervalMs`, so a dead node is found in about one
   * interval. Peers push their views every `gossipIntervalMs`; an observation
   * older than `viewStalenessMs` no longer counts.
   */
  health: obj({
    probeIntervalMs: int(1_000, 10, 600_000),
    probeTimeoutMs: int(500, 1, 600_000),
    suspectProbeIntervalMs: int(250, 1, 600_000),
    unhealthyThreshold: int(2, 1, 100),
    recoveryThreshold: int(2, 1, 100),
    /** A node whose probe latency EWMA is above this is degraded (still routed to). */
    degradedLatencyMs: int(1_000, 1, 600_000),
    /** Weight of the newest sample in the latency EWMA, in percent. */
    latencyEwmaWeightPercent: int(30, 1, 100),
    gossipIntervalMs: int(500, 10, 600_000),
    viewStalenessMs: int(5_000, 10, 3_600_000),
  }),
  tasks: obj({
    /** Finished tasks kept in the replicated state; the oldest are dropped beyond it. */
    retentionMax: int(100_000, 1, 10_000_000),
  }),
});

/** Secrets, read only from the environment; null when unset. */
export interface PeerSecrets {
  readonly masterKey: string | null;
  readonly nodeMasterKey: string | null;
  readonly adminKey: string | null;
  readonly clusterSecret: string | null;
}

export const SECRET_ENV: Readonly<Record<keyof PeerSecrets, string>> = Object.freeze({
  masterKey: 'MIROIR_MASTER_KEY',
  nodeMasterKey: 'MIROIR_NODE_MASTER_KEY',
  adminKey: 'MIROIR_ADMIN_KEY',
  clusterSecret: 'MIROIR_CLUSTER_SECRET',
});

/** Secrets that authenticate Miroir itself must resist guessing; Meilisearch asks 16 bytes of a master key. */
export const SECRET_MIN_BYTES = 16;

export type PeerConfigFile = ConfigOf<typeof peerConfigSpec>;
export type PeerConfig = PeerConfigFile & { readonly secrets: PeerSecrets };
