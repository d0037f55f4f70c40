/**
 * Live traffic per route and variant from this replica's own counters, for the console and
 * for scripts (mounted under /admin; auth is done by the admin app):
 *   GET /stats                    every route of the live config
 *   GET /routes/{route}/stats     one route
 * Rates are differentiated on the server between the sample taken now and the oldest sample
 * kept of the last `window_ms` (30 s; samples are taken when someone asks, at most one a
 * second), so every caller sees the same numbers and the page needs no state of its own.
 * Under `gateway --workers N` the counters are the replica's: the sum over every worker, as
 * its /metrics serves them (a worker that does not answer in time is left out of a sample,
 * which the rates then read as a counter reset).
 */
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { ModelgateError } from '../../errors.ts';
import type { AdminEnv } from '../env.ts';
import { sendJson } from '../respond.ts';
import { ratesBetween, SampleRing, seriesKey, type TrafficSample, type VariantRates } from '../traffic-rates.ts';
import { readTrafficSample } from '../traffic-sample.ts';
import type { AdminContext } from './admin-context.ts';

export const STATS_WINDOW_MS = 30_000;

interface RouteStats {
  variants: Record<string, VariantRates>;
}

/** the registry whose counters the stats read, fetched anew for every sample */
export type TrafficRegistry = () => Promise<Registry>;

export const ownRegistry =
  (registry: Registry): TrafficRegistry =>
  async () =>
    registry;

export function statsRoutes({ deps }: AdminContext, source: TrafficRegistry | undefined): Hono<AdminEnv> {
  const { store } = deps;
  const app = new Hono<AdminEnv>();
  const ring = new SampleRing(STATS_WINDOW_MS);
  if (source) void source().then((r) => readTrafficSample(r).then((s) => ring.push(s)), () => {});

  async function stats(only?: string) {
    if (!source) throw new ModelgateError('NOT_READY', 'live stats come from the gateway process that serves this admin API; this one has no metrics registry');
    const cur = await readTrafficSample(await source());
    const base: TrafficSample = ring.push(cur);
    const compiled = store.current();
    const routes: Record<string, RouteStats> = {};
    for (const route of compiled.routes.values()) {
      if (only !== undefined && route.name !== only) continue;
      const variants: Record<string, VariantRates> = {};
      for (const v of route.variants) variants[v.name] = ratesBetween(base, cur, seriesKey(route.name, v.name));
      routes[route.name] = { variants };
    }
    return { version: compiled.version, replica: deps.replicaId, window_ms: STATS_WINDOW_MS, span_ms: cur.ts - base.ts, at: cur.ts, routes };
  }

  app.get('/stats', async (c) => {
    const body = await stats();
    return sendJson(c, store, body, 200, body.version);
  });

  app.get('/routes/:route/stats', async (c) => {
    const name = c.req.param('route');
    if (!store.current().routes.has(name)) throw new ModelgateError('ROUTE_NOT_FOUND', `no route "${name}"`);
    const { routes, ...rest } = await stats(name);
    return sendJson(c, store, { ...rest, route: name, variants: routes[name].variants }, 200, rest.version);
  });

  return app;
}
