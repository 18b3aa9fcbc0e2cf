// State machines the simulated peers apply committed entries to. ListApp
// records every command in order (enough to check agreement and that no
// acknowledged write was lost); KvApp is the key-value register the
// linearizability test reads and writes.
import { assert } from '../../runtime/assert.ts';
import type { Entry } from '../../runtime/raft/types.ts';

export interface SimApp {
  apply(entry: Entry): void;
  snapshot(): Uint8Array;
  restore(data: Uint8Array): void;
  /** Equal on two peers exactly when they applied the same commands. */
  digest(): string;
  has(command: string): boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encode(text: string): Uint8Array {
  return encoder.encode(text);
}

export function decode(data: Uint8Array): string {
  return decoder.decode(data);
}

export class ListApp implements SimApp {
  private values: string[] = [];
  private seen = new Set<string>();

  apply(entry: Entry): void {
    if (entry.payload.kind !== 'command' || entry.payload.data.byteLength === 0) return;
    const value = decode(entry.payload.data);
    this.values.push(value);
    this.seen.add(value);
  }

  snapshot(): Uint8Array {
    return encode(JSON.stringify(this.values));
  }

  restore(data: Uint8Array): void {
    this.values = JSON.parse(decode(data)) as string[];
    this.seen = new Set(this.values);
  }

  digest(): string {
    return `${this.values.length}:${this.values.join('|')}`;
  }

  has(command: string): boolean {
    return this.seen.has(command);
  }
}

export type KvCommand =
  | { op: 'put'; key: string; value: string; id: string }
  | { op: 'append'; key: string; value: string; id: string };

export class KvApp implements SimApp {
  private data = new Map<string, string>();
  private ids = new Set<string>();

  apply(entry: Entry): void {
    if (entry.payload.kind !== 'command' || entry.payload.data.byteLength === 0) return;
    const command = JSON.parse(decode(entry.payload.data)) as KvCommand;
    assert(!this.ids.has(command.id), `command ${command.id} applied twice`);
    this.ids.add(command.id);
    const before = this.data.get(command.key) ?? '';
    this.data.set(command.key, command.op === 'put' ? command.value : before + command.value);
  }

  get(key: string): string {
    return this.data.get(key) ?? '';
  }

  snapshot(): Uint8Array {
    return encode(JSON.stringify({ data: [...this.data], ids: [...this.ids] }));
  }

  restore(data: Uint8Array): void {
    const parsed = JSON.parse(decode(data)) as { data: Array<[string, string]>; ids: string[] };
    this.data = new Map(parsed.data);
    this.ids = new Set(parsed.ids);
  }

  digest(): string {
    return JSON.stringify([...this.data].sort());
  }

  has(command: string): boolean {
    return this.ids.has((JSON.parse(command) as KvCommand).id);
  }
}
