/** The data plane's non-prediction routes (hono): health, readiness, metrics, and a JSON 404. */
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { ConfigStore } from '../config/store.ts';
import { errorBody } from '../errors.ts';
import type { LogSink } from '../predictions/record.ts';
import type { FaultReport } from '../redis/faults.ts';

export interface OpsDeps {
  store: ConfigStore;
  sink: LogSink;
  registry: Registry;
  replicaId: string;
  /** Redis errors that need an operator (wrong slot, NOSCRIPT, auth, OOM), seen lately */
  redisFaults?: () => FaultReport[];
  /** extra routes (outcomes, ...) mounted before the 404 */
  extend?: (app: Hono) => void;
}

export function opsApp(deps: OpsDeps): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    const config = deps.store.current();
    const log = deps.sink.status();
    const shared = deps.store.mode === 'memory' ? 'memory' : deps.store.healthy() ? 'ok' : 'degraded';
    const faults = deps.redisFaults?.() ?? [];
    const body = {
      status: shared === 'degraded' || log.state === 'degraded' || faults.length > 0 ? 'degraded' : 'ready',
      replica: deps.replicaId,
      checks: {
        config: { status: 'ok', version: config.version, routes: config.routes.size },
        redis: { status: shared === 'ok' && faults.length > 0 ? 'degraded' : shared, store: deps.store.mode, ...(faults.length ? { faults } : {}) },
        log: log,
      },
    };
    // degraded is still serving: 503 only when this process cannot serve at all
    return c.json(body, 200);
  });
  app.get('/metrics', async (c) => c.body(await deps.registry.metrics(), 200, { 'content-type': deps.registry.contentType }));
  deps.extend?.(app);
  app.notFound((c) => c.json(errorBody('NOT_FOUND'), 404));
  app.onError((err, c) => c.json(errorBody('INTERNAL', err.message), 500));
  return app;
}
