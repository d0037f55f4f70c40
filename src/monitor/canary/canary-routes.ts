/**
 * Canary plans and shadow reports (mounted under /admin; auth is done by the admin app):
 *   GET    /routes/{route}/canary                  the plan and its state (404 without one)
 *   POST   /routes/{route}/canary                  start a plan: applies its first step at once
 *   DELETE /routes/{route}/canary                  forget the plan (weights stay as they are)
 *   POST   /routes/{route}/canary/{pause|resume|promote|abort}
 *   GET    /routes/{route}/shadows/report          per-shadow agreement, deltas, latency, errors
 * Weight changes are versioned config changes with the audit actor `canary` (the caller's
 * token name is kept in the plan's history). If-Match is optional here; when sent, the
 * weight change is a compare-and-set on it (412 if stale).
 */
import { Hono, type Context } from 'hono';
import { applyCanaryWeight, weightAction } from './apply-weights.ts';
import { CanaryStore } from './canary-store.ts';
import { createNotifier } from '../runtime/notify.ts';
import { canaryNotice } from './notice.ts';
import { fullWeight, parsePlan } from './plan.ts';
import { docView, isActive, manual, startDoc, type CanaryDoc, type ManualOp } from './state.ts';
import { ModelgateError, InvalidChange } from '../../errors.ts';
import { loadShadowReport } from '../shadow-report/shadow-report-consumer.ts';
import type { AdminDeps } from '../../admin/deps.ts';
import type { AdminEnv } from '../../admin/env.ts';
import { expectedVersion } from '../../admin/preconditions.ts';
import { readJson, sendJson } from '../../admin/respond.ts';

export function canaryRoutes(deps: AdminDeps): Hono {
  const app = new Hono<AdminEnv>();
  const { store } = deps;
  const canaries = deps.redis ? new CanaryStore(deps.redis, deps.prefix) : undefined;
  const notifier = createNotifier(deps.cfg.monitor.webhook_url, deps.logger.child({ component: 'canary' }));

  const need = (): CanaryStore => {
    if (!canaries) throw new ModelgateError('NOT_READY', 'canary plans live in Redis: configure redis.url');
    return canaries;
  };
  const routeConfig = (name: string) => {
    const r = store.current().routes.get(name)?.config;
    if (!r) throw new ModelgateError('ROUTE_NOT_FOUND', `no route "${name}"`);
    return r;
  };
  const ifMatch = (c: Context<AdminEnv>) => (c.req.header('if-match') === undefined ? undefined : expectedVersion(c.req.header('if-match'), store.current().version));
  const reply = (c: Context<AdminEnv>, d: CanaryDoc, status: 200 | 201 = 200) => sendJson(c, store, docView(d), status, store.current().version);
  const announce = (prev: CanaryDoc | null, d: CanaryDoc) => {
    const n = canaryNotice(prev, d);
    notifier.send(n.body, n.level, n.message);
  };

  /** Applies the document's weight, records the config version; undoes the document if the change fails. */
  async function applyAndRecord(s: CanaryStore, d: CanaryDoc, undo: () => Promise<unknown>, expected?: number): Promise<CanaryDoc> {
    let version: number;
    try {
      ({ version } = await applyCanaryWeight(store, { route: d.route, plan: d.plan, weight: d.weight, actor: 'canary', action: weightAction(d), expectedVersion: expected }));
    } catch (e) {
      await undo().catch(() => undefined);
      throw e;
    }
    const now = Date.now();
    const recorded = { ...d, config_version: version, step_started_at: isActive(d) ? now : d.step_started_at, updated_at: now };
    return (await s.save(recorded, d.rev)) ?? recorded; // the monitor may have recorded it first
  }

  app.get('/routes/:route/canary', async (c) => {
    const route = c.req.param('route');
    const d = await need().load(route);
    if (!d) {
      routeConfig(route);
      throw new ModelgateError('NOT_FOUND', `no canary plan on route "${route}"; start one with POST`);
    }
    return reply(c, d);
  });

  app.post('/routes/:route/canary', async (c) => {
    const route = c.req.param('route');
    const s = need();
    const r = routeConfig(route);
    const expected = ifMatch(c);
    const parsed = parsePlan(await readJson(c), r);
    if (!parsed.ok) throw new InvalidChange(parsed.problems);
    const prev = await s.load(route);
    if (prev && isActive(prev)) throw new ModelgateError('CONFLICT', `route "${route}" already has a ${prev.state} canary plan (${prev.plan.canary}); abort it or let it finish first`);
    const actor = c.get('actor');
    const saved = await s.save(startDoc(route, parsed.plan, actor, Date.now()), prev?.rev ?? -1);
    if (!saved) throw new ModelgateError('CONFLICT', 'the canary plan changed meanwhile; try again');
    const done = await applyAndRecord(s, saved, () => (prev ? s.save(prev, saved.rev) : s.remove(route, saved.rev)), expected);
    deps.logger.info({ actor, route, canary: done.plan.canary, stable: done.plan.stable, steps: done.plan.steps, version: done.config_version }, 'canary plan started');
    announce(prev, done);
    return reply(c, done, 201);
  });

  app.delete('/routes/:route/canary', async (c) => {
    const route = c.req.param('route');
    const s = need();
    const d = await s.load(route);
    if (!d) throw new ModelgateError('NOT_FOUND', `no canary plan on route "${route}"`);
    if (!(await s.remove(route, d.rev))) throw new ModelgateError('CONFLICT', 'the canary plan changed meanwhile; try again');
    deps.logger.warn({ actor: c.get('actor'), route, state: d.state, weight: d.weight }, 'canary plan deleted; weights left as they are');
    return sendJson(c, store, { route, deleted: true, state: d.state, weight: d.weight }, 200, store.current().version);
  });

  app.post('/routes/:route/canary/:op{pause|resume|promote|abort}', async (c) => {
    const route = c.req.param('route');
    const op = c.req.param('op') as ManualOp;
    const s = need();
    const expected = ifMatch(c);
    const actor = c.get('actor');
    for (let attempt = 0; attempt < 5; attempt++) {
      const d = await s.load(route);
      if (!d) throw new ModelgateError('NOT_FOUND', `no canary plan on route "${route}"`);
      // a CanaryConflict is a 409 CONFLICT (errors.ts)
      const next: CanaryDoc = manual(d, op, actor, Date.now(), fullWeight(routeConfig(route), d.plan));
      const saved = await s.save(next, d.rev);
      if (!saved) continue; // the controller wrote meanwhile: decide again on its version
      const done = saved.weight !== d.weight || saved.config_version === null ? await applyAndRecord(s, saved, () => s.save(d, saved.rev), expected) : saved;
      deps.logger.info({ actor, route, op, state: done.state, weight: done.weight }, `canary ${op}`);
      announce(d, done);
      return reply(c, done);
    }
    throw new ModelgateError('CONFLICT', 'the canary plan kept changing; try again');
  });

  app.get('/routes/:route/shadows/report', async (c) => {
    const route = c.req.param('route');
    const r = store.current().routes.get(route)?.config;
    if (!deps.redis) throw new ModelgateError('NOT_READY', 'shadow reports live in Redis: configure redis.url');
    const report = await loadShadowReport(deps.redis, deps.prefix, route);
    if (!r && !report) throw new ModelgateError('ROUTE_NOT_FOUND', `no route "${route}"`);
    const configured = r?.shadows.map((x) => x.name) ?? [];
    const shadows = { ...(report?.shadows ?? {}) };
    for (const name of configured) shadows[name] ??= { latest: null, windows: [], totals: { windows: 0, entries: 0, requests: 0, errors: 0, dropped: 0, compared: 0, agreed: 0, agreement_rate: null, error_share: null } };
    const status = Object.values(shadows).some((x) => x.latest) ? 'ok' : 'insufficient_data';
    return sendJson(c, store, { route, status, updated_at: report?.updated_at ?? null, configured, shadows }, 200, store.current().version);
  });

  return app as unknown as Hono;
}
