// Runs `promtool check metrics` (Debian's `prometheus` package; .ci/run
// installs it) over an exposition: the Prometheus project's own parser and
// linter for the text format, names, units and suffixes.
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';

/** Fails unless promtool accepts the exposition (an empty one proves nothing, so it fails too). */
export function assertPromtoolAccepts(exposition: string): void {
  assert.ok(exposition.includes('# TYPE '), 'the exposition holds metrics');
  const run = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (run.error !== undefined) {
    assert.fail(`promtool is needed (apt-get install --no-install-recommends prometheus): ${run.error.message}`);
  }
  assert.equal(run.status, 0, `promtool check metrics refused the exposition:\n${run.stdout}${run.stderr}`);
}

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
export function sampleValue(exposition: string, series: string): number | undefined {
  for (const line of exposition.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}
