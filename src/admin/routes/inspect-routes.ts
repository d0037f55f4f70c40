/** Read-only questions about a route: what a weight change would move, where a unit lands. */
import { Hono } from 'hono';
import { ModelgateError, InvalidChange } from '../../errors.ts';
import { setWeights } from '../../config/snapshot.ts';
import { utf8Binary } from '../../routing/hash.ts';
import { select } from '../../routing/select.ts';
import { weightProblems } from '../../config/weights.ts';
import type { AdminEnv } from '../env.ts';
import { readJson, sendJson } from '../respond.ts';
import { movedBetween } from '../views.ts';
import type { AdminContext } from './admin-context.ts';
import { routeOf } from './config-routes.ts';

export function inspectRoutes({ deps }: AdminContext): Hono<AdminEnv> {
  const { store } = deps;
  const app = new Hono<AdminEnv>();

  app.post('/routes/:route/dry-run', async (c) => {
    const name = c.req.param('route');
    const cur = store.current().snapshot;
    const route = routeOf(cur, name);
    const body = (await readJson(c)) as { weights?: unknown } | null;
    const weights = body && typeof body === 'object' ? body.weights : undefined;
    const problems = weightProblems(route, weights);
    if (problems.length) throw new InvalidChange(problems);
    const next = setWeights(cur, name, weights as Record<string, number>);
    const moved = movedBetween(cur, next, name);
    return sendJson(c, store, {
      route: name,
      version: cur.version,
      from: Object.fromEntries(route.variants.map((v) => [v.name, v.weight])),
      to: weights,
      moved: moved.total,
      pairs: moved.pairs,
    }, 200, cur.version);
  });

  app.get('/routes/:route/explain', (c) => {
    const name = c.req.param('route');
    const compiled = store.current();
    routeOf(compiled.snapshot, name);
    const route = compiled.routes.get(name)!;
    const unit = c.req.query('unit');
    if (unit === undefined || unit === '') throw new ModelgateError('BAD_REQUEST', 'give the unit as ?unit=ID (its UTF-8 id, URL-encoded)');
    const d = select(route, utf8Binary(unit), null, 10_000);
    return sendJson(c, store, {
      route: name,
      version: compiled.version,
      unit,
      salt: route.salt,
      bucket: d.bucket,
      slot: d.bucket,
      variant: d.variant.name,
      variant_version: d.variant.version,
      shadowed: d.shadows.length > 0,
      shadows: d.shadows.map((s) => s.name),
    }, 200, compiled.version);
  });

  return app;
}
