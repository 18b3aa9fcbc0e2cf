// A small replicated key-value state machine for the Raft integration tests
// and the benchmark. A command is msgpack {id, key, value}; applying it sets
// the key and appends the id to `order`, the sequence every peer must agree
// on. The leader's empty no-op and conf entries change nothing.
import { Packr } from 'msgpackr';
import type { Entry } from '../../../runtime/raft/types.ts';
import type { StateMachine } from '../../../runtime/raft/driver.ts';

const packr = new Packr({ useRecords: false });

export interface KvCommand {
  id: string;
  key: string;
  value: Uint8Array | string;
}

export function encodeCommand(command: KvCommand): Uint8Array {
  return packr.pack(command);
}

export class KvStateMachine implements StateMachine {
  order: string[] = [];
  readonly map = new Map<string, Uint8Array | string>();
  lastApplied = 0;

  apply(entry: Entry): number {
    this.lastApplied = entry.index;
    if (entry.payload.kind !== 'command' || entry.payload.data.byteLength === 0) return this.order.length;
    const command = packr.unpack(entry.payload.data) as KvCommand;
    this.map.set(command.key, command.value);
    this.order.push(command.id);
    return this.order.length;
  }

  snapshot(): Uint8Array {
    return packr.pack({ order: this.order, map: [...this.map], lastApplied: this.lastApplied });
  }

  restore(data: Uint8Array): void {
    const state = packr.unpack(data) as { order: string[]; map: Array<[string, Uint8Array | string]>; lastApplied: number };
    this.order = state.order;
    this.map.clear();
    for (const [k, v] of state.map) this.map.set(k, v);
    this.lastApplied = state.lastApplied;
  }
}
