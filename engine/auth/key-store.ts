// The API-key store: every key lives in memory and is written through to the
// `keys` sublevel (JSON values keyed by uid) before a change is
// acknowledged. The `key` string is never stored; it is derived from the
// master key (key-derivation.ts). On first start, with an empty store, the
// four default keys of API.md §9.1 are created; `seq` breaks createdAt ties
// so GET /keys lists them as Search, Admin, Read-Only Admin, Chat.
import { randomUUID } from 'node:crypto';
import type { Level } from 'level';
import { keyMatches } from '../../api/protocol/auth/key-derivation.ts';
import type { KeyFacts } from '../../api/protocol/auth/key-view.ts';

/** A stored key: what every server keeps of a key (api/protocol/auth/key-view.ts), plus `seq`. */
export interface KeyRecord extends KeyFacts {
  readonly seq: number;
}

type KeysLevel = ReturnType<Level<string, string>['sublevel']>;

const DEFAULT_KEYS: ReadonlyArray<Pick<KeyRecord, 'name' | 'description' | 'actions'>> = [
  { name: 'Default Chat API Key', description: 'Use it to chat and search from the frontend', actions: ['chatCompletions', 'search'] },
  { name: 'Default Read-Only Admin API Key', description: 'Use it to read information across the whole database. Caution! Do not expose this key on a public frontend', actions: ['*.get', 'keys.get'] },
  { name: 'Default Admin API Key', description: 'Use it for anything that is not a search operation. Caution! Do not expose it on a public frontend', actions: ['*'] },
  { name: 'Default Search API Key', description: 'Use it to search from the frontend', actions: ['search'] },
];

export class KeyStore {
  private readonly byUid = new Map<string, KeyRecord>();
  private nextSeq = 0;

  private constructor(private readonly level: KeysLevel) {}

  /** Loads every key; creates the default keys when the store is empty. */
  static async open(db: Level<string, string>, nowMs: number): Promise<KeyStore> {
    const level = db.sublevel<string, KeyRecord>('keys', { valueEncoding: 'json' }) as unknown as KeysLevel;
    const store = new KeyStore(level);
    for await (const [, value] of level.iterator()) {
      const record = value as unknown as KeyRecord;
      store.byUid.set(record.uid, record);
      store.nextSeq = Math.max(store.nextSeq, record.seq + 1);
    }
    if (store.byUid.size === 0) {
      for (const def of DEFAULT_KEYS) {
        await store.put({ ...def, uid: randomUUID(), indexes: ['*'], expiresAtMs: null, createdAtMs: nowMs, updatedAtMs: nowMs, seq: store.nextSeq });
      }
    }
    return store;
  }

  /**
   * The in-memory map changes before the write is awaited, so a concurrent
   * create with the same uid sees it (409) instead of overwriting it; a
   * failed write restores the previous record and rethrows.
   */
  private async put(record: KeyRecord): Promise<KeyRecord> {
    const previous = this.byUid.get(record.uid);
    this.byUid.set(record.uid, record);
    this.nextSeq = Math.max(this.nextSeq, record.seq + 1);
    try {
      await this.level.put(record.uid, record as never);
    } catch (error) {
      if (previous === undefined) this.byUid.delete(record.uid);
      else this.byUid.set(record.uid, previous);
      throw error;
    }
    return record;
  }

  /** Newest createdAt first (ties: last created first). */
  list(): KeyRecord[] {
    return [...this.byUid.values()].sort((a, b) => b.createdAtMs - a.createdAtMs || b.seq - a.seq);
  }

  get(uid: string): KeyRecord | undefined {
    return this.byUid.get(uid);
  }

  /** The uid whose derived key equals `key`, compared in constant time per key. */
  findByKey(masterKey: string, key: string): KeyRecord | undefined {
    for (const record of this.byUid.values()) {
      if (keyMatches(masterKey, record.uid, key)) return record;
    }
    return undefined;
  }

  async create(input: Omit<KeyRecord, 'seq' | 'uid' | 'createdAtMs' | 'updatedAtMs'> & { uid: string | null }, nowMs: number): Promise<KeyRecord> {
    const uid = input.uid ?? randomUUID();
    return this.put({ ...input, uid, createdAtMs: nowMs, updatedAtMs: nowMs, seq: this.nextSeq });
  }

  has(uid: string): boolean {
    return this.byUid.has(uid);
  }

  async update(uid: string, patch: { name?: string | null; description?: string | null }, nowMs: number): Promise<KeyRecord | undefined> {
    const current = this.byUid.get(uid);
    if (current === undefined) return undefined;
    const next: KeyRecord = {
      ...current,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      updatedAtMs: nowMs,
    };
    return this.put(next);
  }

  async delete(uid: string): Promise<boolean> {
    const previous = this.byUid.get(uid);
    if (previous === undefined) return false;
    this.byUid.delete(uid);
    try {
      await this.level.del(uid);
    } catch (error) {
      this.byUid.set(uid, previous);
      throw error;
    }
    return true;
  }
}
