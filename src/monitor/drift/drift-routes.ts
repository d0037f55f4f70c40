/**
 * Admin routes backed by the monitor's state in Redis (mounted under /admin; auth is done by
 * the admin app): the drift report, baseline uploads and live captures.
 *   GET  /routes/{route}/drift             latest report (200 insufficient_data before the first)
 *   GET  /routes/{route}/drift/history     the last windows' statistics, oldest first
 *                                          (?role=live|shadow, ?variant=, ?limit=)
 *   GET  /routes/{route}/baseline          baseline versions and variants (no samples)
 *   PUT  /routes/{route}/baseline          a variant baseline as `modelgate baseline build` writes it
 *                                          (?variant= overrides its variant, ?default=true makes it the route default)
 *   POST /routes/{route}/baseline/capture  {"variant":"v1","entries":1000} -> 202
 * Baselines have their own version counter; these writes do not take the config's If-Match.
 */
import { Hono } from 'hono';
import { ModelgateError, type ErrorCode } from '../../errors.ts';
import { MAX_CAPTURE_ENTRIES, MonitorAdmin, summarizeBaselines } from './admin-ops.ts';
import { DriftHistoryStore } from './history-store.ts';
import type { AdminDeps } from '../../admin/deps.ts';
import { readJson } from '../../admin/respond.ts';

/** admin routes throw their errors; the admin app's error handler answers them */
const fail = (code: ErrorCode, message?: string, details?: unknown): never => {
  throw new ModelgateError(code, message, details);
};

/** variants and shadows of the route in the live config, or undefined when unknown */
function routeMembers(deps: AdminDeps, route: string): { variants: string[]; shadows: string[] } | undefined {
  let r = deps.store.current().routes.get(route)?.config;
  r ??= deps.cfg.routes[route];
  if (!r) return undefined;
  return { variants: r.variants.map((v) => v.name), shadows: r.shadows.map((s) => s.name) };
}

/** the route's members, or ROUTE_NOT_FOUND */
const knownRoute = (deps: AdminDeps, route: string) => routeMembers(deps, route) ?? fail('ROUTE_NOT_FOUND', `no route "${route}"`);

export function driftRoutes(deps: AdminDeps): Hono {
  const app = new Hono();
  const admin = deps.redis ? new MonitorAdmin(deps.redis, deps.prefix, deps.cfg.monitor) : undefined;
  const history = deps.redis ? new DriftHistoryStore(deps.redis, deps.prefix) : undefined;
  const noRedis = (): never => fail('NOT_READY', 'drift reports and baselines live in Redis: configure redis.url');
  const monitorAdmin = (): MonitorAdmin => admin ?? noRedis();

  app.get('/routes/:route/drift/history', async (c) => {
    const route = c.req.param('route');
    const role = c.req.query('role');
    const variant = c.req.query('variant') || undefined;
    const limitRaw = c.req.query('limit');
    const limit = limitRaw === undefined ? undefined : Number(limitRaw);
    const problems: { path: string; message: string }[] = [];
    if (role !== undefined && role !== 'live' && role !== 'shadow') problems.push({ path: 'role', message: 'expected live or shadow' });
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) problems.push({ path: 'limit', message: 'expected a whole number >= 1' });
    if (problems.length) return fail('BAD_REQUEST', 'invalid drift history query', problems);
    if (!history) return noRedis();
    const windows = await history.read(route, { role: role as 'live' | 'shadow' | undefined, variant, limit });
    // a route gone from the config still shows its history
    if (!routeMembers(deps, route) && windows.length === 0) return fail('ROUTE_NOT_FOUND', `no route "${route}"`);
    const m = deps.cfg.monitor;
    c.header('Cache-Control', 'no-store');
    return c.json({ route, capacity: m.drift_history_windows, thresholds: { psi_moderate: m.psi_moderate, psi_significant: m.psi_significant, alpha: m.alpha }, windows });
  });

  app.get('/routes/:route/drift', async (c) => {
    const route = c.req.param('route');
    const members = routeMembers(deps, route);
    const ops = monitorAdmin();
    // a route gone from the config still shows its last report
    const report = members ? await ops.driftReport(route, members.variants) : await ops.storedReport(route);
    if (!report) return fail('ROUTE_NOT_FOUND', `no route "${route}"`);
    c.header('Cache-Control', 'no-store');
    return c.json(report);
  });

  app.get('/routes/:route/baseline', async (c) => {
    const route = c.req.param('route');
    knownRoute(deps, route);
    return c.json(summarizeBaselines(await monitorAdmin().baselineDoc(route), route));
  });

  app.put('/routes/:route/baseline', async (c) => {
    const route = c.req.param('route');
    const members = knownRoute(deps, route);
    const r = await monitorAdmin().putBaseline(route, await readJson(c), c.req.query('variant') || undefined, c.req.query('default') === 'true');
    if (!r.ok) return fail('BAD_REQUEST', 'invalid baseline', r.problems.map((p) => ({ path: p.split(':')[0], message: p.slice(p.indexOf(':') + 1).trim() })));
    if (![...members.variants, ...members.shadows].includes(r.variant)) deps.logger.warn({ route, variant: r.variant }, 'baseline stored for a name that is not (yet) a variant of the route');
    deps.logger.info({ route, variant: r.variant, version: r.doc.version, actor: c.get('actor' as never) }, 'baseline uploaded');
    return c.json({ route, variant: r.variant, version: r.doc.version, default: r.doc.default });
  });

  app.post('/routes/:route/baseline/capture', async (c) => {
    const route = c.req.param('route');
    const members = knownRoute(deps, route);
    const ops = monitorAdmin();
    const b = (await readJson(c)) as { variant?: unknown; entries?: unknown };
    const problems: { path: string; message: string }[] = [];
    if (typeof b?.variant !== 'string' || !members.variants.includes(b.variant)) problems.push({ path: 'variant', message: `expected one of ${members.variants.join(', ')}` });
    const entries = b?.entries ?? 1000;
    if (typeof entries !== 'number' || !Number.isInteger(entries) || entries < 1 || entries > MAX_CAPTURE_ENTRIES) problems.push({ path: 'entries', message: `expected an integer 1..${MAX_CAPTURE_ENTRIES}` });
    if (problems.length) return fail('BAD_REQUEST', 'invalid capture request', problems);
    const variant = b.variant as string;
    const { after, version } = await ops.requestCapture(route, variant, entries as number);
    deps.logger.info({ route, variant, entries, after }, 'baseline capture requested');
    return c.json({ route, variant, entries, after, status: 'capturing', baseline_version: version }, 202);
  });

  return app;
}
