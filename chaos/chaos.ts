// One chaos run (issue 6 §4): a `miroir dev` cluster (3 peers, 3 nodes,
// RF 2) whose peers talk through fault proxies (peer-links.ts), the client
// load of load.ts, the seeded faults of schedule.ts for the given duration,
// then — faults stopped, every process back, every node healthy again — the
// invariants of check.ts, the Raft logs last, read from the stopped peers'
// stores. The result is a verdict with the seed, so that a failure can be
// replayed with the same choices.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Meilisearch } from 'meilisearch';
import { seededRng } from '../runtime/env/rng.ts';
import { sleepMs } from '../runtime/env/real.ts';
import { MASTER_KEY, removeDataDir, startDev, tempDataDir, type DevCluster } from '../test/integration/cluster/harness.ts';
import { checkListing, checkRaft, checkRaftLogs, checkReplicas, checkSearch, checkTasks, emptyExpectation, waitSettled } from './check.ts';
import { INDEX, Load, clientFor } from './load.ts';
import { PeerLinks, type PeerLinkFault } from './peer-links.ts';
import { ChaosProcess } from './processes.ts';
import { faultSchedule, isNetworkFault, type Fault } from './schedule.ts';
import { ExtraNode, Operator, type JobOutcome } from './topology.ts';

export interface ChaosOptions {
  seed: number;
  durationMs: number;
  /** Documents per write batch. */
  batchSize: number;
  /** Pause between two write batches, and between two searches. */
  writePauseMs: number;
  searchPauseMs: number;
  log: (line: string) => void;
  /** Keep the data dir (logs) after the run; it is removed on a pass otherwise. */
  keepData?: boolean;
  /** Also change the topology under the faults: a fourth node joins, then one of the first three is drained (topology.ts). */
  topology?: boolean;
}

export interface Verdict {
  pass: boolean;
  seed: number;
  faults: number;
  /** Acknowledged writes, and how many of them updated or deleted a batch. */
  batches: number;
  updates: number;
  deletes: number;
  /** Documents that must be present at the end. */
  documents: number;
  listed: number;
  searches: number;
  retried: number;
  shards: number;
  replicas: number;
  raft: string;
  /** The topology jobs run under the faults and how they ended. */
  jobs: JobOutcome[];
  /** Mesh connections the fault proxies relayed: the peers did talk through them. */
  meshConnections: number;
  problems: string[];
  dataDir: string;
}

const SETTLE_BOUND_MS = 120_000;
const TASK_TIMEOUT_MS = 60_000;
const HOST = '127.0.0.1';
/** `miroir dev --peers 3` names its peers p1…p3 (cli/dev/layout.ts); the proxies must exist before the peers start. */
const PEER_IDS = ['p1', 'p2', 'p3'];
/** slow-node: SIGSTOP slices of this long, SIGCONT slices of that long. */
const SLOW_STOPPED_MS = 250;
const SLOW_RUNNING_MS = 100;
/** The node that joins (`miroir dev` names its nodes n1…n3 in group g1) and how long a job may take. */
const EXTRA_NODE = 'n4';
const GROUP = 'g1';
const JOB_BOUND_MS = 240_000;

/** A peer's real mesh port, from the layout `miroir dev` saved before starting any peer. */
function meshPort(dataDir: string, peerId: string): number {
  const layout = JSON.parse(readFileSync(join(dataDir, 'layout.json'), 'utf8')) as { peers: Array<{ id: string; peerPort: number }> };
  const peer = layout.peers.find((p) => p.id === peerId);
  if (peer === undefined) throw new Error(`peer ${peerId} not in ${dataDir}/layout.json`);
  return peer.peerPort;
}

export async function runChaos(options: ChaosOptions): Promise<Verdict> {
  const { seed, log } = options;
  const dataDir = tempDataDir();
  log(`chaos: seed ${seed}, ${options.durationMs} ms of faults, data in ${dataDir}`);
  let cluster: DevCluster | null = null;
  let processes: ChaosProcess[] = [];
  let extra: ExtraNode | null = null;
  let verdict: Verdict | null = null;
  const links = await PeerLinks.start(HOST, PEER_IDS, (id) => meshPort(dataDir, id));
  const stopAll = async (): Promise<void> => {
    await Promise.all(processes.map((p) => p.stopOwn()));
    await cluster?.stop();
    await extra?.stop();
  };
  try {
    const linksPath = join(dataDir, 'peer-links.json');
    writeFileSync(linksPath, JSON.stringify(links.addressFile()));
    cluster = await startDev(dataDir, ['--peers', String(PEER_IDS.length), '--rf', '2', '--shards', '8', '--peer-links', linksPath]);
    const headers = { authorization: `Bearer ${cluster.adminKey}` };
    const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    processes = cluster.dev.processes.slice().sort(byId).map((p) => new ChaosProcess(p, join(dataDir, 'logs'), headers));
    const nodes = processes.filter((p) => p.role === 'node');
    const peers = processes.filter((p) => p.role === 'peer');
    log(`chaos: cluster ready, peers ${peers.map((p) => p.id).join(' ')}, nodes ${nodes.map((p) => p.id).join(' ')}`);

    const admin = cluster.client();
    await admin.createIndex(INDEX, { primaryKey: 'id' }).waitTask({ timeout: TASK_TIMEOUT_MS });
    await admin.index(INDEX).updateFilterableAttributes(['batch']).waitTask({ timeout: TASK_TIMEOUT_MS });

    const clients = peers.map((p) => clientFor(p.info.url, MASTER_KEY));
    const load = new Load(clients, seededRng(seed ^ 0x5eed), options.batchSize);
    const running = [load.write(options.writePauseMs), load.search(options.searchPauseMs)];
    const schedule = faultSchedule(seed, options.durationMs, { nodes: nodes.length, peers: peers.length });
    if (options.topology === true) extra = await ExtraNode.start(EXTRA_NODE, dataDir, cluster.nodeMasterKey);
    const operator = new Operator(peers.map((p) => p.info.url), cluster.adminKey);
    const changes = extra === null ? Promise.resolve([]) : changeTopology(operator, extra, nodes[seededRng(seed ^ 0xd7a1).int(nodes.length)]!.id, log);
    const started = Date.now();
    let injected = 0;
    for (const fault of schedule) {
      if (Date.now() - started >= options.durationMs) break;
      const target = (fault.kind.endsWith('node') ? nodes : peers)[fault.target]!;
      // The wall-clock time too, to find the fault in the processes' logs.
      const latency = fault.latencyMs === undefined ? '' : ` (+${fault.latencyMs} ms each way)`;
      log(`chaos: +${((Date.now() - started) / 1000).toFixed(1)} s (${new Date().toISOString()}) ${fault.kind}${latency} ${target.id} (pid ${target.pid}) for ${fault.holdMs} ms`);
      const back = await inject(fault, target, links);
      log(`chaos:   ${target.id} answering again ${(back / 1000).toFixed(1)} s after the fault was undone`);
      injected++;
      await sleepMs(fault.gapMs);
    }
    log(`chaos: faults over after ${((Date.now() - started) / 1000).toFixed(1)} s; settling`);
    // The writes go on until the topology jobs end, so that their cut-overs happen under load too.
    const jobs = await changes;
    load.stop();
    await Promise.all(running);
    await Promise.all(processes.map((p) => p.waitUp()));
    const problems = [...load.violations];
    await waitSettled(cluster, SETTLE_BOUND_MS).catch((error: Error) => problems.push(`settle: ${error.message}`));
    for (const job of jobs) if (job.status !== 'succeeded') problems.push(`topology: ${job.kind} of ${job.nodeId} ended ${job.status}${job.reason === null ? '' : `: ${job.reason}`}`);
    const expected = emptyExpectation();
    for (let b = 0; b < load.created; b++) {
      for (let i = 0; i < options.batchSize; i++) {
        expected.known.add(`b${b}-${i}`);
        // A batch with a write never acknowledged may hold either state.
        if (load.uncertain.has(b)) expected.uncertain.add(`b${b}-${i}`);
      }
    }
    await checkTasks(admin, load.acks, expected, problems);
    const listed = await checkListing(admin, expected, problems);
    await checkSearch(admin, load.acks, expected, problems);
    const nodeClient = (id: string): Meilisearch => (id === extra?.id ? new Meilisearch({ host: extra.url, apiKey: cluster!.nodeMasterKey }) : cluster!.nodeClient(id));
    const { shards, replicas } = await checkReplicas(cluster, nodeClient, problems);
    const raftLive = await checkRaft(cluster, problems);
    // The stores are LevelDB databases one process at a time may open: the peers must be gone first.
    await stopAll();
    const raftLogs = await checkRaftLogs(new Map(peers.map((p) => [p.id, p.info.dataDir])), problems);
    verdict = {
      pass: problems.length === 0, seed, faults: injected, batches: load.acks.length, documents: expected.present.size, listed,
      updates: load.acks.filter((a) => a.kind === 'update').length, deletes: load.acks.filter((a) => a.kind.startsWith('delete')).length,
      searches: load.searches, retried: load.retriedWrites + load.retriedSearches, shards, replicas,
      raft: `${raftLive}; ${raftLogs}`, jobs, meshConnections: links.accepted(), problems, dataDir,
    };
    return verdict;
  } finally {
    await stopAll();
    await links.close();
    // A failed run keeps its data dir: the logs of every process are the evidence.
    if (verdict?.pass === true && options.keepData !== true) removeDataDir(dataDir);
  }
}

/** Applies one fault and undoes it after its hold; resolves once the process answers again, with the ms that took. */
async function inject(fault: Fault, target: ChaosProcess, links: PeerLinks): Promise<number> {
  if (fault.kind.startsWith('kill')) {
    target.kill9();
    await sleepMs(fault.holdMs);
    await target.restart();
  } else if (fault.kind === 'slow-node') {
    await target.slow(fault.holdMs, SLOW_STOPPED_MS, SLOW_RUNNING_MS);
  } else if (isNetworkFault(fault.kind)) {
    links.apply(target.id, networkFault(fault));
    await sleepMs(fault.holdMs);
    links.heal();
  } else {
    target.pause();
    await sleepMs(fault.holdMs);
    target.resume();
  }
  const undone = Date.now();
  await target.waitUp();
  return Date.now() - undone;
}

/** The extra node joins; once that job has ended, `drained` is drained. Both under the faults still running. */
async function changeTopology(operator: Operator, extra: ExtraNode, drained: string, log: (line: string) => void): Promise<JobOutcome[]> {
  const outcomes: JobOutcome[] = [];
  for (const [kind, nodeId] of [['join', extra.id], ['drain', drained]] as const) {
    log(`chaos: topology: ${kind} ${nodeId} (${new Date().toISOString()})`);
    const outcome = kind === 'join' ? await operator.join(extra, GROUP, JOB_BOUND_MS) : await operator.drain(nodeId, JOB_BOUND_MS);
    log(`chaos: topology: ${kind} ${nodeId} ${outcome.status} (${outcome.migrations} migrations) at ${new Date().toISOString()}`);
    outcomes.push(outcome);
  }
  return outcomes;
}

function networkFault(fault: Fault): PeerLinkFault {
  switch (fault.kind) {
    case 'partition-peer': return { kind: 'partition' };
    case 'cut-peer': return { kind: 'cut' };
    case 'mute-peer': return { kind: 'mute' };
    case 'deafen-peer': return { kind: 'deafen' };
    case 'delay-peer': return { kind: 'delay', latencyMs: fault.latencyMs ?? 0 };
    default: throw new Error(`${fault.kind} is not a network fault`);
  }
}

export function verdictLine(v: Verdict): string {
  return `chaos ${v.pass ? 'PASS' : 'FAIL'} seed=${v.seed} faults=${v.faults} writes=${v.batches} updates=${v.updates} deletes=${v.deletes} documents=${v.documents} listed=${v.listed} `
    + `searches=${v.searches} retried=${v.retried} shards=${v.shards} replicas=${v.replicas} mesh-connections=${v.meshConnections} jobs=${v.jobs.map((j) => `${j.kind}:${j.nodeId}:${j.status}`).join(',') || 'none'} problems=${v.problems.length}`;
}
