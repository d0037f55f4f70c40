/**
 * The monitor side of model quality: a WindowConsumer per owned route.
 *
 * - Every prediction-log entry the route worker hands over (live and shadow) goes into the
 *   bounded label join (`monitor.label_index_entries` recent requests).
 * - About every poll it reads the route's outcome stream (`<prefix>:outcomes:<route>`) from
 *   its own cursor (no consumer group: it runs only while this monitor owns the route, and the
 *   cursor is saved with its state), keeps the entries that carry a `label`, and joins them.
 * - Labels arrive minutes to days late. A label whose request is no longer (or not yet) in
 *   memory waits up to `monitor.outcome_join_ms`; when it carries the prediction's time
 *   (`ts`), the predictions logged within `monitor.label_time_tolerance_ms` of it are read
 *   from the prediction stream by id range (`XRANGE`, bounded per lookup and per tick), so a
 *   label days late still joins as long as the stream (MAXLEN) still holds its prediction.
 * - On acquiring a route it reads back the newest entries of the prediction stream (up to
 *   WARM_ENTRIES) so labels for requests served before a restart or takeover still join.
 * - Joined pairs are kept per window of prediction time, variant and role; the report is
 *   written to `<prefix>:performance:<route>` when it changed (at most every REPORT_MS), the
 *   join state at most every SAVE_MS and on release; metrics follow the report.
 * - With `performance.alerts` set, a variant or shadow crossing a limit (or coming back) is
 *   logged and posted to `monitor.webhook_url` as `model_quality_changed`.
 */
import { outcomesKey } from '../../redis/keys.ts';
import type { Registry } from 'prom-client';
import type { FileConfig, PerformanceConfig, RouteConfig } from '../../config/schema.ts';
import type { ConfigStore } from '../../config/store.ts';
import { parseEntry, type LogEntry } from '../../predictions/schema.ts';
import { predictionsKey } from '../../redis/keys.ts';
import type { ConsumerFactory, RouteContext, WindowConsumer } from '../runtime/window-consumer.ts';
import { LabelJoin, type Label } from './label-join.ts';
import { createPerformanceMetrics, RESULTS, type PerformanceMetrics } from './performance-metrics.ts';
import { buildReport, type FiguresCache, type LabelCounts, type PerformanceReport } from './performance-report.ts';
import { PerformanceStore, type PerformanceState } from './performance-store.ts';
import { DEFAULT_PERFORMANCE } from './prediction-value.ts';
import { qualityNotices } from './quality-alerts.ts';
import type { Notifier } from '../runtime/notify.ts';
import { QualityWindows } from './quality-windows.ts';

export interface PerformanceConsumerDeps {
  cfg: FileConfig;
  registry?: Registry;
  /** the live config (a route's performance block and members may change at runtime) */
  store?: ConfigStore;
  /** quality alerts (log line, and monitor.webhook_url) */
  notifier?: Notifier;
}

/** the part of the performance block that decides the figures (a change starts afresh; alert limits do not) */
const scoring = (p: PerformanceConfig): string => JSON.stringify({ task: p.task, threshold: p.threshold, output: p.output });

const REPORT_MS = 1000;
const SAVE_MS = 5000;
const OUTCOME_BATCH = 1000;
const MAX_BATCHES_PER_TICK = 10;
const LOOKUPS_PER_TICK = 20;
const LOOKUP_COUNT = 1000;
const WARM_ENTRIES = 20_000;
const WARM_PAGE = 1000;


export const performanceConsumer = (deps: PerformanceConsumerDeps): ConsumerFactory => {
  const metrics = createPerformanceMetrics(deps.registry);
  for (const [route, r] of Object.entries(deps.cfg.routes)) metrics.init(route, r.performance?.task ?? 'binary', members(r).arms);
  return (ctx) => new PerformanceConsumer(ctx, deps, metrics);
};

function members(r: RouteConfig | undefined): { variants: string[]; shadows: string[]; arms: { name: string; role: 'live' | 'shadow' }[] } {
  const variants = r?.variants.map((v) => v.name) ?? [];
  const shadows = r?.shadows.map((s) => s.name) ?? [];
  return { variants, shadows, arms: [...variants.map((name) => ({ name, role: 'live' as const })), ...shadows.map((name) => ({ name, role: 'shadow' as const }))] };
}

/** a label entry of the outcome stream, or undefined for business outcomes and malformed entries */
export function parseLabel(flat: readonly string[]): Label | undefined {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]] = flat[i + 1];
  if (f.label === undefined || f.label === '') return undefined;
  const label = Number(f.label);
  if (f.rid === undefined && f.unit === undefined) return undefined;
  const ts = f.pts !== undefined ? Number(f.pts) : undefined;
  return { rid: f.rid, unit: f.rid === undefined ? f.unit : undefined, ts: Number.isFinite(ts) ? ts : undefined, label, index: Number(f.idx) || 0, id: f.id };
}

export class PerformanceConsumer implements WindowConsumer {
  readonly name = 'performance';
  private readonly store: PerformanceStore;
  private perf: PerformanceConfig = DEFAULT_PERFORMANCE;
  private join!: LabelJoin;
  private windows!: QualityWindows;
  private cursor = '0-0';
  private reported = -1;
  private saved = -1;
  private lastReport = 0;
  private lastSave = 0;
  private readonly counted: Record<string, number> = {};
  private report: PerformanceReport | undefined;
  private readonly alerted = new Map<string, boolean>();
  private readonly figuresCache: FiguresCache = new Map();
  /** the time the last report took to build: reports are at most 5 % of the monitor's time */
  private buildMs = 0;

  constructor(
    private readonly ctx: RouteContext,
    private readonly deps: PerformanceConsumerDeps,
    private readonly metrics: PerformanceMetrics,
  ) {
    this.store = new PerformanceStore(ctx.redis, ctx.prefix);
    const r = this.routeConfig();
    this.reset(r?.performance ?? DEFAULT_PERFORMANCE);
    // a route known only to the shared config (not the file) gets its series at zero / NaN too
    if (!deps.cfg.routes[ctx.route]) metrics.init(ctx.route, this.perf.task, members(r).arms);
  }

  private routeConfig(): RouteConfig | undefined {
    return this.deps.store?.current().routes.get(this.ctx.route)?.config ?? this.ctx.routeConfig;
  }

  private reset(perf: PerformanceConfig, state?: PerformanceState): void {
    const m = this.ctx.monitor;
    this.perf = perf;
    this.windows = QualityWindows.restore(m.performance_window_ms, m.performance_windows, m.performance_max_pairs, state);
    this.join = new LabelJoin(perf, m.label_index_entries, m.label_time_tolerance_ms, (p) => this.windows.add(p));
    if (state) Object.assign(this.join.counters, state.counters);
    this.figuresCache?.clear();
    this.reported = -1;
  }

  async start(): Promise<void> {
    const state = await this.store.state(this.ctx.route);
    if (state && state.config === scoring(this.perf)) {
      this.reset(this.perf, state);
      this.cursor = state.cursor;
    }
    for (const [k, v] of Object.entries(this.labelCounts())) this.counted[k] = v;
    await this.warm();
  }

  /** reads back the newest prediction entries, oldest first into the join */
  private async warm(): Promise<void> {
    const pages: LogEntry[][] = [];
    let end = '+';
    let read = 0;
    const key = predictionsKey(this.ctx.prefix, this.ctx.route);
    while (read < Math.min(WARM_ENTRIES, this.ctx.monitor.label_index_entries)) {
      const rows = (await this.ctx.redis.xrevrange(key, end, '-', 'COUNT', WARM_PAGE)) as [string, string[]][];
      if (!rows.length) break;
      pages.push(rows.map(([id, flat]) => parseEntry(id, flat)).reverse());
      read += rows.length;
      end = `(${rows[rows.length - 1][0]}`;
      if (rows.length < WARM_PAGE) break;
    }
    for (let i = pages.length - 1; i >= 0; i--) for (const e of pages[i]) this.join.addPrediction(e);
  }

  onEntries(entries: readonly LogEntry[]): void {
    for (const e of entries) this.join.addPrediction(e);
  }

  async onTick(now: number): Promise<void> {
    if (!this.ctx.owned()) return;
    const perf = this.routeConfig()?.performance ?? DEFAULT_PERFORMANCE;
    if (scoring(perf) !== scoring(this.perf)) {
      this.ctx.logger.info({ route: this.ctx.route, performance: perf }, 'performance settings changed: quality starts afresh');
      this.reset(perf);
    } else this.perf = perf; // alert limits apply at once
    await this.readLabels(now);
    await this.lookups();
    this.join.expire(now, this.ctx.monitor.outcome_join_ms);
    this.countMetrics();
    const changed = this.windows.revision !== this.reported || !this.report || JSON.stringify(this.labelCounts()) !== JSON.stringify(this.report.labels);
    if (changed && now - this.lastReport >= Math.max(REPORT_MS, 20 * this.buildMs)) await this.publish(now, now - this.lastSave >= SAVE_MS);
    else if (this.windows.revision !== this.saved && now - this.lastSave >= SAVE_MS) await this.publish(now, true);
  }

  async stop(): Promise<void> {
    if (this.ctx.owned()) await this.publish(Date.now(), true).catch(() => undefined);
  }

  private async readLabels(now: number): Promise<void> {
    const key = outcomesKey(this.ctx.prefix, this.ctx.route);
    for (let i = 0; i < MAX_BATCHES_PER_TICK; i++) {
      const r = (await this.ctx.redis.xread('COUNT', OUTCOME_BATCH, 'STREAMS', key, this.cursor)) as [string, [string, string[]][]][] | null;
      const rows = r?.[0]?.[1] ?? [];
      for (const [id, flat] of rows) {
        const l = parseLabel(flat);
        if (l) this.join.addLabel(l, now);
        this.cursor = id;
      }
      if (rows.length) this.windows.revision++; // the cursor moved: worth saving
      if (rows.length < OUTCOME_BATCH) return;
    }
  }

  /** predictions around the time of waiting labels, read by id range from the prediction stream */
  private async lookups(): Promise<void> {
    const wanted = this.join.wanted(LOOKUPS_PER_TICK);
    if (!wanted.length) return;
    const key = predictionsKey(this.ctx.prefix, this.ctx.route);
    const tol = this.ctx.monitor.label_time_tolerance_ms;
    for (const w of wanted) {
      const rows = (await this.ctx.redis.xrange(key, String(Math.max(0, w.ts - tol)), String(w.ts + tol), 'COUNT', LOOKUP_COUNT)) as [string, string[]][];
      // every role of the request (shadows share its rid), found by rid or by the unit's live entry
      const entries = rows.map(([id, flat]) => parseEntry(id, flat));
      const rids = new Set(entries.filter((e) => (w.rid !== undefined ? e.rid === w.rid : e.role === 'live' && e.fields.unit === w.unit)).map((e) => e.rid));
      this.join.resolveFrom(entries.filter((e) => rids.has(e.rid)));
    }
  }

  private labelCounts(): LabelCounts {
    return { ...this.join.counters, expired: this.windows.expired, pending: this.join.pending };
  }

  private countMetrics(): void {
    const c = this.labelCounts();
    for (const r of RESULTS) {
      const delta = c[r] - (this.counted[r] ?? 0);
      if (delta > 0) this.metrics.count(this.ctx.route, r, delta);
      this.counted[r] = c[r];
    }
    this.metrics.pending(this.ctx.route, c.pending);
  }

  private async publish(now: number, withState: boolean): Promise<void> {
    const m = members(this.routeConfig());
    const revision = this.windows.revision;
    const snap = this.windows.snapshot();
    const t0 = performance.now();
    this.report = buildReport({ route: this.ctx.route, cfg: this.perf, windowMs: this.windows.windowMs, keep: this.ctx.monitor.performance_windows, windows: snap.windows, variants: m.variants, shadows: m.shadows, labels: this.labelCounts(), now }, this.figuresCache);
    this.buildMs = performance.now() - t0;
    if (!this.ctx.owned()) throw new Error(`lease of route ${this.ctx.route} lost; performance report not written`);
    const state: PerformanceState | undefined = withState ? { config: scoring(this.perf), cursor: this.cursor, windows: snap.windows, expired: snap.expired, counters: { ...this.join.counters } } : undefined;
    await this.store.save(this.ctx.route, this.report, state);
    this.reported = revision;
    this.lastReport = now;
    if (state) {
      this.saved = revision;
      this.lastSave = now;
    }
    this.metrics.report(this.report);
    for (const n of qualityNotices(this.report, this.perf.alerts, this.alerted, now)) {
      const what = n.breaches.map((b) => `${b.figure} ${Math.round(b.value * 1e4) / 1e4} ${b.direction} ${b.limit}`).join(', ');
      this.deps.notifier?.send({ ...n }, n.to === 'breach' ? 'warn' : 'info', `model quality ${this.ctx.route} ${n.role} ${n.variant}: ${n.from} -> ${n.to}${what ? ` (${what})` : ''}`);
    }
  }
}
