// Prints a filter tree back to Meilisearch filter syntax. Every field and
// value is double-quoted (escaping `\` and `"`), so keywords, spaces and any
// character survive; parentheses are added only where precedence
// (NOT > AND > OR) or the parser's flattening of chains requires them.
// Invariant: for every tree parseFilter can produce, parseFilter(printFilter(e))
// is the same tree up to token positions.
import type { FilterExpr, Token } from './ast.ts';
import { unreachable } from '../../../runtime/assert.ts';

function quote(token: Token): string {
  return `"${token.value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function grouped(e: FilterExpr, needsParens: boolean): string {
  const text = printFilter(e);
  return needsParens ? `(${text})` : text;
}

export function printFilter(e: FilterExpr): string {
  switch (e.kind) {
    case 'or': return e.children.map((c) => grouped(c, c.kind === 'or')).join(' OR ');
    case 'and': return e.children.map((c) => grouped(c, c.kind === 'or' || c.kind === 'and')).join(' AND ');
    case 'not': return `NOT ${grouped(e.child, e.child.kind === 'or' || e.child.kind === 'and')}`;
    case 'compare': return `${quote(e.field)} ${e.op} ${quote(e.value)}`;
    case 'range': return `${quote(e.field)} ${quote(e.from)} TO ${quote(e.to)}`;
    case 'in': return `${quote(e.field)} IN [${e.values.map(quote).join(', ')}]`;
    case 'exists': return `${quote(e.field)} EXISTS`;
    case 'isNull': return `${quote(e.field)} IS NULL`;
    case 'isEmpty': return `${quote(e.field)} IS EMPTY`;
    case 'geoRadius': {
      const args = e.resolution ? [...e.args, e.resolution] : e.args;
      return `_geoRadius(${args.map((t) => t.value).join(', ')})`;
    }
    case 'geoBoundingBox': {
      const [a, b, c, d] = e.args;
      return `_geoBoundingBox([${a.value}, ${b.value}], [${c.value}, ${d.value}])`;
    }
    default: return unreachable(e);
  }
}
