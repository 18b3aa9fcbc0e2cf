// Turns the `rankingRules` setting and the `sort` parameter into the ordered
// steps the bucket sort runs (milli get_ranking_rules_for_query_graph_search):
// each rule at most once; `words` inserted before the first of typo,
// proximity, attribute, attributeRank, wordPosition or exactness when the
// setting lacks it (and left out under matchingStrategy `all`); `attribute`
// becomes attributeRank then wordPosition reported together; `exactness`
// becomes its two stages; `sort` expands to the `sort` parameter's criteria;
// `field:asc|desc` is a sort on that field, skipped if already sorted on.
// Placeholder searches keep only the sort steps.
import type { MatchingStrategy } from '../core/contracts.ts';

import type { SortCriterion } from './sort-values.ts';

export type { SortCriterion };

export type Step =
  | { kind: 'words' }
  | { kind: 'typo' }
  | { kind: 'proximity' }
  | { kind: 'fid'; unified: boolean }
  | { kind: 'position'; unified: boolean }
  | { kind: 'exactness' }
  | { kind: 'sort'; criterion: SortCriterion };

const NEEDS_WORDS = new Set(['typo', 'proximity', 'attribute', 'attributeRank', 'wordPosition', 'exactness']);

export function parseCustomRule(rule: string): SortCriterion | null {
  const m = /^(.+):(asc|desc)$/.exec(rule);
  if (!m) return null;
  return { field: m[1]!, ascending: m[2] === 'asc' };
}

export function buildSteps(rankingRules: readonly string[], sort: readonly SortCriterion[] | null, strategy: MatchingStrategy, placeholder: boolean): Step[] {
  const steps: Step[] = [];
  const done = new Set<string>();
  const sorted = new Set<string>();
  if (strategy === 'all') done.add('words');
  const once = (name: string, add: () => void) => {
    if (done.has(name)) return;
    done.add(name);
    add();
  };
  const addSort = (c: SortCriterion) => {
    if (sorted.has(c.field)) return;
    sorted.add(c.field);
    steps.push({ kind: 'sort', criterion: c });
  };
  for (const rule of rankingRules) {
    if (NEEDS_WORDS.has(rule) && !placeholder) once('words', () => steps.push({ kind: 'words' }));
    if (placeholder && rule !== 'sort' && parseCustomRule(rule) === null) continue;
    switch (rule) {
      case 'words': once('words', () => steps.push({ kind: 'words' })); break;
      case 'typo': once('typo', () => steps.push({ kind: 'typo' })); break;
      case 'proximity': once('proximity', () => steps.push({ kind: 'proximity' })); break;
      case 'attribute':
        once('attribute', () => steps.push({ kind: 'fid', unified: true }, { kind: 'position', unified: true }));
        break;
      case 'attributeRank': once('attributeRank', () => steps.push({ kind: 'fid', unified: false })); break;
      case 'wordPosition': once('wordPosition', () => steps.push({ kind: 'position', unified: false })); break;
      case 'exactness': once('exactness', () => steps.push({ kind: 'exactness' })); break;
      case 'sort': once('sort', () => (sort ?? []).forEach(addSort)); break;
      default: {
        const c = parseCustomRule(rule);
        if (c) addSort(c);
      }
    }
  }
  return steps;
}
