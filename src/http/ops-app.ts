/** The data plane's non-prediction routes (hono): health, readiness, metrics, and a JSON 404. */
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { ConfigStore } from '../config/store.ts';
import { errorBody } from '../errors.ts';
import type { LogSink } from '../predictions/record.ts';
import type { FaultReport } from '../redis/faults.ts';
import { mountOipServer } from './oip-server.ts';

export interface OpsDeps {
  store: ConfigStore;
  sink: LogSink;
  registry: Registry;
  replicaId: string;
  /** true once SIGTERM started the drain: then /readyz answers 503 so the endpoint is removed */
  draining?: () => boolean;
  /** Redis errors that need an operator (wrong slot, NOSCRIPT, auth, OOM), seen lately */
  redisFaults?: () => FaultReport[];
  /** what /metrics serves instead of `registry` (a `--workers` worker: the sum over the replica) */
  metrics?: () => Promise<{ body: string; contentType: string }>;
  /** extra fields of /healthz (a `--workers` worker: its pid, so one can tell workers apart) */
  health?: Record<string, unknown>;
  /** extra routes (outcomes, ...) mounted before the 404 */
  extend?: (app: Hono) => void;
}

export function opsApp(deps: OpsDeps): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok', ...deps.health }));
  app.get('/readyz', (c) => {
    const config = deps.store.current();
    const log = deps.sink.status();
    const shared = deps.store.mode === 'memory' ? 'memory' : deps.store.healthy() ? 'ok' : 'degraded';
    const draining = deps.draining?.() ?? false;
    const faults = deps.redisFaults?.() ?? [];
    const body = {
      status: draining ? 'draining' : shared === 'degraded' || log.state === 'degraded' || faults.length > 0 ? 'degraded' : 'ready',
      replica: deps.replicaId,
      checks: {
        config: { status: 'ok', version: config.version, routes: config.routes.size },
        redis: { status: shared === 'ok' && faults.length > 0 ? 'degraded' : shared, store: deps.store.mode, ...(faults.length ? { faults } : {}) },
        log: log,
      },
    };
    // degraded is still serving: 503 only when this process cannot serve at all, or is draining
    return c.json(body, draining ? 503 : 200);
  });
  app.get('/metrics', async (c) => {
    if (!deps.metrics) return c.body(await deps.registry.metrics(), 200, { 'content-type': deps.registry.contentType });
    try {
      const m = await deps.metrics();
      return c.body(m.body, 200, { 'content-type': m.contentType });
    } catch (e) {
      return c.json(errorBody('NOT_READY', (e as Error).message), 503);
    }
  });
  mountOipServer(app);
  deps.extend?.(app);
  app.notFound((c) => c.json(errorBody('NOT_FOUND'), 404));
  app.onError((err, c) => c.json(errorBody('INTERNAL', err.message), 500));
  return app;
}
