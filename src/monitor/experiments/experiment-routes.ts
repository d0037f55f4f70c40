/**
 * Admin routes for A/B experiments (mounted under /admin; auth is done by the admin app):
 *   GET    /routes/{route}/experiment   plan, status, verdict, planning and live results
 *   GET    /routes/{route}/experiment/history   the experiment's course: one point per recorded look
 *   POST   /routes/{route}/experiment   start one from a plan (201); 409 while one is running
 *   DELETE /routes/{route}/experiment   stop the running experiment (its results stay readable);
 *                                       with none running, a no-op (200, `"changed": false`): a
 *                                       second stop never deletes the results
 *   DELETE /routes/{route}/experiment?purge=true   delete a stopped or concluded experiment and
 *                                       its results (409 while it runs: stop it first)
 * The experiment lives in Redis (`<prefix>:experiment:<route>`), not in the versioned config:
 * If-Match is optional here; when sent it must match the config version (the plan's arms and
 * weights are read from that version).
 */
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { validate, type Problem } from '../../config/validate.ts';
import { ExperimentStore } from './experiment-store.ts';
import { readLookHistory } from './look-history-store.ts';
import { planSchema, type ExperimentDoc, type Plan } from './plan.ts';
import { experimentView } from './view.ts';
import type { AdminEnv } from '../../admin/env.ts';
import type { AdminDeps } from '../../admin/deps.ts';
import { expectedVersion } from '../../admin/preconditions.ts';
import { etagOf, readJson } from '../../admin/respond.ts';
import { ModelgateError, VersionMismatch } from '../../errors.ts';

export function experimentRoutes(deps: AdminDeps): Hono {
  const app = new Hono<AdminEnv>();
  const store = deps.redis ? new ExperimentStore(deps.redis, deps.prefix) : undefined;
  const noRedis = (): never => {
    throw new ModelgateError('NOT_READY', 'experiments are kept in Redis and run by the monitor: configure redis.url');
  };
  const path = '/routes/:route/experiment';

  app.get(path, async (c) => {
    const route = c.req.param('route');
    if (!store) return noRedis();
    const stored = await store.load(route);
    if (!stored) {
      if (!deps.store.current().routes.has(route)) throw new ModelgateError('ROUTE_NOT_FOUND', `no route "${route}"`);
      throw new ModelgateError('NOT_FOUND', `no experiment on route "${route}": start one with POST /admin/routes/${route}/experiment`);
    }
    c.header('Cache-Control', 'no-store');
    return c.json(experimentView(stored.doc, stored.results, Date.now()));
  });

  app.get(`${path}/history`, async (c) => {
    const route = c.req.param('route');
    if (!store || !deps.redis) return noRedis();
    const { id } = await store.peek(route);
    if (!id) {
      if (!deps.store.current().routes.has(route)) throw new ModelgateError('ROUTE_NOT_FOUND', `no route "${route}"`);
      throw new ModelgateError('NOT_FOUND', `no experiment on route "${route}": start one with POST /admin/routes/${route}/experiment`);
    }
    const h = await readLookHistory(deps.redis, deps.prefix, route);
    // the history of an earlier experiment until the monitor's first look at this one
    const mine = h?.id === id ? h : null;
    c.header('Cache-Control', 'no-store');
    return c.json({ route, id, gap_ms: mine?.gap_ms ?? null, capacity: deps.cfg.monitor.experiment_history_looks, looks: mine?.looks ?? [] });
  });

  app.post(path, async (c) => {
    const route = c.req.param('route');
    const config = deps.store.current();
    const live = config.routes.get(route);
    if (!live) throw new ModelgateError('ROUTE_NOT_FOUND', `no route "${route}"`);
    if (!store) return noRedis();
    const ifMatch = c.req.header('if-match');
    if (ifMatch !== undefined) {
      const expected = expectedVersion(ifMatch, config.version);
      if (expected !== config.version) throw new VersionMismatch(expected, config.version);
    }
    const parsed = validate(planSchema, await readJson(c));
    if (!parsed.ok) throw new ModelgateError('BAD_REQUEST', `the experiment plan is invalid: ${parsed.problems.length} problem(s)`, parsed.problems);
    const variants = live.config.variants;
    const arms = parsed.value.arms ?? variants.map((v) => v.name);
    const problems: Problem[] = [];
    const weights = arms.map((a, i) => {
      const v = variants.find((x) => x.name === a);
      if (!v) problems.push({ path: `arms[${i}]`, message: `"${a}" is not a variant of route "${route}" (${variants.map((x) => x.name).join(', ')})` });
      else if (v.weight === 0) problems.push({ path: `arms[${i}]`, message: `variant "${a}" has weight 0: it would get no units` });
      return Math.round((v?.weight ?? 0) * 100);
    });
    if (arms.length < 2) problems.push({ path: 'arms', message: 'an experiment needs at least two arms (the route has one variant)' });
    if (problems.length) throw new ModelgateError('BAD_REQUEST', `the experiment plan is invalid: ${problems.length} problem(s)`, problems);
    const plan: Plan = { ...parsed.value, arms, weights };
    const actor = c.get('actor') ?? 'unknown';
    const doc: ExperimentDoc = { id: randomBytes(6).toString('hex'), route, plan, status: 'running', started_at: Date.now(), started_by: actor };
    if (!(await store.start(doc))) throw new ModelgateError('CONFLICT', `an experiment is already running on route "${route}": stop it first (DELETE)`);
    deps.logger.info({ actor, route, experiment: doc.id, arms, metric: plan.metric }, 'experiment started');
    c.header('ETag', etagOf(config.version));
    return c.json(experimentView(doc, null, Date.now()), 201);
  });

  app.delete(path, async (c) => {
    const route = c.req.param('route');
    const purge = c.req.query('purge');
    if (purge !== undefined && purge !== 'true' && purge !== 'false') throw new ModelgateError('BAD_REQUEST', 'purge is true or false');
    if (!store) return noRedis();
    const stored = await store.load(route);
    if (!stored) throw new ModelgateError(deps.store.current().routes.has(route) ? 'NOT_FOUND' : 'ROUTE_NOT_FOUND', `no experiment on route "${route}"`);
    const actor = c.get('actor') ?? 'unknown';
    c.header('Cache-Control', 'no-store');
    if (stored.doc.status !== 'running') {
      if (purge !== 'true') return c.json({ ...experimentView(stored.doc, stored.results, Date.now()), changed: false });
      await store.remove(route);
      deps.logger.info({ actor, route, experiment: stored.doc.id }, 'experiment deleted');
      return c.json({ route, id: stored.doc.id, deleted: true, changed: true });
    }
    if (purge === 'true') throw new ModelgateError('CONFLICT', `the experiment on route "${route}" is running: stop it first (DELETE without purge), then purge it`);
    const doc: ExperimentDoc = { ...stored.doc, status: 'stopped', ended_at: Date.now(), reason: `stopped by ${actor}` };
    if (!(await store.end(doc))) {
      // it ended meanwhile (the monitor concluded it, or another stop): stopping again changes nothing
      const now = await store.load(route);
      if (now && now.doc.id === doc.id && now.doc.status !== 'running') return c.json({ ...experimentView(now.doc, now.results, Date.now()), changed: false });
      throw new ModelgateError('CONFLICT', 'the experiment ended or changed meanwhile; read it again');
    }
    deps.logger.info({ actor, route, experiment: doc.id }, 'experiment stopped');
    return c.json({ ...experimentView(doc, stored.results, Date.now()), changed: true });
  });

  return app as unknown as Hono;
}
