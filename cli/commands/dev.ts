// `miroir dev`: a whole local cluster from one command (ARCHITECTURE §9):
// engine nodes (`miroir node`) and peers (`miroir peer --config FILE`) as
// child processes under one data dir (default ./.miroir/), client API on
// 127.0.0.1:7700 (the first peer; the others on the following ports).
//
// Files in the data dir:
//   layout.json   ids, ports and directories, fixed on the first start and
//                 reused on restarts (the node URLs are committed in the log);
//   secrets.json  generated keys (mode 0600), reused on restarts;
//   peers/<id>.json, peers/<id>/, nodes/<id>/, logs/<id>.log;
//   dev.json      every running process (role, id, pid, ports, data dir, url)
//                 for scripts that must find or kill one; removed on a clean stop.
//
// Ready means: every peer answers /_miroir/ready (a leader is known and the
// bootstrap is applied), the committed topology lists every node `active`,
// and every node answers /health. SIGINT/SIGTERM stop the peers, then the
// nodes; children also stop by themselves when this process dies, however
// it dies (cli/dev/exit-with-parent.js).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { baseEnv, startChild, type DevChild } from '../dev/child.ts';
import {
  DEFAULT_OPTIONS, clientUrl, layoutConflicts, nodeUrl, optionIssues, peerConfigFile, planLayout, portCount, portOwner,
  type DevLayout, type DevOptions,
} from '../dev/layout.ts';
import { freePorts, portInUse } from '../dev/ports.ts';

const HELP = `usage: miroir dev [flags]

Starts a local Miroir cluster: engine nodes and peers as child processes, all
data under one directory. Ctrl-C stops everything.

flags:
  --peers N          Miroir peers (Raft members), default 3
  --nodes N          engine nodes per replica group, default 3
  --groups N         replica groups (RG), default 1
  --rf N             copies of each shard inside a group, default 1
  --shards N         shards (S) of new indexes, default 64
  --port P           client API of the first peer, default 7700; peer i serves
                     P+i, its mesh P+100+i and metrics P+300+i; nodes use
                     P+200+j; 0 picks free ports (on the first start,
                     again if another process takes one before its use)
  --data-dir DIR     default ./.miroir
  --master-key KEY   client master key (at least 16 bytes) [MIROIR_MASTER_KEY];
                     generated on the first start otherwise
  --peer-links FILE  JSON {"p1": {"p2": "ws://HOST:PORT"}}: the address a peer
                     dials another peer at instead of its mesh port (fault
                     proxies of the chaos suite); applies on every start
  -h, --help         show this help

A restart with the same data dir brings the same cluster back with its data.
The running processes are listed in DIR/dev.json. MIROIR_* configuration
variables (runtime/config/schema.ts) reach every peer, e.g.
MIROIR_RAFT_TICK_MS=50 npx miroir dev.`;

const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;
/** Starts on fresh ports after a port was taken before a child could bind it (cli/dev/ports.ts). */
const MAX_START_ATTEMPTS = 3;

interface Secrets {
  masterKey: string;
  nodeMasterKey: string;
  adminKey: string;
  clusterSecret: string;
}

interface Args {
  given: Partial<DevOptions>;
  dataDir: string;
  masterKey: string | null;
  peerLinks: string | null;
}

/** Per dialing peer, the address it dials each other peer at (--peer-links). */
type PeerLinkMap = Record<string, Record<string, string>>;

const NUMERIC: Record<string, keyof DevOptions> = {
  peers: 'peers', nodes: 'nodesPerGroup', groups: 'groups', rf: 'rf', shards: 'shards', port: 'port',
};

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): Args | string {
  const given: Partial<DevOptions> = {};
  let dataDir = '.miroir';
  let masterKey = env.MIROIR_MASTER_KEY || null;
  let peerLinks: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) return `unexpected argument \`${arg}\``;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) return `flag \`--${name}\` needs a value`;
    const key = NUMERIC[name];
    if (name === 'data-dir') dataDir = value;
    else if (name === 'master-key') masterKey = value;
    else if (name === 'peer-links') peerLinks = value;
    else if (key === undefined) return `unknown flag \`--${name}\``;
    else if (!/^[0-9]+$/.test(value)) return `flag \`--${name}\` needs a whole number, got \`${value}\``;
    else (given as Record<string, number>)[key] = Number(value);
  }
  return { given, dataDir, masterKey, peerLinks };
}

function readJson<T>(path: string): T | null {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The layout to start. `repick` is set when the ports may still change: a
 * new layout on free ports (--port 0), before the first start has committed
 * its node URLs; it draws fresh ports and saves the new layout.
 */
interface Planned {
  layout: DevLayout;
  repick: (() => Promise<DevLayout>) | null;
  /** Planned by this run: nothing has run on it before, so a start that cannot bind its ports may forget it. */
  fresh: boolean;
}

/** The saved layout, or a new one saved for the next start; a string is the reason it cannot be used. */
async function loadLayout(root: string, given: Partial<DevOptions>): Promise<Planned | string> {
  const path = join(root, 'layout.json');
  const saved = readJson<DevLayout>(path);
  if (saved !== null) {
    const conflicts = layoutConflicts(saved, given);
    return conflicts.length > 0 ? `${conflicts.join('\n')}\n(use another --data-dir, or remove ${root})`
      : { layout: saved, repick: null, fresh: false };
  }
  const options: DevOptions = { ...DEFAULT_OPTIONS, ...given };
  const issues = optionIssues(options);
  if (issues.length > 0) return issues.join('\n');
  const plan = async (): Promise<DevLayout> => {
    const layout = planLayout(options, options.port === 0 ? await freePorts(options.host, portCount(options)) : []);
    // Written aside and renamed, like dev.json: a reader never sees half a layout.
    writeFileSync(`${path}.tmp`, `${JSON.stringify(layout, null, 2)}\n`);
    renameSync(`${path}.tmp`, path);
    return layout;
  };
  return { layout: await plan(), repick: options.port === 0 ? plan : null, fresh: true };
}

/** Saved secrets (generated on the first start); a --master-key replaces the saved one. */
function loadSecrets(root: string, masterKey: string | null): Secrets | string {
  if (masterKey !== null && Buffer.byteLength(masterKey) < 16) return '--master-key must be at least 16 bytes';
  const path = join(root, 'secrets.json');
  const key = (): string => randomBytes(24).toString('base64url');
  const secrets = readJson<Secrets>(path) ?? { masterKey: key(), nodeMasterKey: key(), adminKey: key(), clusterSecret: key() };
  if (masterKey !== null) secrets.masterKey = masterKey;
  writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

interface Running {
  role: 'peer' | 'node';
  id: string;
  child: DevChild;
  entry: Record<string, unknown>;
}

function startNodes(root: string, layout: DevLayout, secrets: Secrets, env: NodeJS.ProcessEnv): Running[] {
  return layout.nodes.map((node) => {
    const dataDir = join(root, node.dir);
    const child = startChild({
      name: `node ${node.id}`,
      args: ['node', '--http-addr', `${layout.host}:${node.port}`, '--db-path', dataDir, '--master-key', secrets.nodeMasterKey],
      env,
      logPath: join(root, 'logs', `${node.id}.log`),
    });
    const entry = { role: 'node', id: node.id, group: node.group, pid: child.process.pid ?? null, ports: { http: node.port }, dataDir, url: nodeUrl(layout, node) };
    return { role: 'node', id: node.id, child, entry };
  });
}

/** The --peer-links file, or why it cannot be used. */
function loadPeerLinks(path: string): PeerLinkMap | string {
  const links = readJson<unknown>(resolve(path));
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const valid = isMap(links) && Object.values(links).every((to) => isMap(to) && Object.values(to).every((a) => typeof a === 'string'));
  return valid ? (links as PeerLinkMap) : `--peer-links ${path}: not a JSON object of peer id → {peer id → address}`;
}

function startPeers(root: string, layout: DevLayout, secrets: Secrets, env: NodeJS.ProcessEnv, links: PeerLinkMap): Running[] {
  const peerEnv = {
    ...env,
    MIROIR_MASTER_KEY: secrets.masterKey,
    MIROIR_NODE_MASTER_KEY: secrets.nodeMasterKey,
    MIROIR_ADMIN_KEY: secrets.adminKey,
    MIROIR_CLUSTER_SECRET: secrets.clusterSecret,
  };
  return layout.peers.map((peer) => {
    const configPath = join(root, 'peers', `${peer.id}.json`);
    const config = peerConfigFile(layout, peer, root);
    const dials = links[peer.id] ?? {};
    config.peers = (config.peers as Array<{ id: string; address: string }>).map((p) => ({ ...p, address: dials[p.id] ?? p.address }));
    writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
    const child = startChild({
      name: `peer ${peer.id}`,
      args: ['peer', '--config', configPath],
      env: peerEnv,
      logPath: join(root, 'logs', `${peer.id}.log`),
    });
    const entry = {
      role: 'peer', id: peer.id, pid: child.process.pid ?? null, ports: { client: peer.clientPort, peer: peer.peerPort, metrics: peer.metricsPort },
      dataDir: join(root, peer.dir), config: configPath, url: clientUrl(layout, peer),
    };
    return { role: 'peer', id: peer.id, child, entry };
  });
}

function writeDevJson(root: string, status: 'starting' | 'ready', layout: DevLayout, running: readonly Running[]): void {
  const processes = running.map((r) => ({ ...r.entry, exited: r.child.hasExited() }));
  const dev = { pid: process.pid, status, dataDir: root, url: clientUrl(layout, layout.peers[0]!), processes };
  // Written aside and renamed: a script polling dev.json never reads half a file.
  writeFileSync(join(root, 'dev.json.tmp'), `${JSON.stringify(dev, null, 2)}\n`);
  renameSync(join(root, 'dev.json.tmp'), join(root, 'dev.json'));
}

async function probe(url: string, headers: Record<string, string> = {}): Promise<unknown> {
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(5_000) });
    return response.ok ? await response.json() : null;
  } catch (error) {
    // Refused or timed out: the process is still starting, which is what the caller polls for.
    if (error instanceof Error) return null;
    throw error;
  }
}

/** Why a start did not become ready: a child exited, or something was still missing at the deadline. */
type StartFailure = { exited: Running } | { missing: string };

/** Polls `gap` (what is still missing, '' when nothing) until it is empty (null), a child exits, or the deadline passes. */
async function waitUntil(gap: () => Promise<string>, running: readonly Running[]): Promise<StartFailure | null> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let missing = 'nothing probed yet';
  while (Date.now() < deadline) {
    const exited = running.find((r) => r.child.hasExited());
    if (exited) return { exited };
    missing = await gap();
    if (missing === '') return null;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return { missing };
}

/** A child's exit during the start, with its cause when its log shows one: a port another process holds. */
function exitReason(layout: DevLayout, r: Running): string {
  const port = portInUse(r.child.logSinceStart());
  const cause = port === null ? '' : `: port ${port} (${portOwner(layout, port) ?? 'not in the layout'}) is in use by another process`;
  return `${r.role} ${r.id} exited${cause} (log: ${r.child.spec.logPath})`;
}

/** Removes what a failed first start left in the process data dirs: its Raft log committed the node URLs that are about to change. */
function removeStateDirs(root: string, layout: DevLayout): void {
  for (const { dir } of [...layout.peers, ...layout.nodes]) rmSync(join(root, dir), { recursive: true, force: true });
}

async function nodesGap(layout: DevLayout): Promise<string> {
  for (const node of layout.nodes) {
    const health = (await probe(`${nodeUrl(layout, node)}/health`)) as { status?: string } | null;
    if (health?.status !== 'available') return `node ${node.id} is not healthy`;
  }
  return '';
}

async function clusterGap(layout: DevLayout, secrets: Secrets): Promise<string> {
  for (const peer of layout.peers) {
    if ((await probe(`${clientUrl(layout, peer)}/_miroir/ready`)) === null) return `peer ${peer.id} is not ready`;
  }
  const admin = { authorization: `Bearer ${secrets.adminKey}` };
  const topology = (await probe(`${clientUrl(layout, layout.peers[0]!)}/_miroir/topology`, admin)) as { nodes?: Array<{ id: string; state: string }> } | null;
  for (const node of layout.nodes) {
    const committed = topology?.nodes?.find((n) => n.id === node.id);
    if (committed?.state !== 'active') return `node ${node.id} is not active in the committed topology`;
  }
  return nodesGap(layout);
}

async function stopAll(running: readonly Running[]): Promise<void> {
  // Peers first: a node stopped under a live dispatcher would only produce retries and noise.
  await Promise.all(running.filter((r) => r.role === 'peer').map((r) => r.child.stop(STOP_GRACE_MS)));
  await Promise.all(running.filter((r) => r.role === 'node').map((r) => r.child.stop(STOP_GRACE_MS)));
}

function printReady(root: string, layout: DevLayout, secrets: Secrets, elapsedMs: number): void {
  const urls = layout.peers.map((p) => clientUrl(layout, p));
  console.log(`miroir dev: ready in ${(elapsedMs / 1000).toFixed(1)} s — ${layout.peers.length} peers, ${layout.nodes.length} nodes, RF ${layout.rf}`);
  console.log(`  client API  ${urls[0]}${urls.length > 1 ? `  (every peer serves it: ${urls.slice(1).join(', ')})` : ''}`);
  console.log(`  master key  ${secrets.masterKey}`);
  console.log(`  admin key   ${secrets.adminKey}  (for /_miroir/*)`);
  console.log(`  data        ${root}  (processes: dev.json, logs: logs/)`);
  console.log('Press Ctrl-C to stop.');
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const args = parseArgs(argv, process.env);
  if (typeof args === 'string') {
    console.error(`miroir dev: ${args}\n${HELP}`);
    return 2;
  }
  const root = resolve(args.dataDir);
  mkdirSync(join(root, 'logs'), { recursive: true });
  mkdirSync(join(root, 'peers'), { recursive: true });
  const previous = readJson<{ pid: number }>(join(root, 'dev.json'));
  if (previous !== null && previous.pid !== process.pid && isAlive(previous.pid)) {
    console.error(`miroir dev: a cluster is already running from ${root} (pid ${previous.pid})`);
    return 1;
  }
  const planned = await loadLayout(root, args.given);
  const secrets = loadSecrets(root, args.masterKey);
  const links = args.peerLinks === null ? {} : loadPeerLinks(args.peerLinks);
  if (typeof planned === 'string' || typeof secrets === 'string' || typeof links === 'string') {
    console.error(`miroir dev: ${[planned, secrets, links].find((x) => typeof x === 'string')}`);
    return 2;
  }
  return supervise(root, planned, secrets, links);
}

async function supervise(root: string, planned: Planned, secrets: Secrets, links: PeerLinkMap): Promise<number> {
  const startedAt = Date.now();
  const env = baseEnv(process.env);
  let layout = planned.layout;
  let running: Running[] = [];
  let stopping: Promise<number> | null = null;
  const stop = (code: number): Promise<number> => {
    stopping ??= stopAll(running).then(() => {
      rmSync(join(root, 'dev.json'), { force: true });
      return code;
    });
    return stopping;
  };
  const signalled = new Promise<number>((ok) => {
    const onSignal = (signal: string): void => {
      console.error(`miroir dev: ${signal}, stopping every process`);
      void stop(0).then(ok);
    };
    process.once('SIGINT', () => onSignal('SIGINT'));
    process.once('SIGTERM', () => onSignal('SIGTERM'));
  });
  for (let attempt = 1; ; attempt++) {
    running = [...startNodes(root, layout, secrets, env), ...startPeers(root, layout, secrets, env, links)];
    writeDevJson(root, 'starting', layout, running);
    // Peers need no node to elect a leader and commit the bootstrap, so both start at once.
    const ready = (): Promise<StartFailure | null> => waitUntil(() => clusterGap(layout, secrets), running);
    const failure = await Promise.race([ready(), signalled.then(() => 'stopped' as const)]);
    if (failure === 'stopped') return signalled;
    if (failure === null) break;
    const reason = 'exited' in failure ? exitReason(layout, failure.exited) : failure.missing;
    // A port taken between the pick and the bind (cli/dev/ports.ts): on a first start on free ports, pick again.
    const portTaken = 'exited' in failure && portInUse(failure.exited.child.logSinceStart()) !== null;
    if (portTaken && planned.repick !== null && attempt < MAX_START_ATTEMPTS) {
      console.error(`miroir dev: ${reason}; starting again on fresh ports`);
      await stopAll(running);
      if (stopping !== null) return signalled;
      removeStateDirs(root, layout);
      layout = await planned.repick();
      continue;
    }
    if (!portTaken) {
      console.error(`miroir dev: the cluster did not become ready: ${reason}`);
      return stop(1);
    }
    const hint = planned.fresh
      ? 'free the port, or start with another --port (0 picks free ports)'
      : `the ports of this cluster are fixed in ${join(root, 'layout.json')} (its node URLs are committed): free the port, or use another --data-dir`;
    console.error(`miroir dev: the cluster did not become ready: ${reason}; ${hint}`);
    const code = await stop(1);
    // A layout that never ran is forgotten, so the next start may choose other ports without a conflict with it.
    if (planned.fresh) {
      removeStateDirs(root, layout);
      rmSync(join(root, 'layout.json'), { force: true });
    }
    return code;
  }
  writeDevJson(root, 'ready', layout, running);
  printReady(root, layout, secrets, Date.now() - startedAt);
  for (const r of running) {
    void r.child.exited.then((how) => {
      if (stopping !== null) return;
      console.error(`miroir dev: ${r.role} ${r.id} (pid ${r.child.process.pid}) exited (${how}); log: ${r.child.spec.logPath}`);
      writeDevJson(root, 'ready', layout, running);
    });
  }
  return signalled;
}
