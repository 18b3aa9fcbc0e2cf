// The little vocabulary the config schema is written in (STYLE G17): each
// leaf says its type, default and bounds once, and `ConfigOf<Spec>` derives
// the TypeScript type from it, so no config field is declared twice.

export interface IntSpec {
  kind: 'int';
  default?: number;
  min: number;
  max: number;
}
export interface StringSpec {
  kind: 'string';
  default?: string;
  pattern?: RegExp;
  /** What the pattern means, for the error message. */
  patternHint?: string;
}
export interface EnumSpec<V extends string = string> {
  kind: 'enum';
  values: readonly V[];
  default?: V;
}
export interface UrlSpec {
  kind: 'url';
  protocols: readonly string[];
  default?: string;
}
export interface ArraySpec<I extends Spec = Spec> {
  kind: 'array';
  item: I;
  minLength: number;
  maxLength: number;
  /** Arrays always have a default: an absent list is an empty one unless minLength says otherwise. */
  default: readonly [];
}
export interface ObjectSpec<F extends Record<string, Spec> = Record<string, Spec>> {
  kind: 'object';
  fields: F;
}
export type Spec = IntSpec | StringSpec | EnumSpec | UrlSpec | ArraySpec | ObjectSpec;

export const int = (d: number | undefined, min: number, max: number = Number.MAX_SAFE_INTEGER): IntSpec =>
  d === undefined ? { kind: 'int', min, max } : { kind: 'int', default: d, min, max };

export const str = (d?: string, pattern?: RegExp, patternHint?: string): StringSpec => {
  const spec: StringSpec = { kind: 'string' };
  if (d !== undefined) spec.default = d;
  if (pattern !== undefined) spec.pattern = pattern;
  if (patternHint !== undefined) spec.patternHint = patternHint;
  return spec;
};

export const oneOf = <V extends string>(values: readonly V[], d: V): EnumSpec<V> => ({ kind: 'enum', values, default: d });

export const url = (protocols: readonly string[]): UrlSpec => ({ kind: 'url', protocols });

export const list = <I extends Spec>(item: I, minLength = 0, maxLength = 1024): ArraySpec<I> => ({
  kind: 'array', item, minLength, maxLength, default: [],
});

export const obj = <F extends Record<string, Spec>>(fields: F): ObjectSpec<F> => ({ kind: 'object', fields });

/** The validated, frozen value a spec describes. */
export type ConfigOf<S> = S extends IntSpec
  ? number
  : S extends EnumSpec<infer V>
    ? V
    : S extends StringSpec | UrlSpec
      ? string
      : S extends ArraySpec<infer I>
        ? readonly ConfigOf<I>[]
        : S extends ObjectSpec<infer F>
          ? { readonly [K in keyof F]: ConfigOf<F[K]> }
          : never;
