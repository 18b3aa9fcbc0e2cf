// Goal: HitStripper (compiled copiers per list of keys) strips exactly as
// stripHit does, key order included, whatever the hits' fields are called,
// and a field named `__proto__` survives both as a field.
// Method: seeded random hits over a pool of field names (reserved `_miroir_*`
// fields, ranking scores, `_formatted`, names with quotes, backslashes, line
// breaks and `__proto__`), in runs of equal and changing shapes, under random
// strip plans; every hit is compared with stripHit's answer, and inputs must
// come out unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileStrip, HitStripper, stripHit } from '../../../../runtime/merge/strip.ts';
import type { StripPlan } from '../../../../runtime/merge/strip.ts';
import { seededRng } from '../../../../runtime/env/rng.ts';
import type { Rng } from '../../../../runtime/env/clock.ts';

const NAMES = [
  'id', 'title', 'genre', 'nested', '_miroir_shard', '_miroir_other', '_rankingScore', '_rankingScoreDetails',
  '_formatted', '_matchesPosition', 'say "hi"', 'back\\slash', 'line\nbreak', '__proto__', 'constructor', '42',
];

function randomHit(rng: Rng, names: readonly string[]): Record<string, unknown> {
  const fields = names.map((name) => {
    const value = name === '_formatted' || name === '_matchesPosition' ? { title: 't', _miroir_shard: 1 } : name === 'nested' ? { a: 1, b: rng.int(3) } : rng.int(100);
    return `${JSON.stringify(name)}: ${JSON.stringify(value)}`;
  });
  // Parsed from JSON text, as node answers are: `__proto__` becomes an own field.
  return JSON.parse(`{${fields.join(', ')}}`) as Record<string, unknown>;
}

function randomNames(rng: Rng): string[] {
  return NAMES.filter(() => rng.next() < 0.5).sort(() => rng.next() - 0.5);
}

function randomPlan(rng: Rng): StripPlan {
  const added = ['id', 'genre', 'nested.a', 'nested.b'].filter(() => rng.next() < 0.3);
  return { keepRankingScore: rng.next() < 0.5, keepRankingScoreDetails: rng.next() < 0.5, addedFields: added };
}

test('HitStripper strips as stripHit does on seeded random hits and plans', () => {
  const rng = seededRng(7);
  let compared = 0;
  for (let round = 0; round < 300; round++) {
    const strip = compileStrip(randomPlan(rng));
    const stripper = new HitStripper(strip);
    let names = randomNames(rng);
    for (let i = 0; i < 12; i++) {
      if (rng.next() < 0.3) names = randomNames(rng);
      const hit = randomHit(rng, names);
      const before = JSON.stringify(hit);
      const got = stripper.stripHit(hit);
      const want = stripHit(hit, strip);
      assert.deepEqual(Object.keys(got), Object.keys(want), 'same keys in the same order');
      assert.equal(JSON.stringify(got), JSON.stringify(want));
      assert.equal(JSON.stringify(hit), before, 'the input is not mutated');
      compared++;
    }
  }
  assert.equal(compared, 3600);
});

test('a field named __proto__ stays a field and never becomes the prototype', () => {
  const hit = JSON.parse('{"id": 1, "__proto__": {"polluted": true}, "_miroir_shard": 3}') as Record<string, unknown>;
  const strip = compileStrip({ keepRankingScore: false, keepRankingScoreDetails: false, addedFields: [] });
  for (const out of [new HitStripper(strip).stripHit(hit), stripHit(hit, strip)]) {
    assert.deepEqual(Object.keys(out), ['id', '__proto__']);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.equal(JSON.stringify(out), '{"id":1,"__proto__":{"polluted":true}}');
  }
});
