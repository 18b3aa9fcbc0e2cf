// One KeyStore per engine: the auth hook and the /keys routes share it. It
// is opened lazily (first use) and memoized per EngineContext.
import type { EngineContext } from '../http/context.ts';
import { KeyStore } from './key-store.ts';

const stores = new WeakMap<EngineContext, Promise<KeyStore>>();

export function keyStoreFor(ctx: EngineContext): Promise<KeyStore> {
  let store = stores.get(ctx);
  if (store === undefined) {
    store = KeyStore.open(ctx.db, ctx.clock.nowMs());
    stores.set(ctx, store);
  }
  return store;
}
