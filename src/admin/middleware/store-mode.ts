/** Marks every admin response with where changes go: `x-modelgate-store: redis | memory`. */
import type { MiddlewareHandler } from 'hono';
import type { ConfigStore } from '../../config/store.ts';

export function storeModeHeader(store: ConfigStore): MiddlewareHandler {
  return async function adminStoreMode(c, next) {
    await next();
    c.res.headers.set('x-modelgate-store', store.mode);
    if (store.mode === 'memory') c.res.headers.set('x-modelgate-warning', 'changes are in memory, for this single process only');
  };
}
