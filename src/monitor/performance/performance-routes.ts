/**
 * Model quality from delayed labels (mounted under /admin; auth is done by the admin app):
 *   GET /routes/{route}/performance   per variant and shadow, over the kept windows and per
 *                                     window: AUC, log loss, Brier, ECE, precision/recall
 *                                     (binary), MAE/RMSE (regression), accuracy (classes)
 * The report is written by the monitor that owns the route (`<prefix>:performance:<route>`);
 * before the first label joins it answers 200 with status `insufficient_data`.
 */
import { Hono } from 'hono';
import type { AdminEnv } from '../../admin/env.ts';
import type { AdminDeps } from '../../admin/deps.ts';
import { sendJson } from '../../admin/respond.ts';
import { ModelgateError } from '../../errors.ts';
import { buildReport } from './performance-report.ts';
import { PerformanceStore } from './performance-store.ts';
import { DEFAULT_PERFORMANCE } from './prediction-value.ts';

export function performanceRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const store = deps.redis ? new PerformanceStore(deps.redis, deps.prefix) : undefined;

  app.get('/routes/:route/performance', async (c) => {
    const route = c.req.param('route');
    if (!store) throw new ModelgateError('NOT_READY', 'model quality is computed by the monitor and kept in Redis: configure redis.url');
    const r = deps.store.current().routes.get(route)?.config ?? deps.cfg.routes[route];
    const report = await store.report(route);
    if (report) return sendJson(c, deps.store, { ...report });
    if (!r) throw new ModelgateError('ROUTE_NOT_FOUND', `no route "${route}"`);
    const m = deps.cfg.monitor;
    const empty = buildReport({ route, cfg: r.performance ?? DEFAULT_PERFORMANCE, windowMs: m.performance_window_ms, keep: m.performance_windows, windows: [], variants: r.variants.map((v) => v.name), shadows: r.shadows.map((s) => s.name), labels: { matched: 0, unmatched: 0, duplicate: 0, invalid_label: 0, invalid_prediction: 0, expired: 0, pending: 0 }, now: Date.now() });
    return sendJson(c, deps.store, { ...empty });
  });
  return app;
}
