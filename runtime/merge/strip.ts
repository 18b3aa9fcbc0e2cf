// Removes from hits and documents what the client did not ask for:
// - every field starting with `_miroir_` (reserved, ARCHITECTURE §3), at the
//   top level and inside `_formatted` and `_matchesPosition`;
// - `_rankingScore` / `_rankingScoreDetails` unless the client asked for them
//   (Miroir always asks nodes for both, to merge);
// - the fields Miroir added to `attributesToRetrieve` for its own use (the
//   primary key for tiebreaks, the distinct attribute), including dotted paths
//   (`a.b`), whose emptied parent objects are removed too.
// Inputs are never mutated: a stripped hit is a new object with the remaining
// keys in their original order (Meilisearch's field-id order).

export interface StripPlan {
  readonly keepRankingScore: boolean;
  readonly keepRankingScoreDetails: boolean;
  /** Fields added by Miroir to `attributesToRetrieve`, to remove again. */
  readonly addedFields: readonly string[];
}

export interface CompiledStrip {
  readonly keepRankingScore: boolean;
  readonly keepRankingScoreDetails: boolean;
  readonly topLevel: ReadonlySet<string>;
  readonly dotted: readonly string[];
}

export function compileStrip(plan: StripPlan): CompiledStrip {
  return {
    keepRankingScore: plan.keepRankingScore,
    keepRankingScoreDetails: plan.keepRankingScoreDetails,
    topLevel: new Set(plan.addedFields.filter((f) => !f.includes('.'))),
    dotted: plan.addedFields.filter((f) => f.includes('.')),
  };
}

const UNDERSCORE = 95;

export function stripHit(hit: Readonly<Record<string, unknown>>, strip: CompiledStrip): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const noTopLevel = strip.topLevel.size === 0;
  for (const key in hit) {
    const value = hit[key];
    if (key.charCodeAt(0) === UNDERSCORE) {
      if (key.startsWith('_miroir_')) continue;
      if (key === '_rankingScore' && !strip.keepRankingScore) continue;
      if (key === '_rankingScoreDetails' && !strip.keepRankingScoreDetails) continue;
      if ((key === '_formatted' || key === '_matchesPosition') && isPlainObject(value)) {
        out[key] = stripFields(value, strip);
        continue;
      }
    }
    if (noTopLevel || !strip.topLevel.has(key)) out[key] = value;
  }
  for (const path of strip.dotted) removePath(out, path);
  return out;
}

/** The document without `_miroir_*` fields and without the fields Miroir added. */
export function stripFields(doc: Readonly<Record<string, unknown>>, strip: CompiledStrip): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in doc) {
    if (key.startsWith('_miroir_') || strip.topLevel.has(key)) continue;
    out[key] = doc[key];
  }
  for (const path of strip.dotted) removePath(out, path);
  return out;
}

/** Removes `path` from `target` (owned by the caller), copying nested objects on the way. */
function removePath(target: Record<string, unknown>, path: string): void {
  if (path in target) {
    delete target[path];
    return;
  }
  const dot = path.indexOf('.');
  if (dot < 0) return;
  const head = path.slice(0, dot);
  const child = target[head];
  if (!isPlainObject(child)) return;
  const copy = { ...child };
  removePath(copy, path.slice(dot + 1));
  if (Object.keys(copy).length === 0) delete target[head];
  else target[head] = copy;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
