// Field readers for validating decoders (STYLE G15). A command or a snapshot
// arrives as untrusted msgpack; each decoder walks it with a FieldReader that
// checks every field's type, records which keys it consumed and, at `done()`,
// refuses keys it does not know. Errors name the path of the offending field
// (`documents.write.byShard.3[0]`), so a bad frame is diagnosable from the log.

import type { ErrorBody, ErrorType } from '../../api/errors/registry.ts';

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (value instanceof Uint8Array || value instanceof Map || value instanceof Set) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function expectObject(value: unknown, path: string): PlainObject {
  if (!isPlainObject(value)) throw new DecodeError(`${path}: expected an object`);
  return value;
}

export function expectArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new DecodeError(`${path}: expected an array`);
  return value;
}

export function expectString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new DecodeError(`${path}: expected a string`);
  return value;
}

export function expectInt(value: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new DecodeError(`${path}: expected an integer in [${min}, ${max}]`);
  }
  return value;
}

/** The largest instant a JS Date can hold; later ones could not be rendered as task dates. */
export const MAX_TIME_MS = 8_640_000_000_000_000;

/** Reads the fields of one object, then refuses the ones nobody asked for. */
export class FieldReader {
  private readonly seen = new Set<string>();
  constructor(
    private readonly obj: PlainObject,
    readonly path: string,
  ) {}

  has(key: string): boolean {
    return Object.hasOwn(this.obj, key) && this.obj[key] !== undefined;
  }

  value(key: string): unknown {
    this.seen.add(key);
    return Object.hasOwn(this.obj, key) ? this.obj[key] : undefined;
  }

  str(key: string): string {
    return expectString(this.value(key), this.at(key));
  }

  nonEmptyStr(key: string): string {
    const s = this.str(key);
    if (s.length === 0) throw new DecodeError(`${this.at(key)}: expected a non-empty string`);
    return s;
  }

  strOrNull(key: string): string | null {
    const v = this.value(key);
    return v === null ? null : expectString(v, this.at(key));
  }

  optStr(key: string): string | undefined {
    return this.has(key) ? this.str(key) : (this.value(key), undefined);
  }

  int(key: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    return expectInt(this.value(key), this.at(key), min, max);
  }

  /** Epoch milliseconds that a Date can represent. */
  timeMs(key: string): number {
    return this.int(key, 0, MAX_TIME_MS);
  }

  intOrNull(key: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | null {
    const v = this.value(key);
    return v === null ? null : expectInt(v, this.at(key), min, max);
  }

  optInt(key: string, min = 0): number | undefined {
    return this.has(key) ? this.int(key, min) : (this.value(key), undefined);
  }

  bool(key: string): boolean {
    const v = this.value(key);
    if (typeof v !== 'boolean') throw new DecodeError(`${this.at(key)}: expected a boolean`);
    return v;
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T {
    const v = this.value(key);
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      throw new DecodeError(`${this.at(key)}: expected one of ${values.join(', ')}`);
    }
    return v as T;
  }

  array(key: string): unknown[] {
    return expectArray(this.value(key), this.at(key));
  }

  stringArray(key: string): string[] {
    return this.array(key).map((v, i) => expectString(v, `${this.at(key)}[${i}]`));
  }

  object(key: string): PlainObject {
    return expectObject(this.value(key), this.at(key));
  }

  reader(key: string): FieldReader {
    return new FieldReader(this.object(key), this.at(key));
  }

  at(key: string): string {
    return `${this.path}.${key}`;
  }

  /** Refuses unknown keys: a typo or a newer writer must not pass silently. */
  done(): void {
    for (const key of Object.keys(this.obj)) {
      if (!this.seen.has(key)) throw new DecodeError(`${this.path}: unknown field "${key}"`);
    }
  }
}

/** Sets `obj[key] = value` only when value is defined (exactOptionalPropertyTypes). */
export function withOptional<T extends object, K extends string, V>(
  obj: T,
  key: K,
  value: V | undefined,
): T & { [P in K]?: V } {
  if (value !== undefined) (obj as Record<string, unknown>)[key] = value;
  return obj as T & { [P in K]?: V };
}

const ERROR_TYPES: readonly ErrorType[] = ['invalid_request', 'auth', 'internal', 'system'];

/** A Meilisearch error object `{message, code, type, link}` at `key`. */
export function readErrorBody(r: FieldReader, key: string): ErrorBody {
  const e = r.reader(key);
  const body = { message: e.str('message'), code: e.nonEmptyStr('code'), type: e.oneOf('type', ERROR_TYPES), link: e.str('link') };
  e.done();
  return body;
}

/** Code-unit order of ids, the same on every peer (ids and uids are ASCII, so it is byte order too). */
export function compareKeys<K extends string | number>(a: K, b: K): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
