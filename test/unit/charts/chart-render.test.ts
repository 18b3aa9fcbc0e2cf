// Goal: what `helm install` would create from charts/miroir works as a Miroir
// cluster on paper: every peer's config file (the ConfigMap plus the pod's
// environment) passes Miroir's own loadConfig, the addresses in it are the
// stable DNS names the StatefulSets and headless Services give, the probes,
// ports, volumes and secret references line up, the PodDisruptionBudget keeps
// a Raft majority, NOTES warns on even peer counts, and helm refuses the same
// invalid values as the ajv test.
// Method: the real helm (4.1.4) renders the chart (`helm template`, `helm
// lint --strict`, `helm install --dry-run=client` for NOTES) and kubectl
// decodes the manifests offline (test/unit/charts/helm.ts). No cluster is
// contacted, so scheduling, volume binding and DNS themselves are not tested.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { loadConfig } from '../../../runtime/config/index.ts';
import type { PeerConfig } from '../../../runtime/config/index.ts';
import { CHART, SKIP_RENDER, helmDefaultValues, helmWith, render, type K8sObject } from './helm.ts';
import { INVALID_CASES } from './invalid-values.ts';
import { defaultValues, examples, withDefaults, type Values } from './values.ts';

const NAMESPACE = 'search';
const DOMAIN = 'svc.cluster.local';

/** Rendered manifests are read field by field; a missing field fails the assertion that reads it. */
type Container = any;

/** Renders the values a user would give: the overlay over values.yaml, with the Secret named. */
const rendered = new Map<string, K8sObject[]>();
const renderWith = (overlay: Values, release = 'r1'): K8sObject[] => {
  const key = JSON.stringify([overlay, release]);
  const objects = rendered.get(key) ?? render(withDefaults(overlay), release, NAMESPACE);
  rendered.set(key, objects);
  return structuredClone(objects);
};

function only(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  assert.equal(found.length, 1, `expected one ${kind} ${name}, found ${found.length}`);
  return found[0] as K8sObject;
}

const peerSet = (objects: K8sObject[]): K8sObject =>
  only(objects, 'StatefulSet', objects.find((o) => o.kind === 'StatefulSet' && o.metadata.labels?.['app.kubernetes.io/component'] === 'peer')?.metadata.name ?? '?');

const containerOf = (set: K8sObject): Container => set.spec.template.spec.containers[0];

const portOf = (container: Container, name: string): number => {
  const port = (container.ports as { name: string; containerPort: number }[]).find((p) => p.name === name);
  assert.ok(port, `container port ${name}`);
  return port.containerPort;
};

/** The environment a pod's container sees: field refs resolved to the pod, secrets to stand-ins of 16+ bytes. */
function envOf(container: Container, podName: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of container.env as any[]) {
    if (entry.value !== undefined) env[entry.name] = entry.value;
    else if (entry.valueFrom?.fieldRef?.fieldPath === 'metadata.name') env[entry.name] = podName;
    else if (entry.valueFrom?.secretKeyRef !== undefined) env[entry.name] = `secret ${entry.valueFrom.secretKeyRef.key} of sixteen bytes`;
    else assert.fail(`unexpected env entry ${JSON.stringify(entry)}`);
  }
  return env;
}

/** Each peer pod's configuration, as `miroir peer` would load it. */
function peerConfigs(objects: K8sObject[]): PeerConfig[] {
  const set = peerSet(objects);
  const container = containerOf(set);
  assert.deepEqual(container.args, ['peer', '--config', '/etc/miroir/config.json']);
  const configVolume = (set.spec.template.spec.volumes as any[]).find((v) => v.name === 'config');
  const mount = (container.volumeMounts as any[]).find((m) => m.name === 'config');
  assert.equal(mount.mountPath, '/etc/miroir');
  const configMap = only(objects, 'ConfigMap', configVolume.configMap.name);
  const fileText = configMap.data?.['config.json'] ?? null;
  assert.ok(fileText !== null, 'config.json in the ConfigMap');
  return Array.from({ length: set.spec.replicas as number }, (_, i) =>
    loadConfig({ fileText, fileName: 'config.json', env: envOf(container, `${set.metadata.name}-${i}`) }),
  );
}

describe('charts/miroir rendered by helm', { skip: SKIP_RENDER }, () => {
  test('the values.yaml snapshot the schema tests use is what helm reads', () => {
    assert.deepEqual(helmDefaultValues(), defaultValues());
  });

  for (const [name, overlay] of examples()) {
    test(`helm lint --strict passes with example ${name}`, () => {
      const out = helmWith(['lint', CHART, '--strict'], overlay);
      assert.equal(out.status, 0, out.stdout + out.stderr);
    });

    test(`example ${name}: every peer's config loads and matches the manifests`, () => {
      const values = withDefaults(overlay);
      const objects = renderWith(overlay);
      const configs = peerConfigs(objects);
      const set = peerSet(objects);
      const container = containerOf(set);
      const headless = only(objects, 'Service', set.spec.serviceName);
      assert.equal(headless.spec.clusterIP, 'None');
      assert.equal(headless.spec.publishNotReadyAddresses, true, 'peers must find each other before any is ready');
      assert.equal(set.spec.podManagementPolicy, 'Parallel');
      configs.forEach((config, i) => {
        assert.equal(config.peerId, `${set.metadata.name}-${i}`);
        assert.equal(config.listen.host, '0.0.0.0');
        assert.equal(config.listen.clientPort, portOf(container, 'client'));
        assert.equal(config.listen.peerPort, portOf(container, 'peer'));
        assert.equal(config.listen.metricsPort, portOf(container, 'metrics'));
        assert.deepEqual(
          config.peers.map((p) => p.address),
          configs.map((_, j) => `ws://${set.metadata.name}-${j}.${headless.metadata.name}.${NAMESPACE}.${DOMAIN}:${config.listen.peerPort}`),
        );
        assert.equal(config.rf, (values.cluster as Values).rf);
        assert.equal(config.defaultShards, (values.cluster as Values).defaultShards);
        for (const [key, section] of Object.entries(values.config as Values)) {
          for (const [field, value] of Object.entries(section as Values)) {
            assert.equal((config as any)[key][field], value, `config.${key}.${field} passed through`);
          }
        }
        for (const name of ['masterKey', 'adminKey', 'clusterSecret'] as const) assert.notEqual(config.secrets[name], null, name);
      });
      const data = (set.spec.template.spec.containers[0].volumeMounts as any[]).find((m) => m.name === 'data');
      assert.equal(data.mountPath, configs[0]?.dataDir);
      assert.deepEqual(set.spec.volumeClaimTemplates.map((c: any) => c.metadata.name), ['data']);
    });

    test(`example ${name}: the groups in the config are the nodes the chart runs, or the external ones`, () => {
      const values = withDefaults(overlay);
      const objects = renderWith(overlay);
      const [config] = peerConfigs(objects);
      assert.ok(config);
      const meili = values.meilisearch as Values;
      if (meili.enabled !== true) {
        assert.deepEqual(config.groups, values.externalGroups);
        assert.equal(objects.filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'meilisearch').length, 0);
        return;
      }
      const sets = objects.filter((o) => o.kind === 'StatefulSet' && o.metadata.labels?.['app.kubernetes.io/component'] === 'meilisearch');
      assert.equal(sets.length, meili.groups);
      assert.equal(config.groups.length, meili.groups);
      sets.forEach((set, g) => {
        const service = only(objects, 'Service', set.spec.serviceName);
        assert.equal(service.spec.clusterIP, 'None');
        const container = containerOf(set);
        const port = portOf(container, 'http');
        const env = envOf(container, `${set.metadata.name}-0`);
        assert.equal(env.MEILI_HTTP_ADDR, `0.0.0.0:${port}`);
        const keyRef = (container.env as any[]).find((e) => e.name === 'MEILI_MASTER_KEY').valueFrom.secretKeyRef;
        assert.deepEqual(keyRef, { name: 'miroir-secrets', key: (values.secrets as any).keys.nodeMasterKey });
        assert.deepEqual(
          config.groups[g]?.nodes.map((n) => n.url),
          Array.from({ length: set.spec.replicas as number }, (_, i) => `http://${set.metadata.name}-${i}.${service.metadata.name}.${NAMESPACE}.${DOMAIN}:${port}`),
        );
        assert.equal(set.spec.template.spec.containers[0].readinessProbe.httpGet.path, '/health');
      });
      assert.notEqual(config.secrets.nodeMasterKey, null, 'the peers reach the chart nodes with their master key');
    });
  }

  test('probes: ready on /_miroir/ready, alive on /health, both on the client port', () => {
    const container = containerOf(peerSet(renderWith({})));
    assert.deepEqual(container.readinessProbe.httpGet, { path: '/_miroir/ready', port: 'client' });
    assert.deepEqual(container.livenessProbe.httpGet, { path: '/health', port: 'client' });
    assert.deepEqual(container.startupProbe.httpGet, { path: '/health', port: 'client' });
  });

  test('secrets come only from the named Secret; the metrics port is announced to Prometheus', () => {
    const set = peerSet(renderWith({}));
    const container = containerOf(set);
    const secretEnv = (container.env as any[]).filter((e) => e.name !== 'MIROIR_PEER_ID');
    assert.deepEqual(secretEnv.map((e) => e.name).sort(), ['MIROIR_ADMIN_KEY', 'MIROIR_CLUSTER_SECRET', 'MIROIR_MASTER_KEY', 'MIROIR_NODE_MASTER_KEY']);
    for (const entry of secretEnv) {
      assert.equal(entry.value, undefined);
      assert.equal(entry.valueFrom.secretKeyRef.name, 'miroir-secrets');
    }
    const annotations = set.spec.template.metadata.annotations;
    assert.equal(annotations['prometheus.io/scrape'], 'true');
    assert.equal(Number(annotations['prometheus.io/port']), portOf(container, 'metrics'));
    assert.equal(annotations['prometheus.io/path'], '/metrics', 'the metrics port serves /metrics without the admin key');
    assert.ok(container.resources.requests.memory && container.resources.limits.memory);
    assert.equal(set.spec.template.spec.securityContext.runAsNonRoot, true);
  });

  test('external nodes without a master key: no MIROIR_NODE_MASTER_KEY is set', () => {
    const overlay = examples().get('external-nodes.json') ?? assert.fail('example external-nodes.json');
    const names = (containerOf(peerSet(renderWith(overlay))).env as any[]).map((e) => e.name);
    assert.equal(names.includes('MIROIR_NODE_MASTER_KEY'), false);
  });

  test('the PodDisruptionBudget keeps a Raft majority, and is absent for a single peer', () => {
    for (let replicas = 1; replicas <= 5; replicas++) {
      const objects = renderWith({ peers: { replicas } });
      const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget' && o.metadata.labels?.['app.kubernetes.io/component'] === 'peer');
      if (replicas === 1) {
        assert.equal(budgets.length, 0);
        continue;
      }
      assert.equal(budgets.length, 1);
      assert.equal(budgets[0]?.spec.minAvailable, Math.floor(replicas / 2) + 1, `${replicas} peers`);
      assert.deepEqual(budgets[0]?.spec.selector.matchLabels, peerSet(objects).spec.selector.matchLabels);
    }
  });

  test('NOTES warns on an even peer count and on a single peer, not on an odd one', () => {
    for (let replicas = 1; replicas <= 4; replicas++) {
      const out = helmWith(['install', 'r1', CHART, '--dry-run=client', '--namespace', NAMESPACE], withDefaults({ peers: { replicas } }));
      assert.equal(out.status, 0, out.stderr);
      const notes = out.stdout.slice(out.stdout.indexOf('NOTES:'));
      assert.equal(/WARNING: \d+ peers is an even count/.test(notes), replicas % 2 === 0, `${replicas} peers: ${notes}`);
      assert.equal(/WARNING: one peer is no high availability/.test(notes), replicas === 1);
    }
  });

  test('a long release name still gives peer and node ids Miroir accepts and StatefulSet names within 52', () => {
    const objects = renderWith({ meilisearch: { groups: 12 } }, 'long-release-'.padEnd(53, 'x'));
    for (const set of objects.filter((o) => o.kind === 'StatefulSet')) assert.ok(set.metadata.name.length <= 52, set.metadata.name);
    const [config] = peerConfigs(objects);
    assert.ok(config);
    assert.equal(config.groups.length, 12);
  });

  test('peers and the nodes of each group spread over Kubernetes nodes unless told otherwise', () => {
    const objects = renderWith({ meilisearch: { groups: 2 } });
    const peers = peerSet(objects);
    const preferred = peers.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    assert.equal(preferred[0].podAffinityTerm.topologyKey, 'kubernetes.io/hostname');
    assert.deepEqual(preferred[0].podAffinityTerm.labelSelector.matchLabels, peers.spec.selector.matchLabels);
    for (const set of objects.filter((o) => o.kind === 'StatefulSet' && o !== peers)) {
      const term = set.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm;
      assert.deepEqual(term.labelSelector.matchLabels, set.spec.selector.matchLabels, 'the nodes of one group, not all nodes');
    }
    const hard = peerSet(renderWith({ peers: { antiAffinity: 'hard' } })).spec.template.spec.affinity.podAntiAffinity;
    assert.equal(hard.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey, 'kubernetes.io/hostname');
    assert.equal(peerSet(renderWith({ peers: { antiAffinity: 'none' } })).spec.template.spec.affinity, undefined);
    const own = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['search'] }] }] } } };
    assert.deepEqual(peerSet(renderWith({ peers: { affinity: own } })).spec.template.spec.affinity, own);
  });

  test('the ServiceMonitor (when enabled) selects exactly the headless peer Service and scrapes its metrics port', () => {
    assert.equal(renderWith({}).filter((o) => o.kind === 'ServiceMonitor').length, 0);
    const objects = renderWith({ metrics: { serviceMonitor: { enabled: true, labels: { release: 'prometheus' } } } });
    const monitor = only(objects, 'ServiceMonitor', peerSet(objects).metadata.name);
    assert.equal(monitor.metadata.labels?.release, 'prometheus');
    const selector = monitor.spec.selector.matchLabels as Record<string, string>;
    const selected = objects.filter((o) => o.kind === 'Service' && Object.entries(selector).every(([k, v]) => o.metadata.labels?.[k] === v));
    assert.deepEqual(selected.map((o) => o.metadata.name), [peerSet(objects).spec.serviceName]);
    const port = (selected[0]?.spec.ports as { name: string; targetPort: string }[]).find((p) => p.name === monitor.spec.endpoints[0].port);
    assert.equal(port?.targetPort, 'metrics');
    assert.equal(monitor.spec.endpoints[0].path, '/metrics');
  });

  test('the dashboard ConfigMap carries dashboards/miroir.json unchanged, for the Grafana sidecar', () => {
    assert.equal(renderWith({}).filter((o) => o.metadata.name.endsWith('-dashboard')).length, 0);
    const map = renderWith({ dashboards: { enabled: true } }).find((o) => o.metadata.name.endsWith('-dashboard'));
    assert.ok(map);
    assert.equal(map.metadata.labels?.grafana_dashboard, '1');
    assert.deepEqual(JSON.parse(map.data?.['miroir.json'] ?? ''), JSON.parse(readFileSync(`${CHART}dashboards/miroir.json`, 'utf8')));
  });

  for (const c of INVALID_CASES) {
    test(`helm refuses ${c.name}`, () => {
      const out = helmWith(['template', 'r1', CHART], withDefaults(c.values));
      assert.notEqual(out.status, 0, 'helm rendered invalid values');
      assert.match(out.stderr, /values don't meet the specifications of the schema/);
      if (c.path !== '') assert.ok(out.stderr.includes(`'${c.path}`), `expected ${c.path} in: ${out.stderr}`);
    });
  }
});
