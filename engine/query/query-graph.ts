// The query graph's nodes: every parsed term, plus the 2- and 3-word n-grams
// of adjacent word terms (`sun flower` also looks for `sunflower`), each with
// its synonyms. A path through the graph covers every term exactly once,
// using single terms or n-grams; `paths` enumerates them for a set of kept
// terms. Pure: derived from the parsed query and the settings only.
import type { Settings } from '../../api/protocol/settings/settings.ts';
import type { Tokenizer } from '../text/tokenizer.ts';
import { utf8Length } from '../text/normalize.ts';
import type { BaseTerm, ParsedQuery } from './parse-query.ts';
import { typoBudget } from './typo-budget.ts';

export interface QueryNode {
  index: number;
  /** First and last base-term index covered (equal unless an n-gram). */
  termStart: number;
  termEnd: number;
  /** Query positions covered. */
  posStart: number;
  posEnd: number;
  kind: 'word' | 'phrase';
  /** The word (an n-gram's concatenation); '' for a phrase. */
  word: string;
  /** The phrase words, null for stop words; null for a word node. */
  phrase: Array<string | null> | null;
  isNgram: boolean;
  isPrefix: boolean;
  maxTypos: number;
  /** Synonym phrases (zero-typo derivations). */
  synonyms: string[][];
}

/** Above this many terms, n-grams are not built, which bounds the paths to enumerate. */
const NGRAM_TERMS_MAX = 10;
const MAX_SYNONYM_PHRASES = 50;
const MAX_SYNONYM_WORDS = 100;

export type SynonymMap = Map<string, string[][]>;

/** Synonyms keyed by the normalized words of the key joined by one space. */
export function buildSynonyms(settings: Settings, tokenizer: Tokenizer): SynonymMap {
  const out: SynonymMap = new Map();
  const words = (text: string) => tokenizer.tokenize(text).filter((t) => t.kind === 'word').map((t) => t.lemma);
  for (const [key, values] of Object.entries(settings.synonyms)) {
    const k = words(key).join(' ');
    if (k.length === 0) continue;
    const list = out.get(k) ?? [];
    for (const v of values) {
      const w = words(v);
      if (w.length > 0 && !list.some((x) => x.join(' ') === w.join(' '))) list.push(w);
    }
    out.set(k, list);
  }
  return out;
}

function synonymsOf(key: string, synonyms: SynonymMap): string[][] {
  const all = synonyms.get(key) ?? [];
  const out: string[][] = [];
  let words = 0;
  for (const phrase of all.slice(0, MAX_SYNONYM_PHRASES)) {
    if (words + phrase.length > MAX_SYNONYM_WORDS) continue;
    words += phrase.length;
    out.push(phrase);
  }
  return out;
}

export function buildNodes(query: ParsedQuery, settings: Settings, synonyms: SynonymMap): QueryNode[] {
  const nodes: QueryNode[] = [];
  const terms = query.terms;
  terms.forEach((term, i) => {
    nodes.push(termNode(nodes.length, term, i, synonyms));
    if (terms.length > NGRAM_TERMS_MAX) return;
    for (const n of [2, 3]) {
      if (i - n + 1 < 0) continue;
      const ngram = ngramNode(nodes.length, terms.slice(i - n + 1, i + 1), i - n + 1, settings, synonyms);
      if (ngram) nodes.push(ngram);
    }
  });
  return nodes;
}

function termNode(index: number, term: BaseTerm, i: number, synonyms: SynonymMap): QueryNode {
  if (term.kind === 'phrase') {
    return { index, termStart: i, termEnd: i, posStart: term.start, posEnd: term.end, kind: 'phrase', word: '', phrase: term.words, isNgram: false, isPrefix: false, maxTypos: 0, synonyms: [] };
  }
  return {
    index, termStart: i, termEnd: i, posStart: term.position, posEnd: term.position, kind: 'word', word: term.word, phrase: null,
    isNgram: false, isPrefix: term.isPrefix, maxTypos: term.maxTypos, synonyms: synonymsOf(term.word, synonyms),
  };
}

function ngramNode(index: number, terms: BaseTerm[], start: number, settings: Settings, synonyms: SynonymMap): QueryNode | null {
  const words: string[] = [];
  for (let k = 0; k < terms.length; k++) {
    const t = terms[k]!;
    if (t.kind !== 'word') return null;
    const prev = terms[k - 1];
    if (prev && prev.kind === 'word' && prev.position + 1 !== t.position) return null;
    words.push(t.word);
  }
  const word = words.join('');
  if (utf8Length(word) > 250) return null;
  const first = terms[0] as { position: number };
  const last = terms[terms.length - 1] as { position: number; isPrefix: boolean };
  return {
    index, termStart: start, termEnd: start + terms.length - 1, posStart: first.position, posEnd: last.position, kind: 'word', word,
    phrase: null, isNgram: true, isPrefix: last.isPrefix, maxTypos: Math.max(0, typoBudget(word, settings) - (terms.length - 1)),
    synonyms: synonymsOf(words.join(' '), synonyms),
  };
}

/** Number of base terms a node covers. */
export function nodeLength(node: QueryNode): number {
  return node.termEnd - node.termStart + 1;
}

/** The highest typo cost of a node on its own (milli `max_typo_cost`), before the n-gram base cost. */
export function maxTypoCost(node: QueryNode): number {
  if (node.kind === 'phrase') return 0;
  return node.maxTypos === 0 ? 1 : node.maxTypos;
}

/**
 * Every path covering the kept terms in order, each a list of node indexes.
 * N-grams may only join terms that are all kept and adjacent in term order.
 */
export function enumeratePaths(nodes: readonly QueryNode[], kept: readonly number[]): number[][] {
  const keptSet = new Set(kept);
  const byStart = new Map<number, QueryNode[]>();
  for (const node of nodes) {
    let ok = true;
    for (let t = node.termStart; t <= node.termEnd; t++) if (!keptSet.has(t)) ok = false;
    if (ok) byStart.set(node.termStart, [...(byStart.get(node.termStart) ?? []), node]);
  }
  const sorted = [...kept].sort((a, b) => a - b);
  const out: number[][] = [];
  const walk = (k: number, acc: number[]): void => {
    if (k >= sorted.length) {
      out.push([...acc]);
      return;
    }
    for (const node of byStart.get(sorted[k]!) ?? []) {
      const span = nodeLength(node);
      // An n-gram must cover consecutive kept terms.
      if (sorted[k + span - 1] !== node.termEnd) continue;
      acc.push(node.index);
      walk(k + span, acc);
      acc.pop();
    }
  };
  walk(0, []);
  return out;
}
