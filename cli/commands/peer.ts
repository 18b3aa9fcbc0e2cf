// `miroir peer --config FILE [--key.path=value …]`: runs one Miroir peer
// (ARCHITECTURE §9). The configuration comes from the JSON file, `MIROIR_*`
// environment variables and `--key.path=value` flags (runtime/config/);
// secrets only from the environment. A configuration error prints every
// issue, one per line, and exits 2.
//
// This module is also the composition root of a peer: `startPeer` joins the
// peer runtime (runtime/peer/peer.ts: mesh, LevelDB log, state machine,
// services) with its supervisor actors (actors/peer.machine.ts), which
// runtime/ may not import (STYLE G1). `miroir dev` and the integration tests
// start peers through it.
//
// The client API is the HTTP edge of api/app.ts (`buildApp({ services })`),
// listening on `listen.host:listen.clientPort` when `clientApi` is set (the
// command always sets it), and the metrics (runtime/metrics/, api/plugins/
// metrics.ts) on `listen.host:listen.metricsPort` at `/metrics` when
// `metricsApi` is set. Shutdown order: edge, metrics server, supervisor
// (leader-only actors, then the Raft driver and its LevelDB log), mesh, node
// clients. The command logs JSON lines through pino (api/plugins/logging.ts):
// start-up, leader changes, shut-down, and one line per client request.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from '../../api/app.ts';
import { createLogger } from '../../api/plugins/logging.ts';
import { metricsServer } from '../../api/plugins/metrics.ts';
import { createActor, fromCallback, fromPromise, waitFor, type ActorRefFrom, type EventObject } from 'xstate';
import { peerMachine } from '../../actors/peer.machine.ts';
import { raftPeerMachine } from '../../actors/raft-peer.machine.ts';
import { dispatchersInput, dispatchersLogic } from '../../actors/dispatchers.machine.ts';
import { rebalancerInput, rebalancerLogic } from '../../actors/rebalancer.machine.ts';
import { rfRestorerLogic } from '../../actors/rf-restorer.machine.ts';
import { peerTopologyServices } from '../../runtime/topology/peer-topology.ts';
import { leaderActor, leaderActorsLogic, type LeaderActor, type RestartPolicy } from '../../actors/supervision.ts';
import { nodesLogicOf } from '../../actors/nodes-io.ts';
import { healthPolicyOf } from '../../runtime/health/policy.ts';
import { ConfigError, loadConfig, type PeerConfig } from '../../runtime/config/index.ts';
import type { Clock, Rng } from '../../runtime/env/clock.ts';
import { realClock, realRng } from '../../runtime/env/real.ts';
import { peerDispatchServices } from '../../runtime/dispatch/peer-dispatch.ts';
import type { DispatchServices } from '../../runtime/dispatch/services.ts';
import { WriteQuorum } from '../../runtime/writes/write-quorum.ts';
import { bootstrapIfPristine } from '../../runtime/peer/bootstrap.ts';
import type { DriverHost } from '../../runtime/peer/driver-host.ts';
import { openPeerRuntime, type PeerRuntime } from '../../runtime/peer/peer.ts';
import type { PeerServices } from '../../runtime/peer/services.ts';

export interface StartPeerOptions {
  clock: Clock;
  rng: Rng;
  /**
   * The leader-only actors of this peer (dispatchers, task tracker …), built
   * once from the runtime; each starts on `raft.leader.gained` with its
   * `input(term)` and stops on `raft.leader.lost` (actors/supervision.ts).
   * The bootstrap of a new cluster is always added.
   */
  leaderActors?: (runtime: PeerRuntime) => readonly LeaderActor[];
  /** Supervisor back-off; the jitter seed defaults to one drawn from `rng`. */
  restart?: Partial<RestartPolicy>;
  /** Serve the Meilisearch API (api/app.ts) on listen.host:listen.clientPort. */
  clientApi?: boolean;
  /** Serve the metrics exposition on listen.host:listen.metricsPort (`GET /metrics`). */
  metricsApi?: boolean;
  /** The client API's request log (default: none). */
  logger?: Logger;
}

export interface Peer {
  readonly services: PeerServices;
  readonly runtime: PeerRuntime;
  readonly supervisor: ActorRefFrom<typeof peerMachine>;
  /** The client API's address (http://host:port), null when not served. */
  readonly clientUrl: string | null;
  /** The metrics server's address (http://host:port), null when not served. */
  readonly metricsUrl: string | null;
  /** Closes the edge and the metrics server, then the supervisor (leader-only actors, then the driver), then the mesh and node clients. */
  close(): Promise<void>;
}

/** Starts a peer; rejects (and releases everything) when its first Raft driver cannot start. */
export async function startPeer(config: PeerConfig, options: StartPeerOptions): Promise<Peer> {
  const runtime = await openPeerRuntime(config, options);
  try {
    await runtime.host.start();
  } catch (error) {
    await runtime.close();
    throw error;
  }
  const bootstrap = leaderActor('bootstrap', fromPromise(() => bootstrapIfPristine(runtime.services)), () => undefined);
  const writeQuorum = writeQuorumOf(runtime, config, options.clock);
  const services: PeerServices = { ...runtime.services, writeQuorum };
  const dispatch: DispatchServices = { ...peerDispatchServices(runtime), enqueued: (nodeId, logIndexes) => writeQuorum.enqueued(nodeId, logIndexes) };
  const dispatchers = leaderActor('dispatchers', dispatchersLogic(dispatch), () => dispatchersInput(dispatch));
  const topology = peerTopologyServices(runtime);
  const rebalancer = leaderActor('rebalancer', rebalancerLogic(topology), () => rebalancerInput(topology));
  const rfRestorer = leaderActor('rf-restorer', rfRestorerLogic({
    ...topology,
    restoreAfterMs: config.topology.restoreAfterMs,
    isDown: (nodeId) => !runtime.health.isRoutable(nodeId, topology.clock.nowMs()),
  }), () => undefined);
  const machine = peerMachine.provide({
    actors: {
      raftPeer: raftPeerMachine.provide({ actors: driverActors(runtime.host, true) }),
      leaderActors: leaderActorsLogic([bootstrap, dispatchers, rebalancer, rfRestorer, ...(options.leaderActors?.(runtime) ?? [])]),
      nodes: nodesLogicOf(runtime),
    },
  });
  const restart = { seed: options.rng.int(2 ** 31), ...options.restart };
  const nodes = { policy: healthPolicyOf(config.health), restart };
  const supervisor = createActor(machine, { clock: options.clock, input: { restart, nodes } });
  supervisor.start();
  let edge: FastifyInstance | null = null;
  let metricsEdge: FastifyInstance | null = null;
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await edge?.close();
      await metricsEdge?.close();
      supervisor.send({ type: 'peer.stop' });
      await waitFor(supervisor, (s) => s.status !== 'active');
      writeQuorum.close();
      await runtime.close();
    })();
    return closing;
  };
  let clientUrl: string | null = null;
  let metricsUrl: string | null = null;
  try {
    if (options.clientApi === true) {
      const logger = options.logger === undefined ? {} : { logger: options.logger };
      edge = await buildApp({ services, metrics: runtime.metrics, ...logger });
      clientUrl = await listenOn(edge, config.listen.host, config.listen.clientPort);
    }
    if (options.metricsApi === true) {
      metricsEdge = await metricsServer(runtime.metrics);
      metricsUrl = await listenOn(metricsEdge, config.listen.host, config.listen.metricsPort);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { services, runtime, supervisor, clientUrl, metricsUrl, close };
}

/** The `quorum` ack mode's waits over the runtime's mesh; the leader's dispatchers feed it their node enqueue acks. */
function writeQuorumOf(runtime: PeerRuntime, config: PeerConfig, clock: Clock): WriteQuorum {
  return new WriteQuorum({
    clock,
    state: () => runtime.stateMachine.state,
    onApplied: (listener) => runtime.stateMachine.onApplied(() => listener()),
    leader: () => ({ self: runtime.host.driver?.isLeader ?? false, id: runtime.host.driver?.leader ?? null }),
    retryMs: Math.ceil((config.raft.electionTicks * config.raft.tickMs) / 2),
    mesh: runtime.mesh,
  });
}

/** Listens (port 0: a free one) and returns the address as http://host:port. */
async function listenOn(server: FastifyInstance, host: string, port: number): Promise<string> {
  await server.listen({ host, port });
  const address = server.server.address();
  return `http://${host}:${typeof address === 'object' && address !== null ? address.port : port}`;
}

/**
 * The raft-peer actor's driver actors over the host; the first start was
 * already done by startPeer. No driver event is lost between a start and the
 * `driverEvents` subscription: the actor enters `running` in the same chain of
 * microtasks that resolves the start, and a driver emits only from timers and
 * I/O callbacks.
 */
function driverActors(host: DriverHost, alreadyStarted: boolean) {
  let skipNextStart = alreadyStarted;
  return {
    startDriver: fromPromise<void>(async () => {
      if (skipNextStart) {
        skipNextStart = false;
        return;
      }
      await host.start();
    }),
    driverEvents: fromCallback<EventObject>(({ sendBack }) => host.subscribe((event) => sendBack(event))),
    closeDriver: fromPromise<void>(() => host.close()),
  };
}

const HELP = `usage: miroir peer --config FILE [--key.path=value …]

Runs one Miroir peer: a member of the Raft group holding the cluster metadata
and every write, serving the Meilisearch API.

flags:
  --config FILE        the JSON config file [MIROIR_CONFIG]
  --<key.path>=VALUE   any config key, e.g. --raft.tickMs=50 or --listen.client-port=7701
  -h, --help           show this help

Every key may also come from the environment: MIROIR_<KEY_PATH> (raft.tickMs →
MIROIR_RAFT_TICK_MS). Secrets come only from the environment:
MIROIR_MASTER_KEY, MIROIR_NODE_MASTER_KEY, MIROIR_ADMIN_KEY, MIROIR_CLUSTER_SECRET.`;

interface Args {
  configPath: string | null;
  flags: Record<string, string>;
}

export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Args | string {
  let configPath: string | null = env.MIROIR_CONFIG ?? null;
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') return `unexpected argument \`${arg}\``;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) return `flag \`--${name}\` needs a value`;
    if (name === 'config') configPath = value;
    else flags[name] = value;
  }
  return { configPath, flags };
}

/** A closed stdout (the parent went away) must not crash a peer that is shutting down cleanly. */
function tolerateClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/** Reads the file and loads the config; every problem (file and keys) comes back in one ConfigError. */
function readConfig(args: Args): PeerConfig {
  const issues: string[] = [];
  let fileText: string | null = null;
  if (args.configPath !== null) {
    try {
      fileText = readFileSync(args.configPath, 'utf8');
    } catch (error) {
      issues.push(`${args.configPath}: cannot read the config file (${(error as Error).message})`);
    }
  }
  try {
    const config = loadConfig({ fileText, fileName: args.configPath ?? 'config file', env: process.env, flags: args.flags });
    if (issues.length === 0) return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
  }
  throw new ConfigError(issues);
}

export async function run(argv: string[]): Promise<number> {
  tolerateClosedStdout();
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const args = parseArgs(argv, process.env);
  if (typeof args === 'string') {
    console.error(`miroir peer: ${args}\n${HELP}`);
    return 2;
  }
  let config: PeerConfig;
  try {
    config = readConfig(args);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error('miroir peer: invalid configuration');
    for (const issue of error.issues) console.error(issue);
    return 2;
  }
  const { rng, seed } = realRng();
  const log = createLogger({ base: { peerId: config.peerId } });
  let peer: Peer;
  try {
    peer = await startPeer(config, { clock: realClock, rng, clientApi: true, metricsApi: true, logger: log });
  } catch (error) {
    log.error({ err: error }, `miroir peer ${config.peerId}: cannot start: ${(error as Error).message}`);
    return 1;
  }
  peer.runtime.host.subscribe((event) => {
    if (event.type === 'raft.leader.changed') log.info({ leader: event.leader, term: event.term }, `miroir peer ${config.peerId}: leader ${event.leader ?? 'unknown'} (term ${event.term})`);
    if (event.type === 'raft.failed') log.error({ err: event.error }, `miroir peer ${config.peerId}: raft driver failed, restarting: ${event.error.message}`);
  });
  log.info(
    { clientUrl: peer.clientUrl, peerUrl: peer.runtime.peerUrl, metricsUrl: peer.metricsUrl, dataDir: config.dataDir, seed },
    `miroir peer ${config.peerId}: client ${peer.clientUrl ?? 'not served'} · peers ${peer.runtime.peerUrl} · metrics ${peer.metricsUrl ?? 'not served'} · data ${config.dataDir} · seed ${seed}`,
  );
  return await new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, `miroir peer ${config.peerId}: ${signal}, shutting down`);
      peer.close().then(
        () => {
          log.info(`miroir peer ${config.peerId}: stopped`);
          resolve(0);
        },
        (error: unknown) => {
          log.error({ err: error }, `miroir peer ${config.peerId}: unclean shutdown: ${(error as Error).message}`);
          resolve(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
