/**
 * The SRM watch of one route, a window consumer: counts distinct units per variant among
 * live, hash-assigned entries (forced and random assignments excluded), per config version,
 * and tests them against the weights that version routed with (src/canary/srm-tracker.ts).
 * A window closes after monitor.window_entries such entries or monitor.window_ms; each window
 * is tested alone and together with every window since this monitor took the route
 * (cumulative). Results go to `<prefix>:srm:<route>` (JSON), `modelgate_srm_pvalue{route}`
 * and an alert (log line + webhook) when the alarm starts and when it clears.
 */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import { SrmStrata, type SrmResultView } from './srm-tracker.ts';
import type { Notifier } from '../runtime/notify.ts';
import type { ConfigStore } from '../../config/store.ts';
import type { CanaryMetrics } from '../../telemetry/canary-metrics.ts';
import { compareIds, type LogEntry } from '../../predictions/schema.ts';
import type { ConsumerFactory, RouteContext, WindowConsumer } from '../runtime/window-consumer.ts';
import { srmKey } from '../../redis/keys.ts';
import { JsonDocStore } from '../../redis/json-doc-store.ts';


export interface SrmReport {
  route: string;
  updated_at: string;
  alpha: number;
  alarm: boolean;
  windows_tested: number;
  window: (SrmResultView & { start_ts: number; end_ts: number; entries: number }) | null;
  cumulative: SrmResultView | null;
  recent: { end_ts: number; pvalue: number | null; alarm: boolean }[];
  progress: { last_id: string | null };
}

export interface SrmDeps {
  store?: ConfigStore;
  metrics: CanaryMetrics;
  notifier: Notifier;
}

export const srmConsumer =
  (deps: SrmDeps): ConsumerFactory =>
  (ctx) =>
    new SrmConsumer(ctx, deps);

/** The route's report document (`<prefix>:...:<route>`, redis/keys.ts). */
export const reportDocs = (redis: Redis, prefix: string): JsonDocStore<SrmReport> => new JsonDocStore(redis, (route) => srmKey(prefix, route));

export function loadSrmReport(redis: Redis, prefix: string, route: string): Promise<SrmReport | null> {
  return reportDocs(redis, prefix).load(route);
}

export class SrmConsumer implements WindowConsumer {
  readonly name = 'srm';
  private window = new SrmStrata();
  private cumulative = new SrmStrata();
  private openedAt = 0;
  private firstTs = 0;
  private lastTs = 0;
  private lastId: string | null = null;
  private report!: SrmReport;
  private readonly weights = new Map<number, Record<string, number> | undefined>();

  constructor(
    private readonly ctx: RouteContext,
    private readonly deps: SrmDeps,
  ) {}

  async start(): Promise<void> {
    const stored = await loadSrmReport(this.ctx.redis, this.ctx.prefix, this.ctx.route);
    this.report = stored ?? { route: this.ctx.route, updated_at: new Date().toISOString(), alpha: this.ctx.monitor.srm_alpha, alarm: false, windows_tested: 0, window: null, cumulative: null, recent: [], progress: { last_id: null } };
    this.report.alpha = this.ctx.monitor.srm_alpha;
    this.lastId = this.report.progress.last_id;
  }

  async onEntries(entries: readonly LogEntry[]): Promise<void> {
    for (const e of entries) {
      if (this.lastId && compareIds(e.id, this.lastId) <= 0) continue; // accounted for before a takeover
      this.lastId = e.id;
      if (!this.window.add(e)) continue;
      this.cumulative.add(e);
      if (this.window.total === 1) {
        this.openedAt = Date.now();
        this.firstTs = e.ts;
      }
      this.lastTs = e.ts;
      if (this.window.total >= this.ctx.monitor.window_entries) await this.close();
    }
  }

  async onTick(now: number): Promise<void> {
    if (this.window.total > 0 && now - this.openedAt >= this.ctx.monitor.window_ms) await this.close();
  }

  /** Weights per config version: the store's snapshots (cached); without a store, the file's. */
  private async loadWeights(versions: number[]): Promise<(v: number) => Record<string, number> | undefined> {
    const fromRoute = (r: { variants: { name: string; weight: number }[] } | undefined) => (r ? Object.fromEntries(r.variants.map((v) => [v.name, v.weight])) : undefined);
    const store = this.deps.store;
    if (!store) return () => fromRoute(this.ctx.routeConfig);
    const cur = store.current();
    for (const v of versions) {
      if (this.weights.has(v)) continue;
      if (v === cur.version) this.weights.set(v, fromRoute(cur.routes.get(this.ctx.route)?.config));
      else this.weights.set(v, fromRoute((await store.snapshotAt(v).catch(() => undefined))?.routes[this.ctx.route]));
    }
    if (this.weights.size > 100) for (const k of [...this.weights.keys()].slice(0, this.weights.size - 100)) this.weights.delete(k);
    return (v) => this.weights.get(v);
  }

  private async close(): Promise<void> {
    const alpha = this.ctx.monitor.srm_alpha;
    const weightsOf = await this.loadWeights([...new Set([...this.window.versions(), ...this.cumulative.versions()])]);
    const win = this.window.test(weightsOf, alpha);
    const cum = this.cumulative.test(weightsOf, alpha);
    const entries = this.window.total;
    this.window = new SrmStrata();
    const r = this.report;
    const wasAlarm = r.alarm;
    r.alarm = win.alarm || cum.alarm;
    r.window = { ...win, start_ts: this.firstTs, end_ts: this.lastTs, entries };
    r.cumulative = cum;
    if (!win.insufficient) r.windows_tested++;
    r.recent = [...r.recent, { end_ts: this.lastTs, pvalue: win.pvalue, alarm: win.alarm }].slice(-20);
    r.updated_at = new Date().toISOString();
    r.progress.last_id = this.lastId;
    this.deps.metrics.srm(this.ctx.route, win.pvalue, cum.pvalue, r.alarm);
    if (!this.ctx.owned()) throw new Error(`lease of route ${this.ctx.route} lost; SRM report not written`);
    await reportDocs(this.ctx.redis, this.ctx.prefix).save(this.ctx.route, r);
    if (r.alarm !== wasAlarm) {
      const which = win.alarm ? win : cum;
      const body = { type: r.alarm ? 'srm_alarm' : 'srm_cleared', route: this.ctx.route, alpha, pvalue: which.pvalue, cumulative_pvalue: cum.pvalue, units: which.units, at: r.updated_at };
      this.deps.notifier.send(body, r.alarm ? 'warn' : 'info', r.alarm ? `SRM on route ${this.ctx.route}: assignment counts ${JSON.stringify(which.units)} do not match the weights (p = ${which.pvalue?.toExponential(2)})` : `SRM on route ${this.ctx.route} cleared`);
    }
  }
}
