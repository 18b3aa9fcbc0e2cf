// Which flattened paths are searchable and with what weight. With
// `searchableAttributes: ["*"]` every path is searchable at weight 0; with a
// list, a path takes the index of the first entry that selects it (the entry
// itself or a parent object), and paths no entry selects are not searched.
// Each searchable path also gets a slot: a small dense number, first seen
// first, used for the per-word field masks (slots above 30 share bit 31).
import { pathMatches } from './flatten.ts';

export const OVERFLOW_SLOT_BIT = 31;

export class SearchableFields {
  private readonly slots = new Map<string, number>();
  private readonly paths: string[] = [];
  private readonly weights: number[] = [];
  private readonly patterns: string[] | null;
  /** The heaviest weight the settings allow: the attributeRank max per term. */
  readonly maxWeight: number;

  constructor(searchableAttributes: readonly string[]) {
    this.patterns = searchableAttributes.includes('*') ? null : [...searchableAttributes];
    this.maxWeight = this.patterns === null ? 0 : Math.max(0, this.patterns.length - 1);
  }

  /** The weight of `path`, or undefined when it is not searchable. */
  weightOf(path: string): number | undefined {
    if (this.patterns === null) return 0;
    const i = this.patterns.findIndex((p) => pathMatches(p, path));
    return i < 0 ? undefined : i;
  }

  /** The slot of a searchable path, assigned on first sight. */
  slotOf(path: string): number | undefined {
    const known = this.slots.get(path);
    if (known !== undefined) return known;
    const weight = this.weightOf(path);
    if (weight === undefined) return undefined;
    const slot = this.paths.length;
    this.slots.set(path, slot);
    this.paths.push(path);
    this.weights.push(weight);
    return slot;
  }

  knownSlot(path: string): number | undefined {
    return this.slots.get(path);
  }

  pathOf(slot: number): string {
    return this.paths[slot]!;
  }

  weightOfSlot(slot: number): number {
    return this.weights[slot]!;
  }

  get slotCount(): number {
    return this.paths.length;
  }

  /** Whether `name` (a searchable attribute setting or a parent of one) names searchable fields. */
  isSearchable(name: string): boolean {
    if (this.patterns === null) return true;
    return this.patterns.some((p) => pathMatches(p, name) || pathMatches(name, p));
  }
}

export function slotBit(slot: number): number {
  return 1 << Math.min(slot, OVERFLOW_SLOT_BIT);
}
