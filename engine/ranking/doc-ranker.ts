// Evaluates one ranking step for one document of a keyword search: the bucket
// key the bucket sort groups by (lower first) and the StepResult reported in
// the score details. Holds the per-query context: the query graph, the words
// plan with the documents matching each removal step, and the term matcher.
// A document's state (its surviving paths, its occurrences) lives in DocState
// and only ever depends on the query, the settings and the document.
import type { Bitset } from '../core/bitset.ts';
import type { InvertedIndex } from '../index/inverted-index.ts';
import { OVERFLOW_SLOT_BIT } from '../index/searchable-fields.ts';
import type { QueryNode } from '../query/query-graph.ts';
import { enumeratePaths, nodeLength } from '../query/query-graph.ts';
import type { StepResult } from './details.ts';
import type { PathState, RuleContext } from './doc-rules.ts';
import { bucketedPosition, costFromDistance, fidPath, fidRule, fullPath, positionPath, positionRule, proximityPath, proximityRule, typoPathCost, typoRule } from './doc-rules.ts';
import { exactnessRule, type ExactPlans } from './exactness-rule.ts';
import type { Step } from './rule-list.ts';
import { compareSortValues, sortStep } from './sort-values.ts';
import type { SortValue } from './sort-values.ts';
import type { DocOccurrences, SlotFilter, TermMatcher } from './term-matcher.ts';
import type { WordsPlan } from './words-rule.ts';

export interface DocState {
  doc: number;
  paths: PathState[] | null;
  occurrences: DocOccurrences | null;
  context: RuleContext | null;
}

export interface StepOutcome {
  /** Lower keys rank first; for sort steps, use `sortKey`. */
  key: number;
  sortKey?: SortValue;
  results: StepResult[];
}

/** What the bucket sort needs from a ranker: per-document state and per-step evaluation. */
export interface Ranker {
  state(doc: number): DocState;
  /** The bucket key of a non-sort step, without building its details. */
  key(step: Step, s: DocState): number;
  evaluate(step: Step, s: DocState): StepOutcome;
  compareSort(a: SortValue, b: SortValue, step: Step): number;
  /** Whether the step gives every document of this query the same bucket key. */
  isConstant(step: Step): boolean;
}

export class DocRanker implements Ranker {
  private readonly pathsByStep: number[][][];
  /** Shared, never mutated: the full paths of each step. */
  private readonly singlePaths: PathState[][];

  constructor(
    private readonly index: InvertedIndex,
    private readonly nodes: readonly QueryNode[],
    private readonly matcher: TermMatcher,
    private readonly plan: WordsPlan,
    /** Documents matching after r removal steps, r = 0 … (cumulative). */
    private readonly matchAt: readonly Bitset[],
    private readonly filter: SlotFilter,
    private readonly byAttribute: boolean,
    private readonly documentOf: (doc: number) => Record<string, unknown>,
  ) {
    this.pathsByStep = plan.kept.map((kept) => enumeratePaths(nodes, kept));
    this.singlePaths = this.pathsByStep.map((paths) => paths.map(fullPath));
  }

  /**
   * Steps whose key cannot vary for this query, known from the query alone:
   * `words` with a single removal step; `proximity` when every path is one
   * single-word node (no pair, no n-gram); `fid` when every field weighs 0
   * (searchableAttributes ["*"]). None of them narrows the paths then.
   */
  isConstant(step: Step): boolean {
    switch (step.kind) {
      case 'words': return this.matchAt.length === 1;
      case 'proximity': return this.pathsByStep.every((paths) => paths.every((p) => p.length === 1 && nodeLength(this.nodes[p[0]!]!) === 1));
      case 'fid': return this.index.fields.maxWeight === 0;
      default: return false;
    }
  }

  private readonly exactPlans: ExactPlans = new Map();

  private readonly wordAtBucket = (doc: number, word: number, position: number): boolean | null => this.matcher.wordAtBucket(doc, word, position);

  state(doc: number): DocState {
    return { doc, paths: null, occurrences: null, context: null };
  }

  /** Removal steps the document needs before it matches. */
  removalStep(doc: number): number {
    for (let r = 0; r < this.matchAt.length; r++) if (this.matchAt[r]!.has(doc)) return r;
    return this.matchAt.length - 1;
  }

  /**
   * The bucket key alone. With a single surviving path (the common case) the
   * per-path cost functions run directly and the typo rule's narrowed path is
   * shared between documents matched at the same levels, so ranking a large
   * bucket allocates almost nothing per document.
   */
  key(step: Step, s: DocState): number {
    if (step.kind === 'words') {
      const r = this.removalStep(s.doc);
      s.paths = this.satisfiedPaths(s.doc, r);
      return r;
    }
    const paths = this.pathsOf(s);
    const p = paths[0];
    if (paths.length !== 1 || p === undefined) return this.evaluate(step, s).key;
    switch (step.kind) {
      case 'typo': {
        const levels: number[] = [];
        const cost = typoPathCost(this.context(s), p, levels).cost;
        s.paths = this.internNarrowed(p, levels);
        return cost;
      }
      case 'proximity': return proximityPath(this.context(s), p).cost;
      case 'fid': return fidPath(this.context(s), p).cost;
      case 'position': return positionPath(this.context(s), p).cost;
      default: return this.evaluate(step, s).key;
    }
  }

  private readonly narrowed = new Map<PathState, Map<number, PathState[]>>();

  private internNarrowed(base: PathState, levels: number[]): PathState[] {
    // Beyond 17 nodes the number key would lose precision: no sharing then.
    if (levels.length > 17) return [{ nodes: base.nodes, levels }];
    let byLevels = this.narrowed.get(base);
    if (!byLevels) {
      byLevels = new Map();
      this.narrowed.set(base, byLevels);
    }
    // Level masks are 1, 2 or 4: three bits per node make a number key.
    let key = 0;
    for (const l of levels) key = key * 8 + l;
    let paths = byLevels.get(key);
    if (!paths) {
      paths = [{ nodes: base.nodes, levels }];
      byLevels.set(key, paths);
    }
    return paths;
  }

  evaluate(step: Step, s: DocState): StepOutcome {
    switch (step.kind) {
      case 'words': {
        const r = this.removalStep(s.doc);
        s.paths = this.satisfiedPaths(s.doc, r);
        const rank = { rank: this.plan.maxRank - r, maxRank: this.plan.maxRank };
        return { key: r, results: [{ kind: 'words', rank }] };
      }
      case 'sort': {
        const { sortKey, result } = sortStep(this.documentOf(s.doc), step.criterion);
        return { key: 0, sortKey, results: [result] };
      }
      case 'typo': {
        const o = typoRule(this.context(s), this.pathsOf(s));
        s.paths = o.paths;
        return { key: o.cost, results: [{ kind: 'typo', rank: o.rank, ...o.detail }] };
      }
      case 'proximity': {
        const o = proximityRule(this.context(s), this.pathsOf(s));
        s.paths = o.paths;
        return { key: o.cost, results: [{ kind: 'proximity', rank: o.rank }] };
      }
      case 'fid': {
        const o = fidRule(this.context(s), this.pathsOf(s));
        s.paths = o.paths;
        return { key: o.cost, results: [{ kind: 'fid', rank: o.rank, unified: step.unified }] };
      }
      case 'position': {
        const o = positionRule(this.context(s), this.pathsOf(s));
        s.paths = o.paths;
        return { key: o.cost, results: [{ kind: 'position', rank: o.rank, unified: step.unified }] };
      }
      case 'exactness': {
        const input = { doc: s.doc, tokens: this.index.tokensOf(s.doc), resolved: this.matcher.resolved, allowed: this.filter.allowed, wordAtBucket: this.wordAtBucket, plans: this.exactPlans };
        const o = exactnessRule(this.context(s), input, this.pathsOf(s));
        s.paths = o.words.paths;
        return {
          key: o.attribute.cost * 1_000_000 + o.words.cost,
          results: [
            { kind: 'exactAttribute', rank: o.attribute.rank, matchType: o.attribute.detail.matchType },
            { kind: 'exactWords', rank: o.words.rank, ...o.words.detail },
          ],
        };
      }
    }
  }

  compareSort(a: SortValue, b: SortValue, step: Step): number {
    return step.kind === 'sort' ? compareSortValues(a, b, step.criterion.ascending) : 0;
  }

  private pathsOf(s: DocState): PathState[] {
    if (!s.paths) s.paths = this.satisfiedPaths(s.doc, this.removalStep(s.doc));
    return s.paths;
  }

  private satisfiedPaths(doc: number, step: number): PathState[] {
    const paths = this.pathsByStep[step] ?? [];
    // The step's documents were computed from its paths: with one path, every one of them satisfies it.
    if (paths.length === 1 && this.matchAt[step]!.has(doc)) return this.singlePaths[step]!;
    return paths
      .filter((p) => p.every((n) => this.matcher.resolved[n]!.docs.some((d) => d.has(doc))))
      .map((p) => fullPath(p));
  }

  private context(s: DocState): RuleContext {
    if (!s.context) s.context = new DocContext(this, s);
    return s.context;
  }

  /** For DocContext: the per-query parts a document's rule context reads (fields, so no object per document). */
  get queryIndex(): InvertedIndex {
    return this.index;
  }
  get queryNodes(): readonly QueryNode[] {
    return this.nodes;
  }
  get queryMatcher(): TermMatcher {
    return this.matcher;
  }
  get queryByAttribute(): boolean {
    return this.byAttribute;
  }

  /** The node's own word (not a prefix or synonym) or its phrase occurs in a searched field of the document. */
  isExact(n: number, doc: number): boolean {
    const r = this.matcher.resolved[n]!;
    if (r.exactPhrase) return r.docs[0].has(doc);
    if (r.exactWord === undefined) return false;
    // Searching every field, or fields with a bit of their own in the posting
    // masks: the word's posting answers without reading the document.
    if (this.filter.mask === ~0 || this.index.fields.slotCount <= OVERFLOW_SLOT_BIT) {
      const p = this.index.postings(this.index.word(r.exactWord));
      const i = p ? p.find(doc) : -1;
      return i >= 0 && (this.filter.mask === ~0 || (p!.maskAt(i) & this.filter.mask) !== 0);
    }
    const tokens = this.index.tokensOf(doc);
    if (!tokens) return false;
    for (let k = 0; k < tokens.words.length; k++) {
      if (tokens.words[k] === r.exactWord && this.filter.allowed(tokens.slots[k]!)) return true;
    }
    return false;
  }
}

/** The word counts of a document without indexed words; read-only. */
const NO_WORDS: Map<number, number> = new Map();

/** One document's view for the rules; a class, so no closure is built per document. */
class DocContext implements RuleContext {
  readonly nodes: readonly QueryNode[];
  readonly maxWeight: number;
  readonly byAttribute: boolean;
  readonly wordCounts: Map<number, number>;
  private readonly index: InvertedIndex;
  private readonly matcher: TermMatcher;

  constructor(private readonly ranker: DocRanker, private readonly s: DocState) {
    this.index = ranker.queryIndex;
    this.matcher = ranker.queryMatcher;
    this.nodes = ranker.queryNodes;
    this.byAttribute = ranker.queryByAttribute;
    this.maxWeight = this.index.fields.maxWeight;
    this.wordCounts = this.index.tokensOf(s.doc)?.wordCounts ?? NO_WORDS;
  }

  occurrences(): DocOccurrences {
    if (!this.s.occurrences) this.s.occurrences = this.matcher.occurrences(this.s.doc);
    return this.s.occurrences;
  }

  hasLevel(n: number, level: number): boolean {
    return this.matcher.resolved[n]!.docs[level]!.has(this.s.doc);
  }

  weightOf(slot: number): number {
    return this.index.fields.weightOfSlot(slot);
  }

  minPositionCost(n: number, levels: number, len: number, posStart: number): number | null {
    return this.matcher.minPositionCost(this.s.doc, n, levels, len, posStart, costFromDistance, bucketedPosition);
  }

  minWeight(n: number, levels: number): number | null {
    return this.matcher.minWeight(this.s.doc, n, levels, this.maxWeight, (slot) => this.index.fields.weightOfSlot(slot));
  }

  minProximity(left: number, leftLevels: number, right: number, rightLevels: number, cap: number): number | null {
    return this.matcher.minProximity(this.s.doc, left, leftLevels, right, rightLevels, cap, this.byAttribute);
  }

  hasExactTerm(n: number): boolean {
    return this.ranker.isExact(n, this.s.doc);
  }
}
