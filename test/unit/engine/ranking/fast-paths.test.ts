// Goal: the allocation-free fast paths (position and field masks from the
// postings, the one-pass proximity scan) give exactly what the general
// occurrence-based computation gives, so speed never changes a ranking.
// Method: seeded random documents over a small vocabulary with several
// fields and hard separators; for every document and every node pair of a
// few queries, compare the fast answer with the one derived from
// TermMatcher.occurrences().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings } from '../../../../api/protocol/settings/settings.ts';
import { InvertedIndex } from '../../../../engine/index/inverted-index.ts';
import { parseQuery } from '../../../../engine/query/parse-query.ts';
import { buildNodes, buildSynonyms } from '../../../../engine/query/query-graph.ts';
import { bucketedPosition, costFromDistance, pairProximity } from '../../../../engine/ranking/doc-rules.ts';
import type { RuleContext } from '../../../../engine/ranking/doc-rules.ts';
import { TermMatcher } from '../../../../engine/ranking/term-matcher.ts';
import { slotFilter } from '../../../../engine/search/keyword-search.ts';
import { seededRng } from '../../../../runtime/env/rng.ts';

const VOCAB = ['dragon', 'dragin', 'train', 'trains', 'world', 'word', 'hidden', 'how', 'sun'];

test('fast paths agree with occurrences', () => {
  const rng = seededRng(3);
  const settings = defaultSettings();
  settings.searchableAttributes = ['title', 'body', 'tags'];
  const index = new InvertedIndex(settings);
  const text = (n: number) => Array.from({ length: n }, () => VOCAB[rng.int(VOCAB.length)]).join(rng.int(4) === 0 ? '. ' : ' ');
  const N = 150;
  for (let id = 0; id < N; id++) index.addDocument(id, { title: text(1 + rng.int(5)), body: text(rng.int(30)), tags: [text(2), text(1)] });
  const synonyms = buildSynonyms(settings, index.tokenizer);
  let compared = 0;
  for (const q of ['train dragon', 'hidden world how', 'drag', 'word sun trains']) {
    const nodes = buildNodes(parseQuery(q, settings, index.tokenizer), settings, synonyms);
    const matcher = new TermMatcher(index, nodes, settings, slotFilter(index, null), N);
    for (let doc = 0; doc < N; doc++) {
      const occ = matcher.occurrences(doc);
      const ctx = { occurrences: () => occ, byAttribute: false } as unknown as RuleContext;
      const ctxByAttribute = { occurrences: () => occ, byAttribute: true } as unknown as RuleContext;
      for (const node of nodes) {
        for (const levels of [0b001, 0b010, 0b111]) {
          const list = [0, 1, 2].filter((l) => levels & (1 << l)).flatMap((l) => occ[node.index]![l]!);
          const len = node.termEnd - node.termStart + 1;
          const slow = list.reduce((best, o) => {
            const d = Math.abs(bucketedPosition(o.start) - node.posStart);
            let c = 0;
            for (let k = 0; k < len; k++) c += costFromDistance(d + k);
            return Math.min(best, c);
          }, 10 * len);
          const fastPosition = matcher.minPositionCost(doc, node.index, levels, len, node.posStart, costFromDistance, bucketedPosition);
          if (fastPosition !== null) assert.equal(fastPosition, slow, `position q=${q} doc=${doc}`);
          const weight = list.reduce((best, o) => Math.min(best, index.fields.weightOfSlot(o.slot)), 2);
          const fastWeight = matcher.minWeight(doc, node.index, levels, 2, (s) => index.fields.weightOfSlot(s));
          if (fastWeight !== null) assert.equal(fastWeight, weight, `weight q=${q} doc=${doc}`);
          for (const right of nodes) {
            const rl = [0, 1, 2].filter((l) => 0b111 & (1 << l)).flatMap((l) => occ[right.index]![l]!);
            // Null means a phrase is involved and the caller uses occurrences: nothing to compare.
            const fast = matcher.minProximity(doc, node.index, levels, right.index, 0b111, 4, false);
            if (fast !== null) assert.equal(fast, pairProximity(ctx, list, rl), `proximity q=${q} doc=${doc}`);
            const fastAttr = matcher.minProximity(doc, node.index, levels, right.index, 0b111, 4, true);
            if (fastAttr !== null) assert.equal(fastAttr, pairProximity(ctxByAttribute, list, rl), `byAttribute q=${q} doc=${doc}`);
            compared += fast === null ? 0 : 1;
          }
        }
      }
    }
  }
  assert.ok(compared > 1000, `only ${compared} proximity comparisons`);
});
