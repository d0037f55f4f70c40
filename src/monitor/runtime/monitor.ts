/**
 * The monitor process (the scheduler): for every route of the live config, tries to hold the
 * route's lease (up to its fair share among the live monitors); while it does, runs a
 * RouteWorker with the consumers of every analysis (src/monitor/analyses.ts lists them; the
 * scheduler knows none by name). Serves /metrics, /healthz and /readyz. Several monitors share
 * the routes: whoever holds a lease works the route; when
 * an owner dies its lease runs out and another monitor takes the route over from the group.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { RedisClient as Redis } from '../../redis/connect.ts';
import type { Registry } from 'prom-client';
import type { FileConfig, RouteConfig } from '../../config/schema.ts';
import { connectRedis, redisSettings, whenReady } from '../../redis/connect.ts';
import { classifyRedisError, RedisFaults } from '../../redis/faults.ts';
import { createMonitorMetrics } from '../../telemetry/monitor-metrics.ts';
import { createRegistry } from '../../telemetry/registry.ts';
import { silentLogger, type Logger } from '../../telemetry/logger.ts';
import { createAlerter } from './alerts.ts';
import type { Analysis, AnalysisRuntime } from './analysis.ts';
import { driftAnalysis } from '../drift/drift-analysis.ts';
import { createNotifier } from './notify.ts';
import type { ConfigStore } from '../../config/store.ts';
import { Lease } from './lease.ts';
import { startMonitorHttp, type MonitorHttp } from './monitor-http.ts';
import { RouteWorker } from './route-worker.ts';
import type { ConsumerFactory, RouteContext } from './window-consumer.ts';
import { leaseKey, monitorsKey } from '../../redis/keys.ts';

export interface MonitorOptions {
  logger?: Logger;
  /** the analyses to run on every owned route (default: drift alone; the monitor command passes monitorAnalyses()) */
  analyses?: readonly Analysis[];
  /** consumers besides the analyses' (tests) */
  consumers?: ConsumerFactory[];
  /** the versioned config store the analyses change weights through */
  store?: ConfigStore;
  /** serve /metrics and /healthz on monitor.host:port (default true) */
  http?: boolean;
  /** entries per read (default 1000) */
  batch?: number;
  /** idle poll interval in ms (default 100) */
  pollMs?: number;
  /** the registry /metrics serves (default: a new one); the analyses' metrics go on it */
  registry?: Registry;
  /**
   * The live routes (from the versioned config store), read every lease round: routes added
   * through the admin API are picked up, removed ones released. Default: the file's routes.
   */
  routes?: () => Readonly<Record<string, RouteConfig>>;
  /** counts failed Redis commands (default: a new one on the registry) */
  faults?: RedisFaults;
}

export interface MonitorHandle {
  readonly id: string;
  readonly port: number | undefined;
  readonly registry: Registry;
  /** routes this monitor works right now */
  owned(): string[];
  close(): Promise<void>;
}

interface Slot {
  route: string;
  lease: Lease;
  worker?: RouteWorker;
  running?: Promise<void>;
  restartAt: number;
  /** consecutive worker failures (the restart backs off), and the last one */
  failures: number;
  lastError?: { message: string; kind: string; at: number };
  /** the lease cannot be read or renewed (its key's cluster master is down, say) */
  leaseFailing?: { message: string; kind: string; at: number };
}

/** a worker that fails restarts after 1 s, 2 s, 4 s ... up to this */
const MAX_RESTART_MS = 30_000;
/** a worker that ran this long before failing starts its backoff over */
const HEALTHY_RUN_MS = 60_000;

export async function startMonitor(cfg: FileConfig, opts: MonitorOptions = {}): Promise<MonitorHandle> {
  const url = cfg.redis?.url;
  if (!url) throw new Error('the monitor needs Redis: set redis.url in the config file or REDIS_URL');
  const prefix = cfg.redis?.prefix ?? 'modelgate';
  const logger = opts.logger ?? silentLogger();
  const id = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const registry = opts.registry ?? createRegistry('monitor');
  const faults = opts.faults ?? new RedisFaults(registry, ['monitor']);
  const redis: Redis = connectRedis(redisSettings(cfg.redis, `modelgate-monitor-${id}`, { faults, component: 'monitor' }), { protocol: 2 });
  await whenReady(redis, cfg.redis?.connect_timeout_ms ?? 2000).catch((e: Error) => logger.warn({ err: e.message }, 'redis not ready yet; retrying in the background'));
  const events = createMonitorMetrics(registry, cfg.routes);
  const notifier = createNotifier(cfg.monitor.webhook_url, logger, (r) => events.webhook(r));
  const alerter = createAlerter(notifier);
  const runtime: AnalysisRuntime = { cfg, logger, registry, events, notifier, alerter, store: opts.store };
  const analyses = opts.analyses ?? [driftAnalysis];
  const factories = [...analyses.flatMap((a) => a.consumer(runtime) ?? []), ...(opts.consumers ?? [])];
  const leaseMs = cfg.monitor.lease_ms;
  const tickMs = Math.max(50, Math.min(1000, Math.floor(leaseMs / 10)));
  const routesNow = opts.routes ?? (() => cfg.routes);
  let slots: Slot[] = [];
  /** one slot per live route: new routes join, removed ones stop and give their lease back */
  const syncSlots = () => {
    const live = routesNow();
    for (const s of slots)
      if (!(s.route in live)) {
        s.worker?.stop();
        void Promise.resolve(s.running).then(() => s.lease.release());
        logger.info({ route: s.route, monitor: id }, 'route removed from the config: released');
      }
    const kept = slots.filter((s) => s.route in live);
    for (const route of Object.keys(live))
      if (!kept.some((s) => s.route === route)) kept.push({ route, lease: new Lease(redis, leaseKey(prefix, route), id, leaseMs), restartAt: 0, failures: 0 });
    slots = kept;
  };
  syncSlots();

  const startWorker = (s: Slot) => {
    const ctx: RouteContext = { route: s.route, routeConfig: routesNow()[s.route] ?? cfg.routes[s.route], monitor: cfg.monitor, prefix, redis, logger, events, owned: () => s.lease.held() };
    const worker = new RouteWorker(ctx, redis, id, factories.map((f) => f(ctx)), {
      batch: opts.batch ?? 1000,
      pollMs: opts.pollMs ?? 100,
      windows: { maxEntries: cfg.monitor.window_entries, maxMs: cfg.monitor.window_ms },
    });
    s.worker = worker;
    events.routeOwned(s.route, true);
    logger.info({ route: s.route, monitor: id }, 'route acquired');
    const startedAt = Date.now();
    s.running = worker.run().then(
      () => {
        s.failures = 0;
        s.lastError = undefined;
      },
      (e: unknown) => {
        const now = Date.now();
        if (now - startedAt >= HEALTHY_RUN_MS) s.failures = 0;
        s.failures++;
        const delay = Math.min(1000 * 2 ** (s.failures - 1), MAX_RESTART_MS);
        const message = (e as Error).message;
        s.lastError = { message, kind: classifyRedisError(e), at: now };
        s.restartAt = now + delay;
        // not working the route while it backs off: /readyz says why
        events.routeOwned(s.route, false);
        logger.error({ route: s.route, err: message, failures: s.failures, retry_in_ms: delay }, 'route worker failed; restarting from the pending entries after a backoff');
      },
    ).finally(() => {
      s.worker = undefined;
      s.running = undefined;
      if (!s.lease.held()) {
        events.routeOwned(s.route, false);
        logger.info({ route: s.route, monitor: id }, 'route released');
      }
    });
  };

  let closing = false;
  /**
   * Monitors announce themselves in `<prefix>:monitors` (a sorted set scored by their last
   * round); each holds at most its share, ceil(routes / live monitors), and gives extra routes
   * back so a monitor that joins gets work. A dead monitor drops out of the count after a few
   * rounds, so the survivors take its routes once its leases run out.
   */
  const members = monitorsKey(prefix);
  const liveMonitors = async (): Promise<number> => {
    const now = Date.now();
    const r = await redis.multi().zadd(members, now, id).zremrangebyscore(members, '-inf', now - Math.max(1000, 4 * tickMs)).zcard(members).exec();
    return Math.max(1, Number(r?.[2]?.[1] ?? 1));
  };
  const giveBack = async (s: Slot) => {
    s.worker?.stop();
    await Promise.resolve(s.running).catch(() => undefined);
    await s.lease.release();
    logger.info({ route: s.route, monitor: id }, 'route given back to balance the monitors');
  };
  const tick = async () => {
    syncSlots();
    const share = Math.ceil(slots.length / (await liveMonitors().catch(() => 1)));
    let held = slots.filter((s) => s.lease.held()).length;
    for (const s of slots) {
      if (closing) return;
      const mine = s.lease.held();
      if (mine && held > share) {
        held--;
        await giveBack(s);
        continue;
      }
      if (!mine && held >= share) continue; // another monitor's share
      // one route's lease key on an unreachable cluster master must not hold up the others
      const ok = await s.lease.acquireOrRenew().then(
        (r) => ((s.leaseFailing = undefined), r),
        (e: unknown) => {
          const message = (e as Error).message;
          if (!s.leaseFailing) logger.warn({ route: s.route, err: message }, 'lease round failed for this route (said once until it works again)');
          s.leaseFailing = { message, kind: classifyRedisError(e), at: Date.now() };
          return false;
        },
      );
      if (!ok) {
        if (mine) held--;
        s.worker?.stop();
        continue;
      }
      if (!mine) held++;
      if (!s.worker && Date.now() >= s.restartAt) startWorker(s);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const loop = async () => {
    await tick().catch((e: unknown) => logger.warn({ err: (e as Error).message }, 'lease round failed'));
    if (!closing) timer = setTimeout(loop, tickMs);
  };
  await loop();

  /** what /readyz shows: Redis, the routes worked, workers backing off, persistent Redis faults */
  const readiness = () => {
    const now = Date.now();
    return {
      redis: redis.status === 'ready',
      routes: slots.filter((s) => s.worker).map((s) => s.route),
      failing: slots.flatMap((s) => {
        if (s.leaseFailing) return [{ route: s.route, failures: s.failures, kind: s.leaseFailing.kind, error: `lease: ${s.leaseFailing.message.slice(0, 300)}`, retry_in_ms: tickMs }];
        if (!s.lastError || (s.worker && now - s.lastError.at >= 2 * MAX_RESTART_MS)) return [];
        return [{ route: s.route, failures: s.failures, kind: s.lastError.kind, error: s.lastError.message.slice(0, 300), retry_in_ms: Math.max(0, s.restartAt - now) }];
      }),
      faults: faults.active(now),
    };
  };
  let http: MonitorHttp | undefined;
  if (opts.http !== false) http = await startMonitorHttp(cfg.monitor.host, cfg.monitor.port, registry, () => readiness());

  return {
    id,
    get port() {
      return http?.port;
    },
    registry,
    owned: () => slots.filter((s) => s.worker && s.lease.held()).map((s) => s.route),
    async close() {
      closing = true;
      if (timer) clearTimeout(timer);
      for (const s of slots) s.worker?.stop();
      await Promise.allSettled(slots.map((s) => s.running));
      await Promise.allSettled(slots.map((s) => s.lease.release()));
      await redis.zrem(monitorsKey(prefix), id).catch(() => undefined);
      await alerter.close();
      await http?.close();
      redis.disconnect();
    },
  };
}
