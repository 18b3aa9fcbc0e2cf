// Goal: the read path's pure steps compose into the answer of one node holding
// every document: shard(pk) places documents, rendezvous placement gives each
// group its owners, the covering set picks one healthy owner per shard, the
// node query carries the shard restriction, and the merge recombines.
// Method: seeded random clusters (1-2 groups of 2-4 model nodes, RF 1-2,
// nodes down, nodes still holding a shard from a migration in flight); each
// model node answers from the documents it holds, honouring the
// `_miroir_shard IN [...]` element of the filter. The merged page must equal
// the oracle over the documents of every available shard; and without the
// restriction, RF > 1 would have counted hits twice (checked too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadHasher } from '../../../../runtime/routing/hasher.ts';
import { shardOf } from '../../../../runtime/routing/shard-hash.ts';
import { placeGroup, shardsByNode } from '../../../../runtime/routing/placement.ts';
import { coveringSet } from '../../../../runtime/routing/covering-set.ts';
import type { GroupOwners } from '../../../../runtime/routing/covering-set.ts';
import { nodeRequestBody, planSearch } from '../../../../runtime/merge/node-query.ts';
import { mergeSearch } from '../../../../runtime/merge/merge-search.ts';
import type { NodeSearchResponse } from '../../../../runtime/merge/types.ts';
import { seededRng } from '../../../../runtime/env/rng.ts';
import type { Rng } from '../../../../runtime/env/clock.ts';
import { applyDistinct, hitOf, oracleCompare, randomDoc } from './oracle.ts';
import type { Doc, Rule } from './oracle.ts';

const hasher = await loadHasher();
const S = 16;
const RULES: readonly Rule[] = [
  { kind: 'words', maxRank: 3 },
  { kind: 'sort', field: 'price', ascending: true },
  { kind: 'typo', maxRank: 3 },
];

interface Cluster {
  groups: GroupOwners[];
  held: Map<string, number[]>;
  down: Set<string>;
}

function cluster(rng: Rng): Cluster {
  const groups: GroupOwners[] = [];
  const held = new Map<string, number[]>();
  for (let g = 0; g < 1 + rng.int(2); g++) {
    const nodes = Array.from({ length: 2 + rng.int(3) }, (_, i) => `g${g}-n${i}`);
    const owners = placeGroup(hasher, S, nodes, 1 + rng.int(2));
    groups.push({ groupId: `g${g}`, owners });
    for (const n of nodes) held.set(n, shardsByNode(owners).get(n) ?? []);
    // A migration in flight: some node still holds one more shard.
    const extra = nodes[rng.int(nodes.length)]!;
    held.set(extra, [...new Set([...held.get(extra)!, rng.int(S)])].sort((a, b) => a - b));
  }
  const down = new Set([...held.keys()].filter(() => rng.next() < 0.25));
  return { groups, held, down };
}

/** A model node: its own documents, the shard restriction from the filter, sort, cut. */
function answer(docs: readonly Doc[], held: readonly number[], body: Record<string, unknown>): NodeSearchResponse {
  const filter = (body['filter'] as unknown[] | undefined) ?? [];
  const restriction = filter.find((f): f is string => typeof f === 'string' && f.startsWith('_miroir_shard IN ['));
  const allowed = restriction ? new Set(restriction.slice('_miroir_shard IN ['.length, -1).split(', ').map(Number)) : new Set(held);
  const mine = docs.filter((d) => held.includes(d.fields['_miroir_shard'] as number) && allowed.has(d.fields['_miroir_shard'] as number));
  const sorted = [...mine].sort(oracleCompare(RULES));
  const hits = sorted.slice(0, body['limit'] as number).map((d) => hitOf(d, RULES));
  return { hits, processingTimeMs: 1, estimatedTotalHits: mine.length };
}

function runSearch(c: Cluster, docs: readonly Doc[], turn: number, query: { offset: number; limit: number }, restrict: boolean) {
  const plan = planSearch({ q: 'x', ...query }, { maxTotalHits: 1000, primaryKey: 'id', distinctAttribute: null });
  const cover = coveringSet({ shardCount: S, groups: c.groups, isHealthy: (n) => !c.down.has(n), turn, heldShards: c.held });
  const responses = cover.nodes.map((node) =>
    answer(docs, c.held.get(node.nodeId)!, nodeRequestBody(plan, restrict && node.restrict ? node.shards : null)),
  );
  const merged = mergeSearch({
    responses,
    query,
    maxTotalHits: 1000,
    faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: {} },
    primaryKey: 'id',
    distinctAttribute: null,
    addedFields: plan.addedFields,
    requestUid: 'u',
  });
  return { merged: merged.response, unavailable: new Set(cover.unavailableShards), restricted: cover.nodes.some((n) => n.restrict) };
}

test('shard → placement → covering set → restricted node queries → merge equals one node', () => {
  const rng = seededRng(31);
  let doubledWithoutRestriction = 0;
  for (let trial = 0; trial < 120; trial++) {
    const c = cluster(rng);
    const docs = Array.from({ length: rng.int(120) }, (_, i) => {
      const id = rng.next() < 0.5 ? i : `d${i}`;
      return randomDoc(rng, id, RULES, shardOf(hasher, id, S));
    });
    const query = { offset: rng.int(20), limit: 1 + rng.int(20) };
    const turn = rng.int(100);
    const { merged, unavailable } = runSearch(c, docs, turn, query, true);
    const reachable = docs.filter((d) => !unavailable.has(d.fields['_miroir_shard'] as number));
    const expected = applyDistinct([...reachable].sort(oracleCompare(RULES)), null)
      .slice(query.offset, query.offset + query.limit)
      .map((d) => {
        const { _miroir_shard: _drop, ...fields } = d.fields;
        return fields;
      });
    assert.deepEqual(merged.hits, expected, `trial ${trial}`);
    assert.equal((merged as { estimatedTotalHits: number }).estimatedTotalHits, reachable.length, `trial ${trial}`);
    const loose = runSearch(c, docs, turn, query, false).merged as { estimatedTotalHits: number };
    if (loose.estimatedTotalHits > reachable.length) doubledWithoutRestriction++;
  }
  assert.ok(doubledWithoutRestriction > 0, 'without the restriction some trials count documents twice');
});
