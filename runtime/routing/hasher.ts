// The one 64-bit hash of the routing rules (ARCHITECTURE §2): xxHash64 with
// seed 0 over UTF-8 bytes. xxhash-wasm compiles its WebAssembly module
// asynchronously, so the hasher is loaded once at start-up (`loadHasher`) and
// then handed to the pure, synchronous routing functions as a parameter.
// xxhash-wasm does no I/O; it is a pure function once instantiated.
import xxhash from 'xxhash-wasm';

export interface Hasher {
  /** xxHash64 of the UTF-8 encoding of `text`, seed 0, as an unsigned 64-bit bigint. */
  h64(text: string): bigint;
}

let loading: Promise<Hasher> | null = null;

/** Instantiates xxhash-wasm once per process; later calls share the instance. */
export function loadHasher(): Promise<Hasher> {
  loading ??= xxhash().then((api) => {
    const h64 = api.h64;
    return { h64: (text: string): bigint => h64(text, 0n) };
  });
  return loading;
}
