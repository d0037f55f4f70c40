/**
 * Route config writes and reads: list, show, create/replace, delete, weights, shadows,
 * re-randomise. Writes need If-Match (preconditions.ts) and answer with the new ETag.
 */
import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { ModelgateError, InvalidChange } from '../../errors.ts';
import { deleteRoute, putRoute, rerandomize, type ConfigSnapshot } from '../../config/snapshot.ts';
import { wasUnchanged, type Transition } from '../../config/store.ts';
import { checkRoute } from '../checks.ts';
import { applyWeights } from '../../config/weights.ts';
import type { AdminEnv } from '../env.ts';
import { expectedVersion } from '../preconditions.ts';
import { readJson, sendJson } from '../respond.ts';
import { movedBetween, routesView, routeView } from '../views.ts';
import type { AdminContext } from './admin-context.ts';

export function routeOf(snapshot: ConfigSnapshot, name: string) {
  const r = snapshot.routes[name];
  if (!r) throw new ModelgateError('ROUTE_NOT_FOUND', `no route "${name}"`);
  return r;
}

export function configRoutes({ deps, policy }: AdminContext): Hono<AdminEnv> {
  const { store } = deps;
  const app = new Hono<AdminEnv>();
  const snapshot = () => store.current().snapshot;

  /**
   * Runs a versioned write; the transition sees the snapshot the compare-and-set is based on.
   * A write that changes nothing (the store's one no-op rule) answers 200 with
   * `"changed": false` and the same ETag; no version, history or audit entry is made.
   */
  async function write(c: Context<AdminEnv>, action: string, name: string, change: Transition, status: 200 | 201 = 200) {
    const expected = expectedVersion(c.req.header('if-match'), store.current().version);
    let before: ConfigSnapshot | undefined;
    const next = await store.update(expected, (cur) => ((before = cur), change(cur)), { actor: c.get('actor'), action, route: name });
    const changed = !wasUnchanged(before, next);
    deps.logger.info({ actor: c.get('actor'), action, route: name, version: next.version, changed }, changed ? 'config changed' : 'config write changed nothing');
    const body: Record<string, unknown> = next.routes[name] ? routeView(next, name) : { name, version: next.version, deleted: true };
    body.changed = changed;
    if (before?.routes[name] && next.routes[name]) body.moved = movedBetween(before, next, name).total;
    return sendJson(c, store, body, changed ? status : 200, next.version);
  }

  app.get('/routes', (c) => sendJson(c, store, routesView(snapshot()), 200, snapshot().version));

  app.get('/routes/:route', (c) => {
    const s = snapshot();
    routeOf(s, c.req.param('route'));
    return sendJson(c, store, routeView(s, c.req.param('route')), 200, s.version);
  });

  app.put('/routes/:route', async (c) => {
    const name = c.req.param('route');
    let raw = await readJson(c);
    // a GET answer sent back as is: { name, version, config }
    if (raw && typeof raw === 'object' && 'config' in raw && !('variants' in raw)) raw = (raw as { config: unknown }).config;
    const existed = !!snapshot().routes[name];
    return write(c, existed ? 'put_route' : 'create_route', name, (cur) => putRoute(cur, name, checkRoute(cur, name, raw, policy)), existed ? 200 : 201);
  });

  app.delete('/routes/:route', async (c) => {
    const name = c.req.param('route');
    routeOf(snapshot(), name);
    return write(c, 'delete_route', name, (cur) => (routeOf(cur, name), deleteRoute(cur, name)));
  });

  app.patch('/routes/:route/weights', async (c) => {
    const name = c.req.param('route');
    routeOf(snapshot(), name);
    const body = (await readJson(c)) as { weights?: unknown } | null;
    const weights = body && typeof body === 'object' ? body.weights : undefined;
    return write(c, 'weights', name, (cur) => (routeOf(cur, name), applyWeights(cur, name, weights)));
  });

  app.put('/routes/:route/shadows', async (c) => {
    const name = c.req.param('route');
    routeOf(snapshot(), name);
    const body = await readJson(c);
    const shadows = Array.isArray(body) ? body : (body as { shadows?: unknown } | null)?.shadows;
    if (!Array.isArray(shadows)) throw new InvalidChange([{ path: 'shadows', message: 'expected {"shadows": [ ... ]} (an empty list removes them all)' }]);
    return write(c, 'shadows', name, (cur) => putRoute(cur, name, checkRoute(cur, name, { ...routeOf(cur, name), shadows }, policy)));
  });

  app.post('/routes/:route/rerandomize', async (c) => {
    const name = c.req.param('route');
    routeOf(snapshot(), name);
    const body = (await readJson(c, true)) as { salt?: unknown } | undefined;
    const salt = body?.salt ?? `${name}-${randomBytes(6).toString('hex')}`;
    return write(c, 'rerandomize', name, (cur) => {
      const route = routeOf(cur, name);
      if (typeof salt !== 'string' || !salt) throw new InvalidChange([{ path: 'salt', message: 'expected a non-empty string' }]);
      if (salt === (route.salt ?? name)) throw new InvalidChange([{ path: 'salt', message: 'the new salt must differ from the current one' }]);
      return rerandomize(cur, name, salt);
    });
  });

  return app;
}
