// The engine's cost per search as a function of the documents it holds
// (issue 4 §11): in process, no HTTP, the same seeded corpus and queries as
// bench/cluster/search.bench.ts, against three indexes built in this run:
//
// - full: every document, the client's query as sent (the direct node);
// - node: the documents of 6 of 16 shards, stamped with `_miroir_shard`,
//   asked what a Miroir peer asks a node (runtime/merge/node-query.ts: the
//   shard restriction ANDed with the filter, showRankingScore, the extra
//   facet, attributesToSearchOn naming the document fields);
// - third: the same documents as `node`, asked the client's query as sent
//   (what a node would cost without the cluster's additions).
//
// Each query runs parse → search → answer → JSON.stringify, the work a node
// does between the HTTP layers. Per query, the wall time (one thread with
// nothing else to do: its CPU time unless the machine preempts it) is kept as
// the median over rounds, then p50 / p90 over queries; the mean is the CPU
// time (process.cpuUsage) of whole passes, robust to other processes on a
// shared machine. The figure of merit is the ratio node ÷ full (and third ÷
// full): a node holding 6/16 of the documents should cost about that
// fraction, not most of a full search. Rounds alternate the order of the
// three targets.
//
// Run: node --import tsx bench/engine/per-search.bench.ts
// (PER_SEARCH_ROUNDS, PER_SEARCH_DOCS change the sizes; PER_SEARCH_OUT=0 skips
// writing per-search-results.{json,md}; PER_SEARCH_ONLY=full|node|third runs
// one target, e.g. under --cpu-prof.)
import { cpus, loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { seededRng } from '../../runtime/env/rng.ts';
import { defaultSettings } from '../../api/protocol/settings/settings.ts';
import { parseSearchBody } from '../../api/protocol/search-params.ts';
import { createSearchIndex } from '../../engine/search/search-index.ts';
import { createFacetStore } from '../../engine/facets/facet-store.ts';
import { searchAnswer, searchEntry } from '../../engine/federation/search-runner.ts';
import type { IndexEntry } from '../../engine/http/context.ts';
import { nodeRequestBody, planSearch } from '../../runtime/merge/node-query.ts';
import { makeDocument, makeQuery, vocabulary, type BenchQuery } from './corpus.ts';

const DOCS = Number(process.env['PER_SEARCH_DOCS'] ?? 10_000);
const QUERIES = 440; // the cluster bench's 400 + 40 warm-up, in its order
const ROUNDS = Number(process.env['PER_SEARCH_ROUNDS'] ?? 7);
const SHARDS = 16;
const NODE_SHARDS = [0, 3, 6, 9, 12, 15];
const FILTERABLE = ['category', 'brand', 'color', 'price', 'rating'];
const SORTABLE = ['price', 'rating'];
const ONLY = process.env['PER_SEARCH_ONLY'];

type Target = 'full' | 'node' | 'third';

function buildIndex(docs: readonly Record<string, unknown>[], extraFilterable: string[]): IndexEntry {
  const settings = defaultSettings();
  settings.filterableAttributes = [...FILTERABLE, ...extraFilterable];
  settings.sortableAttributes = [...SORTABLE];
  const index = createSearchIndex(settings, createFacetStore);
  for (const d of docs) index.put(String(d['id']), d);
  return { uid: 'bench', primaryKey: 'id', createdAt: new Date(0), updatedAt: new Date(0), settings, index };
}

/** The body a peer sends a node for `body` (node-query.ts and search-on-fields.ts). */
function nodeBody(body: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const plan = planSearch(body, { maxTotalHits: 1000, primaryKey: 'id', distinctAttribute: null, rankingRules: defaultSettings().rankingRules });
  const out = nodeRequestBody(plan, NODE_SHARDS);
  return typeof out['q'] === 'string' && out['q'] !== '' ? { ...out, attributesToSearchOn: fields } : out;
}

/** One search as a node runs it between the HTTP layers: parse, search, answer, serialize. */
function searchOnce(entry: IndexEntry, body: Record<string, unknown>): number {
  const result = searchEntry(entry, parseSearchBody(body).query);
  return JSON.stringify(searchAnswer(result, 'uid')).length;
}

/** Wall microseconds of one search (one thread, nothing else in the process: its CPU unless preempted). */
function timeOne(entry: IndexEntry, body: Record<string, unknown>): number {
  const started = performance.now();
  searchOnce(entry, body);
  return Math.round((performance.now() - started) * 1000);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

function main(): void {
  // Same draws as bench/cluster/search.bench.ts: vocabulary, documents, queries.
  const rng = seededRng(20261123);
  const vocab = vocabulary(rng, 5_000);
  const docs = Array.from({ length: DOCS }, (_, i) => makeDocument(rng, vocab, i + 1));
  const queries: BenchQuery[] = Array.from({ length: QUERIES }, () => makeQuery(rng, vocab));
  const shardRng = seededRng(7);
  const stamped = docs.map((d) => ({ ...d, _miroir_shard: shardRng.int(SHARDS) }));
  const held = stamped.filter((d) => NODE_SHARDS.includes(d['_miroir_shard'] as number));
  const heldPlain = held.map(({ _miroir_shard: _s, ...rest }) => rest);
  const fields = Object.keys(docs[0]!);

  const t0 = performance.now();
  const targets: Target[] = ONLY === undefined ? ['full', 'node', 'third'] : [ONLY as Target];
  const sources: Record<Target, () => IndexEntry> = {
    full: () => buildIndex(docs, []),
    node: () => buildIndex(held, ['_miroir_shard']),
    third: () => buildIndex(heldPlain, []),
  };
  const indexes = Object.fromEntries(targets.map((t) => [t, sources[t]()])) as Record<Target, IndexEntry>;
  console.log(`per-search: built ${targets.join(', ')} (${docs.length}, ${held.length}, ${heldPlain.length} docs) in ${Math.round(performance.now() - t0)} ms`);
  const bodies: Record<Target, Record<string, unknown>[]> = {
    full: queries.map((q) => q.body),
    node: queries.map((q) => nodeBody(q.body, fields)),
    third: queries.map((q) => q.body),
  };
  // Warm the JIT on a scratch index of other documents, so the first pass
  // measures searches whose caches are cold, not code that is not compiled yet.
  const scratch = buildIndex(stamped.slice(0, 2_000), ['_miroir_shard']);
  for (const t of targets) for (const body of bodies[t]) searchOnce(scratch, body);
  // The first pass sends each query once, in the cluster bench's order, as
  // that bench does: whatever a search leaves behind for later ones (caches)
  // helps here only as much as it would there. The rounds then repeat every
  // query; per round and target, the CPU of the whole pass is read once
  // (reading it per search would cost more than a small search).
  const first: Record<Target, number[]> = { full: [], node: [], third: [] };
  for (let i = 0; i < queries.length; i++) {
    for (const t of targets.map((_, k) => targets[(k + i) % targets.length]!)) first[t].push(timeOne(indexes[t], bodies[t][i]!));
  }
  const samples: Record<Target, number[][]> = { full: queries.map(() => []), node: queries.map(() => []), third: queries.map(() => []) };
  const passCpu: Record<Target, number[]> = { full: [], node: [], third: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of targets.map((_, k) => targets[(k + round) % targets.length]!)) {
      const before = process.cpuUsage();
      for (let i = 0; i < queries.length; i++) samples[t][i]!.push(timeOne(indexes[t], bodies[t][i]!));
      const used = process.cpuUsage(before);
      passCpu[t].push((used.user + used.system) / queries.length);
    }
    console.log(`per-search: round ${round + 1}/${ROUNDS}`);
  }
  const row = (perQuery: number[], cpu: number[] | null) => {
    const mean = perQuery.reduce((a, b) => a + b, 0) / perQuery.length;
    return { p50Us: percentile(perQuery, 50), p90Us: percentile(perQuery, 90), meanUs: Math.round(cpu === null ? mean : median(cpu)) };
  };
  const summary = Object.fromEntries(targets.map((t) => [t, row(samples[t].map(median), passCpu[t])])) as Record<Target, ReturnType<typeof row>>;
  const firstPass = Object.fromEntries(targets.map((t) => [t, row(first[t], null)])) as Record<Target, ReturnType<typeof row>>;
  const ratio = (a: Target, b: Target, k: 'p50Us' | 'meanUs', of = summary) => Math.round((of[a][k] / of[b][k]) * 100) / 100;
  const byKind: Record<string, Record<string, number>> = {};
  if (ONLY === undefined) {
    for (const kind of [...new Set(queries.map((q) => q.kind))].sort()) {
      const idx = queries.flatMap((q, i) => (q.kind === kind ? [i] : []));
      const p50 = (t: Target) => percentile(idx.map((i) => median(samples[t][i]!)), 50);
      byKind[kind] = { count: idx.length, fullP50Us: p50('full'), nodeP50Us: p50('node'), thirdP50Us: p50('third'), nodeOverFull: Math.round((p50('node') / p50('full')) * 100) / 100 };
    }
  }
  const result = {
    environment: `Node ${process.version}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} at the end`,
    documents: { full: docs.length, node: held.length, third: heldPlain.length, fraction: Math.round((held.length / docs.length) * 1000) / 1000 },
    queries: queries.length,
    rounds: ROUNDS,
    summary,
    ratios: ONLY === undefined ? {
      nodeOverFullP50: ratio('node', 'full', 'p50Us'), nodeOverFullMean: ratio('node', 'full', 'meanUs'),
      thirdOverFullP50: ratio('third', 'full', 'p50Us'), thirdOverFullMean: ratio('third', 'full', 'meanUs'),
    } : {},
    firstPass,
    firstPassRatios: ONLY === undefined ? {
      nodeOverFullP50: ratio('node', 'full', 'p50Us', firstPass), nodeOverFullMean: ratio('node', 'full', 'meanUs', firstPass),
      thirdOverFullP50: ratio('third', 'full', 'p50Us', firstPass), thirdOverFullMean: ratio('third', 'full', 'meanUs', firstPass),
    } : {},
    byKind,
  };
  console.log(JSON.stringify(result, null, 2));
  if (process.env['PER_SEARCH_OUT'] === '0' || ONLY !== undefined) return;
  const url = (name: string) => new URL(name, import.meta.url);
  writeFileSync(url('per-search-results.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(url('per-search-results.md'), markdown(result));
}

function markdown(r: any): string {
  const s = r.summary;
  const kinds = Object.entries(r.byKind as Record<string, Record<string, number>>)
    .map(([k, v]) => `| ${k} | ${v['count']} | ${v['fullP50Us']} | ${v['nodeP50Us']} | ${v['thirdP50Us']} | ${v['nodeOverFull']} |`).join('\n');
  return `# Engine cost per search against the documents held

Generated by \`bench/engine/per-search.bench.ts\` (in process, no HTTP): parse → search → answer → JSON, µs per search.
p50 / p90: of each query's median wall time over ${r.rounds} rounds (one thread, so its CPU unless preempted), over the
${r.queries} queries of bench/cluster/search.bench.ts; mean: CPU time of a whole pass (process.cpuUsage) ÷ queries, median over rounds.
${r.environment}.

- full: ${r.documents.full} documents, the client's query;
- node: ${r.documents.node} documents (6 of 16 shards, fraction ${r.documents.fraction}), the body a Miroir peer sends a node;
- third: the same ${r.documents.third} documents, the client's query.

| target | p50 µs | p90 µs | mean µs |
|---|---:|---:|---:|
| full | ${s.full.p50Us} | ${s.full.p90Us} | ${s.full.meanUs} |
| node | ${s.node.p50Us} | ${s.node.p90Us} | ${s.node.meanUs} |
| third | ${s.third.p50Us} | ${s.third.p90Us} | ${s.third.meanUs} |

node ÷ full: p50 **${r.ratios.nodeOverFullP50}**, mean ${r.ratios.nodeOverFullMean}; third ÷ full: p50 ${r.ratios.thirdOverFullP50}, mean ${r.ratios.thirdOverFullMean}
(the documents held are ${r.documents.fraction} of the full index).

First pass (each query once, in the cluster bench's order, before the rounds, so caches help only as much as in that
bench; one wall-time sample per query, so noisier; mean of the wall times):

| target | p50 µs | p90 µs | mean µs |
|---|---:|---:|---:|
| full | ${r.firstPass.full.p50Us} | ${r.firstPass.full.p90Us} | ${r.firstPass.full.meanUs} |
| node | ${r.firstPass.node.p50Us} | ${r.firstPass.node.p90Us} | ${r.firstPass.node.meanUs} |
| third | ${r.firstPass.third.p50Us} | ${r.firstPass.third.p90Us} | ${r.firstPass.third.meanUs} |

node ÷ full: p50 **${r.firstPassRatios.nodeOverFullP50}**, mean ${r.firstPassRatios.nodeOverFullMean}; third ÷ full: p50 ${r.firstPassRatios.thirdOverFullP50}, mean ${r.firstPassRatios.thirdOverFullMean}.

| kind | n | full p50 µs | node p50 µs | third p50 µs | node ÷ full |
|---|---:|---:|---:|---:|---:|
${kinds}
`;
}

main();
