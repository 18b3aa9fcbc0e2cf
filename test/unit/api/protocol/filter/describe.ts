// Test helper: prints a FilterExpr the way Meilisearch's filter-parser
// `Display` prints its tree (`{field} = {value}`, `NOT (…)`, `AND[…, ]`), so
// the parser tests can reuse Meilisearch's own snapshots verbatim.
import type { FilterExpr } from '../../../../../api/protocol/filter/ast.ts';

export function describeTree(e: FilterExpr): string {
  const t = (s: { value: string }) => `{${s.value}}`;
  switch (e.kind) {
    case 'not': return `NOT (${describeTree(e.child)})`;
    case 'and': return `AND[${e.children.map((c) => `${describeTree(c)}, `).join('')}]`;
    case 'or': return `OR[${e.children.map((c) => `${describeTree(c)}, `).join('')}]`;
    case 'compare': return `${t(e.field)} ${e.op} ${t(e.value)}`;
    case 'range': return `${t(e.field)} ${t(e.from)} TO ${t(e.to)}`;
    case 'in': return `${t(e.field)} IN[${e.values.map((v) => `${t(v)}, `).join('')}]`;
    case 'exists': return `${t(e.field)} EXISTS`;
    case 'isNull': return `${t(e.field)} IS NULL`;
    case 'isEmpty': return `${t(e.field)} IS EMPTY`;
    case 'geoRadius': return `_geoRadius(${e.args.map(t).join(', ')})`;
    case 'geoBoundingBox': {
      const [a, b, c, d] = e.args;
      return `_geoBoundingBox([${t(a)}, ${t(b)}], [${t(c)}, ${t(d)}])`;
    }
  }
}
