// Goal: the Grafana dashboard (charts/miroir/dashboards/miroir.json) shows
// metrics a peer really exports, with queries Prometheus accepts, laid out
// without overlapping panels.
// Method: every metric name in the panel queries must be a family of a real
// peer registry (runtime/metrics createPeerMetrics, process metrics on), a
// histogram's series named by its _bucket/_sum/_count; every query, with
// Grafana's variables replaced, goes through `promtool check rules` as a
// recording rule (Prometheus' own PromQL parser; Debian's prometheus package,
// which .ci/run installs); panel ids are unique and grid positions fit 24
// columns without overlap.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { emptyState } from '../../../runtime/cluster/state.ts';
import { createPeerMetrics } from '../../../runtime/metrics/index.ts';
import { CHART } from './helm.ts';

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: { expr: string; refId: string }[];
}

const dashboard = JSON.parse(readFileSync(`${CHART}dashboards/miroir.json`, 'utf8')) as { uid: string; panels: Panel[]; templating: { list: { name: string }[] } };
const panels = dashboard.panels;
const queries = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

/** Metric families of a peer's registry, with their type. */
async function exportedFamilies(): Promise<Map<string, string>> {
  const state = emptyState();
  const metrics = createPeerMetrics(
    {
      state: () => state,
      isNodeHealthy: () => true,
      raft: () => ({ term: 1, commit: 0, applied: 0, isLeader: true, driver: { lastIndex: 0, snapshotIndex: 0, proposalsPending: 0 } }),
    },
    { processMetrics: true },
  );
  const families = await metrics.registry.getMetricsAsJSON();
  return new Map(families.map((f) => [f.name, String(f.type)]));
}

/** The family a series name belongs to: histograms expose name_bucket, name_sum and name_count. */
function familyOf(series: string, families: Map<string, string>): string | undefined {
  if (families.has(series)) return series;
  const m = /^(.*)_(bucket|sum|count)$/.exec(series);
  return m !== null && families.get(m[1] as string) === 'histogram' ? m[1] : undefined;
}

/** Metrics the dashboard leaves out, and why. */
const NOT_ON_DASHBOARD = new Map([
  ['miroir_dispatcher_cursor_index', 'a log position; the lag panels show what it means'],
  ['miroir_raft_driver_running', 'a restart shows as a driver failure, which has a panel'],
]);

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
const SKIP_PROMTOOL = promtool.error === undefined ? false : 'promtool not installed (apt-get install --no-install-recommends prometheus; CI does)';

describe('Grafana dashboard', () => {
  test('panels have unique ids and fit a 24-column grid without overlapping', () => {
    assert.ok(panels.length > 10);
    assert.equal(new Set(panels.map((p) => p.id)).size, panels.length);
    const cells = new Set<string>();
    for (const p of panels) {
      const { h, w, x, y } = p.gridPos;
      assert.ok(x >= 0 && w > 0 && x + w <= 24 && h > 0 && y >= 0, `${p.title}: ${JSON.stringify(p.gridPos)}`);
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          assert.ok(!cells.has(`${i},${j}`), `${p.title} overlaps another panel at ${i},${j}`);
          cells.add(`${i},${j}`);
        }
      }
    }
  });

  test('every query reads the data source and peer variables the dashboard declares', () => {
    const variables = dashboard.templating.list.map((v) => v.name);
    assert.deepEqual(variables, ['datasource', 'instance']);
    assert.ok(queries.length > 20);
    for (const p of panels.filter((panel) => panel.type !== 'row')) {
      assert.equal(p.datasource?.uid, '${datasource}', p.title);
      for (const t of p.targets ?? []) assert.ok(t.expr.includes('instance=~"$instance"'), `${p.title}: ${t.expr}`);
    }
  });

  test('every metric a query names is exported by a peer', async () => {
    const families = await exportedFamilies();
    const used = new Set<string>();
    for (const { panel, expr } of queries) {
      for (const [name] of expr.matchAll(/\b(?:miroir|process|nodejs)_[a-z0-9_]+/g)) {
        const family = familyOf(name, families);
        assert.ok(family !== undefined, `${panel}: ${name} is not exported (exported: ${[...families.keys()].filter((f) => f.startsWith('miroir_')).join(', ')})`);
        used.add(family);
      }
    }
    // A new Miroir metric fails here until it has a panel or a reason to have none.
    const unused = [...families.keys()].filter((f) => f.startsWith('miroir_') && !used.has(f) && !NOT_ON_DASHBOARD.has(f));
    assert.deepEqual(unused, [], 'Miroir metrics without a panel: add one to charts/miroir/dashboards/miroir.json, or list the metric in NOT_ON_DASHBOARD with the reason');
  });

  test('promtool parses every query', { skip: SKIP_PROMTOOL }, () => {
    const rules = queries.map(({ expr }, i) => ({
      record: `dashboard:query_${i}`,
      expr: expr.replaceAll('$__rate_interval', '1m').replaceAll('$instance', '.*'),
    }));
    const dir = mkdtempSync(join(tmpdir(), 'miroir-dashboard-'));
    try {
      // JSON is YAML, so the rule file needs no YAML writer.
      const file = join(dir, 'rules.yml');
      writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboard', rules }] }));
      const run = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, new RegExp(`SUCCESS: ${rules.length} rules found`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
