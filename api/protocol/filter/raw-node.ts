// The parser's own tree: the public FilterExpr plus CONTAINS / STARTS WITH,
// which exist in the grammar but are refused (feature_not_enabled) once the
// whole filter has parsed, so they never reach the public tree.
import type { FilterExpr, Token } from './ast.ts';

type Leaf = Exclude<FilterExpr, { kind: 'and' | 'or' | 'not' }>;

export interface ContainsNode {
  kind: 'contains';
  field: Token;
  /** The `CONTAINS` or `STARTS WITH` keyword, where Meilisearch points its error. */
  keyword: Token;
  word: Token;
  prefix: boolean;
}

export type RawNode =
  | Leaf
  | ContainsNode
  | { kind: 'and' | 'or'; children: RawNode[] }
  | { kind: 'not'; child: RawNode };
