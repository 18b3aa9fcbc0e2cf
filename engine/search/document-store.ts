// The documents of one index in memory: primary key ↔ internal id, the
// documents by id, the field-id order and the field distribution.
// Internal ids are dense, assigned in insertion order and never reused. A
// `put` of an existing primary key replaces the document under the SAME id,
// as Meilisearch does (its external-ids map keeps the docid on update), so a
// replaced document keeps its place in placeholder and tie order.
import type { DocId, Document } from '../core/contracts.ts';

export class DocumentStore {
  private readonly ids = new Map<string, DocId>();
  private readonly docs: Array<Document | undefined> = [];
  private readonly pks: Array<string | undefined> = [];
  private readonly fieldIds = new Map<string, number>();
  private readonly fieldCounts = new Map<string, number>();
  private live = 0;

  /** Stores the document; returns its id and the document it replaced, if any. */
  put(pk: string, doc: Document): { id: DocId; previous: Document | undefined } {
    const known = this.ids.get(pk);
    const id = known ?? this.docs.length;
    const previous = known === undefined ? undefined : this.docs[id];
    if (previous) this.uncount(previous);
    else this.live++;
    this.ids.set(pk, id);
    this.docs[id] = doc;
    this.pks[id] = pk;
    for (const key of Object.keys(doc)) {
      if (!this.fieldIds.has(key)) this.fieldIds.set(key, this.fieldIds.size);
      this.fieldCounts.set(key, (this.fieldCounts.get(key) ?? 0) + 1);
    }
    return { id, previous };
  }

  delete(pk: string): { id: DocId; doc: Document } | undefined {
    const id = this.ids.get(pk);
    if (id === undefined) return undefined;
    const doc = this.docs[id]!;
    this.uncount(doc);
    this.ids.delete(pk);
    this.docs[id] = undefined;
    this.pks[id] = undefined;
    this.live--;
    return { id, doc };
  }

  /** Forgets every document; field ids are kept, like Meilisearch's fields map. */
  clear(): number {
    const n = this.live;
    this.ids.clear();
    this.docs.length = 0;
    this.pks.length = 0;
    this.fieldCounts.clear();
    this.live = 0;
    return n;
  }

  idOf(pk: string): DocId | undefined {
    return this.ids.get(pk);
  }

  get(id: DocId): Document | undefined {
    return this.docs[id];
  }

  pkOf(id: DocId): string | undefined {
    return this.pks[id];
  }

  get count(): number {
    return this.live;
  }

  /** One past the highest id ever assigned: the size of candidate bitsets. */
  get capacity(): number {
    return this.docs.length;
  }

  *entries(): IterableIterator<[DocId, Document]> {
    for (let id = 0; id < this.docs.length; id++) {
      const doc = this.docs[id];
      if (doc) yield [id, doc];
    }
  }

  fieldOrder(): string[] {
    return [...this.fieldIds.keys()];
  }

  fieldRank(field: string): number {
    return this.fieldIds.get(field) ?? Number.MAX_SAFE_INTEGER;
  }

  fieldDistribution(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const key of [...this.fieldCounts.keys()].sort()) {
      const n = this.fieldCounts.get(key)!;
      if (n > 0) out[key] = n;
    }
    return out;
  }

  private uncount(doc: Document): void {
    for (const key of Object.keys(doc)) this.fieldCounts.set(key, (this.fieldCounts.get(key) ?? 1) - 1);
  }
}
