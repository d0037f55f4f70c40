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
import { createAlerter, type Alerter } from './alerts.ts';
import type { MonitorEvents } from './events.ts';
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
  /** the lease commands in flight (a slot sends the next only once they answered) */
  leaseOp?: Promise<void>;
}

/** a worker that fails restarts after 1 s, 2 s, 4 s ... up to this */
const MAX_RESTART_MS = 30_000;
/** a worker that ran this long before failing starts its backoff over */
const HEALTHY_RUN_MS = 60_000;

/**
 * The scheduler as a class: one per monitor process. `start()` connects, runs the first lease
 * round and serves HTTP; every `tickMs` a round syncs the route slots with the live config,
 * keeps this monitor's fair share of leases, and starts (or backs off) the route workers.
 */
export class MonitorScheduler implements MonitorHandle {
  readonly id = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  readonly registry: Registry;
  private readonly prefix: string;
  private readonly logger: Logger;
  private readonly faults: RedisFaults;
  private readonly redis: Redis;
  private readonly events: MonitorEvents;
  private readonly alerter: Alerter;
  private readonly factories: ConsumerFactory[];
  private readonly leaseMs: number;
  private readonly tickMs: number;
  private readonly routesNow: () => Readonly<Record<string, RouteConfig>>;
  private slots: Slot[] = [];
  private closing = false;
  private timer: NodeJS.Timeout | undefined;
  private http: MonitorHttp | undefined;
  /** live monitors (`countMonitors`), at least 1 */
  private monitors = 1;
  private counting: Promise<void> | undefined;
  /** the chain taking free routes (`takeFree`), while it runs */
  private taking: Promise<void> | undefined;

  /** connects, runs the first lease round, serves /metrics, /healthz and /readyz */
  static async start(cfg: FileConfig, opts: MonitorOptions = {}): Promise<MonitorScheduler> {
    const m = new MonitorScheduler(cfg, opts);
    await whenReady(m.redis, cfg.redis?.connect_timeout_ms ?? 2000).catch((e: Error) => m.logger.warn({ err: e.message }, 'redis not ready yet; retrying in the background'));
    m.syncSlots();
    await m.loop('all');
    if (opts.http !== false) m.http = await startMonitorHttp(cfg.monitor.host, cfg.monitor.port, m.registry, () => m.readiness());
    return m;
  }

  private constructor(
    private readonly cfg: FileConfig,
    private readonly opts: MonitorOptions,
  ) {
    const url = cfg.redis?.url;
    if (!url) throw new Error('the monitor needs Redis: set redis.url in the config file or REDIS_URL');
    this.prefix = cfg.redis?.prefix ?? 'modelgate';
    this.logger = opts.logger ?? silentLogger();
    this.registry = opts.registry ?? createRegistry('monitor');
    this.faults = opts.faults ?? new RedisFaults(this.registry, ['monitor']);
    this.redis = connectRedis(redisSettings(cfg.redis, `modelgate-monitor-${this.id}`, { faults: this.faults, component: 'monitor' }), { protocol: 2 });
    this.events = createMonitorMetrics(this.registry, cfg.routes);
    const notifier = createNotifier(cfg.monitor.webhook_url, this.logger, (r) => this.events.webhook(r));
    this.alerter = createAlerter(notifier);
    const runtime: AnalysisRuntime = { cfg, logger: this.logger, registry: this.registry, events: this.events, notifier, alerter: this.alerter, store: opts.store };
    const analyses = opts.analyses ?? [driftAnalysis];
    this.factories = [...analyses.flatMap((a) => a.consumer(runtime) ?? []), ...(opts.consumers ?? [])];
    this.leaseMs = cfg.monitor.lease_ms;
    this.tickMs = Math.max(50, Math.min(1000, Math.floor(this.leaseMs / 10)));
    this.routesNow = opts.routes ?? (() => cfg.routes);
  }

  get port(): number | undefined {
    return this.http?.port;
  }

  /** routes this monitor works right now */
  owned(): string[] {
    return this.slots.filter((s) => s.worker && s.lease.held()).map((s) => s.route);
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.slots) s.worker?.stop();
    // a lease command still in flight could take the lease after it was given back
    await Promise.allSettled([this.taking, ...this.slots.map((s) => s.leaseOp)]);
    await Promise.allSettled(this.slots.map((s) => s.running));
    await Promise.allSettled(this.slots.map((s) => s.lease.release()));
    await this.counting;
    await this.redis.zrem(monitorsKey(this.prefix), this.id).catch(() => undefined);
    await this.alerter.close();
    await this.http?.close();
    this.redis.disconnect();
  }

  /** one slot per live route: new routes join, removed ones stop and give their lease back */
  private syncSlots(): void {
    const live = this.routesNow();
    for (const s of this.slots)
      if (!(s.route in live)) {
        s.worker?.stop();
        void Promise.allSettled([s.running, s.leaseOp]).then(() => s.lease.release());
        this.logger.info({ route: s.route, monitor: this.id }, 'route removed from the config: released');
      }
    const kept = this.slots.filter((s) => s.route in live);
    for (const route of Object.keys(live))
      if (!kept.some((s) => s.route === route)) kept.push({ route, lease: new Lease(this.redis, leaseKey(this.prefix, route), this.id, this.leaseMs), restartAt: 0, failures: 0 });
    this.slots = kept;
  }

  private startWorker(s: Slot): void {
    const { cfg, opts, logger, events, redis, id } = this;
    const ctx: RouteContext = { route: s.route, routeConfig: this.routesNow()[s.route] ?? cfg.routes[s.route], monitor: cfg.monitor, prefix: this.prefix, redis, logger, events, owned: () => s.lease.held() };
    const worker = new RouteWorker(ctx, redis, id, this.factories.map((f) => f(ctx)), {
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
  }

  /**
   * Monitors announce themselves in `<prefix>:monitors` (a sorted set scored by their last
   * round); each holds at most its share, ceil(routes / live monitors), and gives extra routes
   * back so a monitor that joins gets work. A dead monitor drops out of the count after a few
   * rounds, so the survivors take its routes once its leases run out.
   */
  private async liveMonitors(): Promise<number> {
    const now = Date.now();
    const members = monitorsKey(this.prefix);
    const r = await this.redis.multi().zadd(members, now, this.id).zremrangebyscore(members, '-inf', now - Math.max(1000, 4 * this.tickMs)).zcard(members).exec();
    return Math.max(1, Number(r?.[2]?.[1] ?? 1));
  }

  /** the count of live monitors, refreshed in the background: a slow answer never holds up a round's renewals */
  private countMonitors(): Promise<void> {
    this.counting ??= this.liveMonitors()
      .then((n) => void (this.monitors = n), () => undefined)
      .finally(() => (this.counting = undefined));
    return this.counting;
  }

  private async giveBack(s: Slot): Promise<void> {
    s.worker?.stop();
    await Promise.resolve(s.running).catch(() => undefined);
    await s.lease.release();
    this.logger.info({ route: s.route, monitor: this.id }, 'route given back to balance the monitors');
  }

  /**
   * One round. Held leases are renewed (or given back, above the share) each on its own, and
   * free routes are taken one after another, in order, up to the share, in a background chain
   * of its own. A slot whose last lease command has not answered yet (its key's cluster master
   * is down: ioredis takes ~2 s to give up) is left alone, and the round waits for what it sent
   * at most one tick, so one unreachable master never delays renewals on the others.
   * `wait: 'all'` (the first round, at start) waits for every answer.
   */
  private async tick(wait: 'tick' | 'all' = 'tick'): Promise<void> {
    this.syncSlots();
    const counted = this.countMonitors();
    if (wait === 'all') await counted;
    const share = Math.ceil(this.slots.length / this.monitors);
    let held = this.slots.filter((s) => s.lease.held()).length;
    const sent: Promise<void>[] = [];
    for (const s of this.slots) {
      if (this.closing) break;
      if (s.leaseOp || !s.lease.held()) continue;
      if (held > share) {
        held--;
        sent.push(this.leaseOp(s, () => this.giveBack(s)));
      } else sent.push(this.leaseOp(s, () => this.renewOrTake(s)));
    }
    if (!this.taking && held < share && !this.closing) {
      const chain = this.takeFree(share).finally(() => (this.taking = undefined));
      this.taking = chain;
      sent.push(chain);
    }
    const all = Promise.all(sent).then(() => undefined);
    if (wait === 'all') return all;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((r) => (timer = setTimeout(r, this.tickMs)))]);
    clearTimeout(timer);
  }

  /** tries the free routes in order until this monitor holds its share */
  private async takeFree(share: number): Promise<void> {
    for (const s of this.slots.slice()) {
      if (this.closing || this.slots.filter((x) => x.lease.held()).length >= share) return;
      if (!this.slots.includes(s) || s.leaseOp || s.lease.held()) continue;
      await this.leaseOp(s, () => this.renewOrTake(s));
    }
  }

  /** runs one lease command sequence of a slot; the next waits until it has answered */
  private leaseOp(s: Slot, op: () => Promise<void>): Promise<void> {
    const p = op()
      .catch((e: unknown) => this.logger.warn({ route: s.route, err: (e as Error).message }, 'lease round failed for this route'))
      .finally(() => {
        if (s.leaseOp === p) s.leaseOp = undefined;
      });
    s.leaseOp = p;
    return p;
  }

  private async renewOrTake(s: Slot): Promise<void> {
    const ok = await s.lease.acquireOrRenew().then(
      (r) => ((s.leaseFailing = undefined), r),
      (e: unknown) => {
        const message = (e as Error).message;
        if (!s.leaseFailing) this.logger.warn({ route: s.route, err: message }, 'lease round failed for this route (said once until it works again)');
        s.leaseFailing = { message, kind: classifyRedisError(e), at: Date.now() };
        return false;
      },
    );
    if (!ok) {
      s.worker?.stop();
      return;
    }
    if (!s.worker && !this.closing && Date.now() >= s.restartAt) this.startWorker(s);
  }

  private readonly loop = async (wait: 'tick' | 'all' = 'tick'): Promise<void> => {
    await this.tick(wait).catch((e: unknown) => this.logger.warn({ err: (e as Error).message }, 'lease round failed'));
    if (!this.closing) this.timer = setTimeout(this.loop, this.tickMs);
  };

  /** what /readyz shows: Redis, the routes worked, workers backing off, persistent Redis faults */
  private readiness() {
    const now = Date.now();
    return {
      redis: this.redis.status === 'ready',
      routes: this.slots.filter((s) => s.worker).map((s) => s.route),
      failing: this.slots.flatMap((s) => {
        if (s.leaseFailing) return [{ route: s.route, failures: s.failures, kind: s.leaseFailing.kind, error: `lease: ${s.leaseFailing.message.slice(0, 300)}`, retry_in_ms: this.tickMs }];
        if (!s.lastError || (s.worker && now - s.lastError.at >= 2 * MAX_RESTART_MS)) return [];
        return [{ route: s.route, failures: s.failures, kind: s.lastError.kind, error: s.lastError.message.slice(0, 300), retry_in_ms: Math.max(0, s.restartAt - now) }];
      }),
      faults: this.faults.active(now),
    };
  }
}

/** the monitor process: `MonitorScheduler.start` */
export function startMonitor(cfg: FileConfig, opts: MonitorOptions = {}): Promise<MonitorHandle> {
  return MonitorScheduler.start(cfg, opts);
}
