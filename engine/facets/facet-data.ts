// The state a FacetStore holds, shared by evaluation, distribution and facet
// search: the settings it was built for, every field name seen (Meilisearch's
// fields-ids map, which decides whether a field "exists" for the index), the
// per-field facet structures, the live documents and their `_geo` points.
import { Bitset } from '../core/bitset.ts';
import type { DocId } from '../core/contracts.ts';
import type { Settings } from '../../api/protocol/settings/settings.ts';
import { FieldIndex } from './field-index.ts';

export interface FacetData {
  readonly settings: Settings;
  readonly known: Set<string>;
  readonly fields: Map<string, FieldIndex>;
  readonly all: Bitset;
  readonly geo: Map<DocId, readonly [lat: number, lng: number]>;
}

const EMPTY = new FieldIndex();

/** The structures of `field`; an empty index when no document gave it a value. */
export function fieldIndex(data: FacetData, field: string): FieldIndex {
  return data.fields.get(field) ?? EMPTY;
}
