// Benchmark: time from kill -9 of a node to the first complete search
// answered without it (issue 5 §7), on a `miroir dev` cluster of 3 peers and
// 3 engine nodes with RF 2 and the default health config. Each node in turn
// is killed and restarted from its data dir (test/integration/health/
// failover-scenario.ts), twice; per round it records
// - the first complete search sent after the kill (exact total, no
//   X-Miroir-Degraded): the read path fails over inside the request, so this
//   is bounded by one failed connection, not by the health interval;
// - the time until every peer's merged health view says the node is down
//   (searches stop trying it at all), as a ratio to the probe interval;
// - the time from the restart until every peer says healthy again (includes
//   booting the node process);
// and whether any search in between was partial.
//
//   npm run bench:topology:failover   writes bench/topology/failover-results.{json,md}
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { removeDataDir, tempDataDir, type DevCluster } from '../../test/integration/cluster/harness.ts';
import { isComplete, killAndRestart, startFailoverCluster, type FailoverResult } from '../../test/integration/health/failover-scenario.ts';

const HEALTH_INTERVAL_MS = 1_000;
const out = new URL('./', import.meta.url).pathname;

async function main(): Promise<void> {
  const dataDir = tempDataDir();
  let cluster: DevCluster | null = null;
  const rounds: Array<Omit<FailoverResult, 'restarted' | 'samplesAfterKill'> & { searches: number; partial: number }> = [];
  const restarted: FailoverResult['restarted'][] = [];
  try {
    cluster = await startFailoverCluster(dataDir);
    for (const victim of ['n1', 'n2', 'n3', 'n1', 'n2', 'n3']) {
      const previous = restarted.find((c) => c.spawnargs.includes(cluster!.nodes().find((n) => n.id === victim)!.dataDir));
      const result = await killAndRestart(cluster, victim, HEALTH_INTERVAL_MS, previous?.pid === undefined ? {} : { pid: previous.pid });
      restarted.push(result.restarted);
      const { restarted: _child, samplesAfterKill, ...numbers } = result;
      rounds.push({ ...numbers, searches: samplesAfterKill.length, partial: samplesAfterKill.filter((s) => !isComplete(s)).length });
      console.log(JSON.stringify(rounds.at(-1)));
    }
  } finally {
    for (const child of restarted) child.kill('SIGKILL');
    await cluster?.stop();
    removeDataDir(dataDir);
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`;
  writeFileSync(`${out}failover-results.json`, `${JSON.stringify({ machine, healthIntervalMs: HEALTH_INTERVAL_MS, rounds }, null, 2)}\n`);
  const lines = [
    '| node killed | first complete search after kill (ms) | ÷ interval | down on every peer (ms) | ÷ interval | healthy again after restart (ms) | searches during failover | partial |',
    '|---|---|---|---|---|---|---|---|',
    ...rounds.map((r) =>
      `| ${r.victim} | ${r.firstCompleteMs} | ${(r.firstCompleteMs / HEALTH_INTERVAL_MS).toFixed(2)} | ${r.failedEverywhereMs} | ${(r.failedEverywhereMs / HEALTH_INTERVAL_MS).toFixed(2)} | ${r.recoveredEverywhereMs} | ${r.searches} | ${r.partial} |`),
  ];
  const summary = (pick: (r: (typeof rounds)[number]) => number): string => {
    const values = rounds.map(pick).sort((a, b) => a - b);
    return `median ${values[Math.floor(values.length / 2)]} ms, max ${values.at(-1)} ms`;
  };
  lines.push('', `First complete search after the kill: ${summary((r) => r.firstCompleteMs)}. Down on every peer: ${summary((r) => r.failedEverywhereMs)}.`);
  writeFileSync(`${out}failover-results.md`, `${lines.join('\n')}\n\nMachine: ${machine}; health.probeIntervalMs ${HEALTH_INTERVAL_MS}, suspect re-probe 250 ms, unhealthy after 2, recovered after 2.\n`);
}

await main();
