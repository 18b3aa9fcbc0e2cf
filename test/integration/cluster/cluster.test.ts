// Goal: a `miroir dev` cluster (3 peers, 3 engine nodes, RF 1) answers the
// official `meilisearch` client exactly as one Meilisearch holding every
// document would (issue 4 §10): documents round-trip by id and are spread
// over every node; each document's unique keyword finds exactly it; facet
// counts sum across shards; pages concatenate without gaps or duplicates;
// settings reach every node; tasks reach `succeeded`; and for many seeded
// random queries the cluster's answer equals that of one engine node (the
// oracle) holding the same documents and settings.
// Method: one cluster and one oracle node for the whole file, both fed the
// corpus of corpus.ts through the official client; nodes inspected directly
// with the node master key. MIROIR_CLUSTER_DOCS and MIROIR_CLUSTER_QUERIES
// enlarge a run (npm run test:cluster:big).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Meilisearch } from 'meilisearch';
import { seededRng } from '../../../runtime/env/rng.ts';
import { spawnNode, tempDir, type SpawnedNode } from '../engine/spawn-node.ts';
import { GENRES, SETTINGS, makeCorpus, type Doc } from './corpus.ts';
import { MASTER_KEY, rawSearch, removeDataDir, retrying, startDev, tempDataDir, type DevCluster } from './harness.ts';
import { comparable, randomQuery, type Query } from './queries.ts';

const DOCS = Number(process.env.MIROIR_CLUSTER_DOCS ?? 1_000);
const QUERIES = Number(process.env.MIROIR_CLUSTER_QUERIES ?? 100);
const BATCH = 250;
const TASK_TIMEOUT_MS = 60_000;
const INDEX = 'movies';
/**
 * The same corpus under Meilisearch's default settings but for filters and
 * sorts: searchableAttributes `*` and the default ranking rules, whose
 * searches without `sort` are merged on `_rankingScore` alone
 * (runtime/merge/node-query.ts rankingBasis). Ties of every rule fall to
 * internal document ids on one node, which follow `id` here: documents are
 * added in id order, one batch after the other.
 */
const DEFAULT_INDEX = 'movies_defaults';
const DEFAULT_SETTINGS = { filterableAttributes: SETTINGS.filterableAttributes, sortableAttributes: SETTINGS.sortableAttributes };

/**
 * Creates the index, sets the settings and adds the corpus in batches, then
 * waits for every task. Writes are retried on retriable answers only (a
 * forwarded write can lose its hop to the leader on a loaded machine); a
 * retried batch carries the same ids, so it is harmless.
 */
async function load(client: Meilisearch, docs: readonly Doc[], uid = INDEX, settings: Record<string, unknown> = SETTINGS): Promise<number[]> {
  const index = client.index(uid);
  const enqueued = [
    await retrying(() => client.createIndex(uid, { primaryKey: 'id' }), TASK_TIMEOUT_MS),
    await retrying(() => index.updateSettings(settings), TASK_TIMEOUT_MS),
  ];
  for (let i = 0; i < docs.length; i += BATCH) enqueued.push(await retrying(() => index.addDocuments(docs.slice(i, i + BATCH)), TASK_TIMEOUT_MS));
  const uids: number[] = [];
  for (const task of enqueued) uids.push((await client.tasks.waitForTask(task.taskUid, { timeout: TASK_TIMEOUT_MS, interval: 100 })).uid);
  return uids;
}

/** Runs `check` for every item, `width` at a time (a thousand sequential round trips would dominate the run). */
async function eachConcurrently<T>(items: readonly T[], width: number, check: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(check));
}

/** Whether the same query, asked again, is answered partially (a node judged down), which would explain a mismatch. */
async function degradedNote(cluster: DevCluster, uid: string, query: Record<string, unknown>): Promise<string> {
  const { degraded } = await rawSearch(cluster.peers().find((p) => p.id === 'p2')!.url, uid, query);
  return degraded === null ? ' (asked again: complete answer)' : ` (asked again: degraded, ${degraded})`;
}

function assertSameAnswer(got: Record<string, unknown>, want: Record<string, unknown>, query: Query): void {
  assert.deepEqual(comparable(got, query), comparable(want, query));
}

type Hit = Record<string, unknown>;

/**
 * Under the default ranking rules many documents tie, and one node orders
 * tied documents by its internal ids, which follow the order documents
 * reached it; in a cluster that order is each node's own (writes reach nodes
 * grouped by shard), so which of several tied documents comes first is not
 * part of Meilisearch's answer. Hits are compared as runs of equal ranking
 * keys (`_rankingScore`, then the sort field's value): the key sequences must
 * be equal, each run inside the page must hold the same documents (the same
 * `family` values under distinct, whose kept representative of a tie may
 * differ), and a hit both answers hold must be the same. Everything but the
 * hits must be equal. `_rankingScore` is asked of both for this.
 */
function assertSameUpToTies(got: Hit, want: Hit, query: Query, byId: ReadonlyMap<unknown, Doc>): void {
  const { hits: gotHits, ...gotRest } = comparable(got, query) as { hits: Hit[] };
  const { hits: wantHits, ...wantRest } = comparable(want, query) as { hits: Hit[] };
  assert.deepEqual(gotRest, wantRest);
  const sortField = Array.isArray(query.sort) ? String(query.sort[0]).split(':')[0]! : null;
  const keyOf = (hit: Hit): string => {
    assert.equal(typeof hit['_rankingScore'], 'number', 'every hit carries _rankingScore');
    const doc = byId.get(hit['id']) as Record<string, unknown> | undefined;
    return JSON.stringify([hit['_rankingScore'], sortField === null ? null : doc?.[sortField]]);
  };
  assert.deepEqual(gotHits.map(keyOf), wantHits.map(keyOf), 'ranking keys');
  const member = (hit: Hit): string => String(query.distinct === undefined ? hit['id'] : byId.get(hit['id'])?.family);
  const runs = (hits: Hit[]): string[][] => {
    const out: string[][] = [];
    hits.forEach((hit, i) => {
      if (i === 0 || keyOf(hit) !== keyOf(hits[i - 1]!)) out.push([]);
      out[out.length - 1]!.push(member(hit));
    });
    return out.map((run) => run.sort());
  };
  const inner = (all: string[][]): string[][] => all.slice(1, -1);
  assert.deepEqual(inner(runs(gotHits)), inner(runs(wantHits)), 'tied documents inside the page');
  const wanted = new Map(wantHits.map((hit) => [hit['id'], hit]));
  for (const hit of gotHits) if (wanted.has(hit['id'])) assert.deepEqual(hit, wanted.get(hit['id']));
}

describe('a miroir dev cluster against one engine node', () => {
  const docs = makeCorpus(DOCS);
  const byId = new Map<unknown, Doc>(docs.map((d) => [d.id, d]));
  const dataDir = tempDataDir();
  const oracleDir = tempDir('cluster-oracle');
  let cluster: DevCluster;
  let oracleNode: SpawnedNode;
  let client: Meilisearch;
  let oracle: Meilisearch;
  let taskUids: number[];

  before(async () => {
    // Both are assigned as soon as each starts, so `after` stops whichever did even when the other failed
    // (a running oracle left behind keeps this file's process, and npm test, alive).
    const started = await Promise.allSettled([
      startDev(dataDir).then((c) => (cluster = c)),
      spawnNode({ dbPath: oracleDir.path, masterKey: MASTER_KEY, timeoutMs: 120_000 }).then((n) => (oracleNode = n)),
    ]);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    client = cluster.client('p2');
    oracle = new Meilisearch({ host: oracleNode.url, apiKey: MASTER_KEY });
    [taskUids] = await Promise.all([load(client, docs), load(oracle, docs)]);
    await Promise.all([load(client, docs, DEFAULT_INDEX, DEFAULT_SETTINGS), load(oracle, docs, DEFAULT_INDEX, DEFAULT_SETTINGS)]);
  });
  after(async () => {
    await Promise.all([cluster?.stop(), oracleNode?.stop()]);
    removeDataDir(dataDir);
    oracleDir.remove();
  });

  test('tasks reach succeeded, readable from every peer', async () => {
    assert.equal(taskUids.length, 2 + Math.ceil(DOCS / BATCH));
    for (const peer of cluster.peers()) {
      const peerClient = cluster.client(peer.id);
      for (const uid of taskUids) {
        const task = await peerClient.tasks.getTask(uid);
        assert.equal(task.status, 'succeeded', `task ${uid} seen from ${peer.id}: ${JSON.stringify(task.error)}`);
      }
    }
    const last = await client.tasks.getTask(taskUids.at(-1)!);
    assert.equal(last.type, 'documentAdditionOrUpdate');
    assert.equal(last.details?.receivedDocuments, Math.min(BATCH, DOCS - BATCH * (taskUids.length - 3)));
    assert.equal(last.details?.indexedDocuments, last.details?.receivedDocuments);
  });

  test('documents round-trip by id and are spread over every node', async () => {
    const index = client.index<Doc>(INDEX);
    // Every document through one fetch by ids (merged over the nodes), every tenth also alone (routed to its owner).
    // One node returns them in its insertion order, the cluster in primary key order: compared by id.
    const fetched = await index.getDocuments({ ids: docs.map((d) => d.id), limit: DOCS });
    assert.deepEqual([...fetched.results].sort((a, b) => a.id - b.id), docs);
    await eachConcurrently(docs.filter((d) => d.id % 10 === 0), 8, async (doc) => assert.deepEqual(await index.getDocument(doc.id), doc));
    let total = 0;
    for (const node of cluster.nodes()) {
      const stats = await cluster.nodeClient(node.id).index(INDEX).getStats();
      assert.ok(stats.numberOfDocuments > 0, `node ${node.id} holds documents`);
      total += stats.numberOfDocuments;
    }
    assert.equal(total, DOCS, 'RF 1: every document on exactly one node');
    assert.equal((await index.getStats()).numberOfDocuments, DOCS);
  });

  test("a search for each document's unique keyword returns exactly that document", async () => {
    // Ten searches per multi-search request: the same scatter and merge per query, fewer round trips.
    for (let i = 0; i < docs.length; i += 10) {
      const batch = docs.slice(i, i + 10);
      const { results } = await client.multiSearch({ queries: batch.map((d) => ({ indexUid: INDEX, q: d.keyword })) });
      results.forEach((answer, j) => {
        const doc = batch[j]!;
        assert.deepEqual(answer.hits.map((h) => h.id), [doc.id], `keyword ${doc.keyword}`);
        assert.equal(answer.estimatedTotalHits, 1);
      });
    }
  });

  test('facet counts sum correctly across shards', async () => {
    const answer = await client.index(INDEX).search('', { facets: ['genre', 'color', 'tags', 'year'], limit: 0 });
    const expected: Record<string, Record<string, number>> = { genre: {}, color: {}, tags: {}, year: {} };
    const count = (facet: string, value: string): void => {
      expected[facet]![value] = (expected[facet]![value] ?? 0) + 1;
    };
    for (const doc of docs) {
      count('genre', doc.genre);
      count('color', doc.color);
      for (const tag of doc.tags) count('tags', tag);
      count('year', String(doc.year));
    }
    assert.deepEqual(answer.facetDistribution, expected);
    assert.deepEqual(answer.facetStats, { year: { min: Math.min(...docs.map((d) => d.year)), max: Math.max(...docs.map((d) => d.year)) } });
    assert.equal(Object.values(answer.facetDistribution!.genre!).reduce((a, b) => a + b, 0), DOCS);
    assert.deepEqual(Object.keys(answer.facetDistribution!.genre!).sort(), [...GENRES].sort());
  });

  test('five pages of 10 equal one page of 50, with no gap or duplicate', async () => {
    const index = client.index<Doc>(INDEX);
    for (const params of [{ q: 'river' }, { q: '', sort: ['price:asc'] }, { q: 'storm night', filter: 'year > 2000' }]) {
      const whole = await index.search(params.q, { ...params, limit: 50 });
      const pages = [];
      for (let page = 1; page <= 5; page++) pages.push(...(await index.search(params.q, { ...params, page, hitsPerPage: 10 })).hits);
      const byOffset = [];
      for (let offset = 0; offset < 50; offset += 10) byOffset.push(...(await index.search(params.q, { ...params, offset, limit: 10 })).hits);
      assert.ok(whole.hits.length > 10, `the query ${JSON.stringify(params)} has several pages`);
      assert.deepEqual(pages.map((h) => h.id), whole.hits.map((h) => h.id));
      assert.deepEqual(byOffset.map((h) => h.id), whole.hits.map((h) => h.id));
      assert.equal(new Set(whole.hits.map((h) => h.id)).size, whole.hits.length);
    }
  });

  test('settings reach every node, and read back as the client set them', async () => {
    const settings = await client.index(INDEX).getSettings();
    assert.deepEqual(settings.rankingRules, SETTINGS.rankingRules);
    assert.deepEqual(settings.searchableAttributes, SETTINGS.searchableAttributes);
    assert.deepEqual([...settings.filterableAttributes!].sort(), [...SETTINGS.filterableAttributes].sort());
    assert.deepEqual([...settings.sortableAttributes!].sort(), [...SETTINGS.sortableAttributes].sort());
    for (const node of cluster.nodes()) {
      const onNode = await cluster.nodeClient(node.id).index(INDEX).getSettings();
      assert.deepEqual(onNode.rankingRules, SETTINGS.rankingRules, `ranking rules on ${node.id}`);
      assert.deepEqual(onNode.searchableAttributes, SETTINGS.searchableAttributes, `searchable attributes on ${node.id}`);
      assert.deepEqual([...onNode.sortableAttributes!].sort(), [...SETTINGS.sortableAttributes].sort(), `sortable attributes on ${node.id}`);
      const filterable = new Set(onNode.filterableAttributes!.map((f) => (typeof f === 'string' ? f : JSON.stringify(f))));
      for (const attribute of SETTINGS.filterableAttributes) assert.ok(filterable.has(attribute), `${attribute} filterable on ${node.id}`);
    }
  });

  /**
   * Seeded random queries against `uid` on the cluster and on the oracle;
   * every differing answer is listed. `compare` asserts two answers equal.
   */
  async function differential(uid: string, seed: number, compare = assertSameAnswer, adjust = (query: Query): Query => query): Promise<void> {
    const rng = seededRng(Number(process.env.MIROIR_SEED ?? seed));
    const index = client.index(uid);
    const single = oracle.index(uid);
    const mismatches: string[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const query = adjust(randomQuery(rng));
      const { q, ...params } = query;
      const [got, want] = await Promise.all([index.search(q, params), single.search(q, params)]);
      try {
        compare(got as unknown as Record<string, unknown>, want as unknown as Record<string, unknown>, query);
      } catch (error) {
        mismatches.push(`query #${i}: ${JSON.stringify(query)}${await degradedNote(cluster, uid, query)}\n${(error as Error).message}`);
      }
    }
    // Every mismatch is listed (the first few in full): one failing query rarely tells the whole story.
    assert.equal(mismatches.length, 0, `${mismatches.length} of ${QUERIES} queries differ:\n${mismatches.slice(0, 3).join('\n\n')}\n${mismatches.map((m) => m.split('\n')[0]).join('\n')}`);
  }

  test(`differential: ${QUERIES} seeded random queries answered as one node would`, () => differential(INDEX, 7));

  test(`differential under default settings (searchable *, default ranking rules): ${QUERIES} seeded random queries, up to ties`, () =>
    differential(DEFAULT_INDEX, 8, (got, want, query) => assertSameUpToTies(got, want, query, byId), (query) => ({ ...query, showRankingScore: true })));
});
