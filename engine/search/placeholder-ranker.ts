// Ranking for a placeholder search (no query words): only the sort steps run,
// ties stay in internal-id order, and no step carries a rank, so every
// `_rankingScore` is 1.0.
import type { DocState, Ranker, StepOutcome } from '../ranking/doc-ranker.ts';
import type { Step } from '../ranking/rule-list.ts';
import type { SortValue } from '../ranking/sort-values.ts';
import { compareSortValues, sortStep } from '../ranking/sort-values.ts';

export class PlaceholderRanker implements Ranker {
  constructor(private readonly documentOf: (doc: number) => Record<string, unknown>) {}

  state(doc: number): DocState {
    return { doc, paths: null, occurrences: null, context: null };
  }

  key(): number {
    return 0;
  }

  /** Only sort steps order a placeholder search. */
  isConstant(step: Step): boolean {
    return step.kind !== 'sort';
  }

  evaluate(step: Step, s: DocState): StepOutcome {
    if (step.kind !== 'sort') return { key: 0, results: [] };
    const { sortKey, result } = sortStep(this.documentOf(s.doc), step.criterion);
    return { key: 0, sortKey, results: [result] };
  }

  compareSort(a: SortValue, b: SortValue, step: Step): number {
    return step.kind === 'sort' ? compareSortValues(a, b, step.criterion.ascending) : 0;
  }
}
