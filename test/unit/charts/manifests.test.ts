// Goal: every object the chart renders, for every example and the optional
// parts switched on, is valid against Kubernetes' own API schemas, so
// `helm install` would not be refused by the API server for a wrong type or
// a missing required field.
// Method: kubernetes-models (Kubernetes' OpenAPI schemas compiled to ajv
// validators; charts/tools/install-tools.sh installs it apart from the
// project's dependencies) validates each object rendered by helm. Those
// schemas allow unknown fields, so a misspelled optional field is not caught
// here; the render test reads the fields that matter by name. A broken
// StatefulSet must be refused, so a validator that accepts everything fails.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { SKIP_RENDER, render, type K8sObject } from './helm.ts';
import { examples, withDefaults, type Values } from './values.ts';

const MODELS = new URL('../../../charts/tools/k8s-models/node_modules/kubernetes-models/', import.meta.url);
const SKIP = SKIP_RENDER !== false ? SKIP_RENDER : existsSync(MODELS) ? false : 'kubernetes-models not installed: run charts/tools/install-tools.sh (CI does)';

/** Custom resources have no model in kubernetes-models; their CRD is the cluster's. */
const CUSTOM_KINDS = new Set(['monitoring.coreos.com/v1 ServiceMonitor']);

interface Model {
  validate(): void;
}

async function modelOf(object: K8sObject): Promise<new (data: unknown) => Model> {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const module = (await import(new URL(`${group === '' ? '' : `${group}/`}${version}/${object.kind}.js`, MODELS).href)) as Record<string, unknown>;
  const model = module[object.kind];
  assert.equal(typeof model, 'function', `no model for ${object.apiVersion} ${object.kind}`);
  return model as new (data: unknown) => Model;
}

async function validate(object: K8sObject): Promise<void> {
  const Model = await modelOf(object);
  new Model(object).validate();
}

const variants: [string, Values][] = [
  ...[...examples()].map(([name, overlay]): [string, Values] => [`example ${name}`, overlay]),
  ['everything optional on', { dashboards: { enabled: true }, metrics: { serviceMonitor: { enabled: true } }, peers: { antiAffinity: 'hard' } }],
  ['a single peer, no budgets', { peers: { replicas: 1, podDisruptionBudget: { enabled: false } }, meilisearch: { podDisruptionBudget: { enabled: false } } }],
];

describe('rendered manifests against the Kubernetes API schemas', { skip: SKIP }, () => {
  for (const [name, overlay] of variants) {
    test(name, async () => {
      const objects = render(withDefaults(overlay));
      assert.ok(objects.length >= 5);
      for (const object of objects) {
        if (CUSTOM_KINDS.has(`${object.apiVersion} ${object.kind}`)) continue;
        await assert.doesNotReject(validate(object), `${object.kind} ${object.metadata.name}`);
      }
    });
  }

  test('a StatefulSet with a wrong type and no selector is refused (the validator is live)', async () => {
    const set = render(withDefaults()).find((o) => o.kind === 'StatefulSet');
    assert.ok(set);
    set.spec.replicas = 'three';
    delete set.spec.selector;
    await assert.rejects(validate(set), /replicas must be integer|must have required property 'selector'/);
  });
});
