// `npm run chaos -- --seed N --duration 60s [--batch 10] [--keep-data] [--no-topology]`:
// one chaos run (chaos.ts) with its timeline, the problems found, and a
// verdict line (the topology changes of topology.ts are on unless
// --no-topology); exit 0 on PASS, 1 on FAIL, 2 on bad flags. Without --seed a
// seed is drawn and printed, so any run can be replayed.
import { randomInt } from 'node:crypto';
import { runChaos, verdictLine } from './chaos.ts';

const USAGE = 'usage: npm run chaos -- [--seed N] [--duration 60s|2m|1500ms] [--batch DOCS] [--keep-data] [--no-topology]';

export function parseDuration(text: string): number | null {
  const match = /^([0-9]+)(ms|s|m)?$/.exec(text);
  if (match === null) return null;
  const scale = match[2] === 'ms' ? 1 : match[2] === 'm' ? 60_000 : 1_000;
  return Number(match[1]) * scale;
}

async function main(argv: string[]): Promise<number> {
  let seed = randomInt(0, 2 ** 31);
  let durationMs = 60_000;
  let batchSize = 10;
  let keepData = false;
  let topology = true;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--keep-data' || flag === '--no-topology') {
      if (flag === '--keep-data') keepData = true;
      else topology = false;
      continue;
    }
    i++;
    if (flag === '--seed' && value !== undefined && /^[0-9]+$/.test(value)) seed = Number(value);
    else if (flag === '--duration' && value !== undefined && parseDuration(value) !== null) durationMs = parseDuration(value)!;
    else if (flag === '--batch' && value !== undefined && /^[1-9][0-9]*$/.test(value)) batchSize = Number(value);
    else {
      console.error(`chaos: bad flag ${flag ?? ''} ${value ?? ''}\n${USAGE}`);
      return 2;
    }
  }
  const verdict = await runChaos({ seed, durationMs, batchSize, writePauseMs: 100, searchPauseMs: 50, keepData, topology, log: (line) => console.log(line) });
  for (const problem of verdict.problems) console.log(`  problem: ${problem}`);
  console.log(`  raft: ${verdict.raft}`);
  if (!verdict.pass || keepData) console.log(`  data and logs kept in ${verdict.dataDir}`);
  console.log(verdictLine(verdict));
  return verdict.pass ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
