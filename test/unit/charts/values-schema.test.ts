// Goal: charts/miroir/values.schema.json accepts the chart's defaults (with
// the Secret named) and every shipped example, and rejects each invalid
// combination an operator could write, at the key that is wrong.
// Method: ajv (draft-07, strict) over the values helm would pass, i.e. the
// user's values merged over values.yaml; the RF rule is checked exhaustively
// for every RF and group size; the pass-through `config` section is compared
// with the JSON Schema derived from runtime/config/schema.ts. Helm applies the
// same file; chart-render.test.ts checks that helm agrees on these cases.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Ajv, type ErrorObject } from 'ajv';
import { CHART } from './helm.ts';
import { passthroughSchema } from './config-json-schema.ts';
import { defaultValues, examples, mergeValues, withDefaults, type Values } from './values.ts';
import { INVALID_CASES } from './invalid-values.ts';

const schema = JSON.parse(readFileSync(`${CHART}values.schema.json`, 'utf8')) as Record<string, unknown>;
// Strict, so an unknown keyword (a typo in the schema) fails; but the if/then
// rules refine properties typed above and need not repeat their types.
const validate = new Ajv({ allErrors: true, strict: true, strictTypes: false }).compile(schema);

function errorsOf(values: Values): ErrorObject[] {
  return validate(values) ? [] : [...(validate.errors ?? [])];
}

const describeErrors = (errors: ErrorObject[]): string => errors.map((e) => `${e.instancePath} ${e.message ?? ''}`).join('; ');

describe('values.schema.json', () => {
  test('the defaults are rejected until a Secret is named, at secrets.existingSecret only', () => {
    const errors = errorsOf(defaultValues());
    assert.ok(errors.length > 0);
    assert.deepEqual(new Set(errors.map((e) => e.instancePath)), new Set(['/secrets/existingSecret']));
    assert.deepEqual(errorsOf(withDefaults()), []);
  });

  for (const [name, overlay] of examples()) {
    test(`example ${name} is valid`, () => {
      const errors = errorsOf(withDefaults(overlay));
      assert.deepEqual(errors, [], describeErrors(errors));
    });
  }

  for (const c of INVALID_CASES) {
    test(`rejects ${c.name}`, () => {
      const errors = errorsOf(withDefaults(c.values));
      assert.ok(errors.length > 0, 'expected the values to be rejected');
      assert.ok(
        errors.some((e) => e.instancePath.startsWith(c.path)),
        `expected an error under ${c.path}, got: ${describeErrors(errors)}`,
      );
    });
  }

  test('RF k is accepted exactly when every group has at least k nodes (chart nodes and external groups)', () => {
    for (let rf = 1; rf <= 16; rf++) {
      for (let size = 1; size <= 17; size++) {
        const builtIn = withDefaults({ cluster: { rf }, meilisearch: { nodesPerGroup: size, groups: 2 } });
        assert.equal(validate(builtIn), rf <= size, `chart nodes: rf ${rf}, ${size} node(s) per group`);
        const nodes = (prefix: string, n: number): Values[] =>
          Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, url: `http://${prefix}${i}.example:7700` }));
        const external = mergeValues(withDefaults({ cluster: { rf }, meilisearch: { enabled: false, nodesPerGroup: 1 } }), {
          externalGroups: [
            { id: 'big', nodes: nodes('big', 17) },
            { id: 'small', nodes: nodes('small', size) },
          ],
        });
        assert.equal(validate(external), rf <= size, `external: rf ${rf}, smallest group ${size}`);
      }
    }
  });

  test('an RF above 16 or below 1 is refused whatever the groups', () => {
    assert.equal(validate(withDefaults({ cluster: { rf: 17 }, meilisearch: { nodesPerGroup: 1024 } })), false);
    assert.equal(validate(withDefaults({ cluster: { rf: 0 } })), false);
  });

  test('the pass-through config section matches runtime/config/schema.ts', () => {
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    const { description: _description, ...config } = properties.config ?? {};
    assert.deepEqual(config, passthroughSchema());
  });
});
