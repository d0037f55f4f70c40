/**
 * The drift window consumer: judges each closed window of a route against its variant's
 * baseline, keeps the report in Redis (with its progress, so replayed windows count once)
 * and each window's statistics in the route's capped drift history, feeds metrics, raises alerts on status changes, and runs live baseline captures.
 */
import type { BaselineDoc } from './baseline.ts';
import { BaselineSource } from './baseline-source.ts';
import { BaselineStore } from './baseline-store.ts';
import { Capture } from './capture.ts';
import { DriftStore } from './drift-store.ts';
import { historyWindow } from './history.ts';
import { DriftHistoryStore } from './history-store.ts';
import { compareIds, isJudgeable, type LogEntry } from '../../predictions/schema.ts';
import { judgeWindow, type Thresholds } from './judge.ts';
import { applyWindow, defaultBaselineRef, emptyReport, emptyVariantReport, type DriftReport, type WindowOutcome } from './report.ts';
import type { Alerter } from '../runtime/alerts.ts';
import type { ConsumerFactory, RouteContext, WindowConsumer } from '../runtime/window-consumer.ts';
import { windowColumns } from './window-columns.ts';
import type { Window } from '../runtime/windows.ts';

const PEEK_MS = 200;

export const driftConsumer =
  (alerter: Alerter): ConsumerFactory =>
  (ctx) =>
    new DriftConsumer(ctx, alerter);

export class DriftConsumer implements WindowConsumer {
  readonly name = 'drift';
  private readonly baselines: BaselineStore;
  private readonly source: BaselineSource;
  private readonly reports: DriftStore;
  private readonly history: DriftHistoryStore;
  private readonly thresholds: Thresholds;
  private report!: DriftReport;
  private doc: BaselineDoc | null = null;
  private lastPeek = 0;
  private readonly captures = new Map<string, Capture>();
  /** entries taken by captures, not judged; removed once their window passed */
  private readonly captured = new Set<string>();

  constructor(
    private readonly ctx: RouteContext,
    private readonly alerter: Alerter,
  ) {
    this.baselines = new BaselineStore(ctx.redis, ctx.prefix);
    this.source = new BaselineSource(ctx, this.baselines);
    this.reports = new DriftStore(ctx.redis, ctx.prefix);
    this.history = new DriftHistoryStore(ctx.redis, ctx.prefix);
    const m = ctx.monitor;
    this.thresholds = { psiModerate: m.psi_moderate, psiSignificant: m.psi_significant, alpha: m.alpha };
  }

  async start(): Promise<void> {
    await this.refreshBaseline(true);
    const m = this.ctx.monitor;
    const thresholds = { psi_moderate: m.psi_moderate, psi_significant: m.psi_significant, alpha: m.alpha, min_entries: m.min_entries, window_entries: m.window_entries, window_ms: m.window_ms };
    const variants = this.ctx.routeConfig?.variants.map((v) => v.name) ?? [];
    this.report = (await this.reports.load(this.ctx.route)) ?? emptyReport(this.ctx.route, variants, thresholds);
    this.report.thresholds = thresholds;
    this.report.shadows ??= {};
    this.report.progress ??= {};
    for (const v of variants) this.report.variants[v] ??= emptyVariantReport();
    this.report.baseline = defaultBaselineRef(this.doc);
    const { mode, days, weeks, refresh_ms, max_entries } = this.source.policy;
    this.report.baseline_mode = mode === 'fixed' ? { mode } : mode === 'rolling' ? { mode, days, refresh_ms, max_entries } : { mode, weeks, max_entries };
  }

  async onEntries(entries: readonly LogEntry[]): Promise<void> {
    // Checked on every batch, after its read: an entry added after a capture request
    // returned is always seen with that request (one GETRANGE per batch).
    await this.refreshBaseline(false, true);
    if (this.captures.size === 0) return;
    for (const e of entries) {
      const c = this.captures.get(e.variant);
      if (c?.offer(e)) this.captured.add(e.id);
    }
    for (const c of [...this.captures.values()]) if (c.done) await this.finishCapture(c);
  }

  async onTick(): Promise<void> {
    await this.refreshBaseline(false);
  }

  async onWindow(w: Window): Promise<void> {
    const seen = this.report.progress[w.key]?.last_id;
    const fresh = seen ? w.entries.filter((e) => compareIds(e.id, seen) > 0) : w.entries;
    if (fresh.length === 0) return; // a window already accounted for before a takeover
    const counted = fresh.filter((e) => !this.captured.delete(e.id));
    const judgeable = counted.filter(isJudgeable);
    const chosen = await this.source.choose(w, this.doc);
    if (chosen.doc !== this.doc) this.doc = chosen.doc;
    const baseline = chosen.baseline;
    const first = fresh[0];
    const last = fresh[fresh.length - 1];
    const outcome: WindowOutcome = {
      role: w.role,
      variant: w.variant,
      meta: { first_id: first.id, last_id: last.id, start_ts: w.startTs, end_ts: w.endTs, closed_by: w.closedBy ?? 'count', entries: fresh.length },
      counted: counted.length,
      judged: judgeable.length,
      modelVersion: judgeable.length ? judgeable[judgeable.length - 1].version : last.version,
      baseline,
      verdict: null,
      ...(chosen.fallback ? { fallback: chosen.fallback } : {}),
    };
    if (!baseline) outcome.reason = 'no_baseline';
    else if (judgeable.length < this.ctx.monitor.min_entries) outcome.reason = 'too_few_entries';
    else outcome.verdict = judgeWindow(baseline, windowColumns(judgeable, baseline), this.thresholds);
    await this.source.record(w, judgeable);
    const change = applyWindow(this.report, outcome);
    this.report.baseline = defaultBaselineRef(this.doc);
    if (!this.ctx.owned()) throw new Error(`lease of route ${this.ctx.route} lost; report not written`);
    if (outcome.verdict) {
      this.ctx.events.verdict(this.ctx.route, w.variant, outcome.verdict);
      this.ctx.events.baselineUsed?.(this.ctx.route, w.variant, baseline?.source === 'rolling' || baseline?.source === 'seasonal' ? baseline.source : 'fixed');
    }
    await this.reports.save(this.report);
    await this.history.append(this.ctx.route, historyWindow(outcome), this.ctx.monitor.drift_history_windows);
    if (change) this.alerter.notify(this.ctx.route, change, (w.role === 'live' ? this.report.variants : this.report.shadows)[w.variant]);
  }

  private async finishCapture(c: Capture): Promise<void> {
    this.captures.delete(c.req.variant);
    const doc = await this.baselines.completeCapture(this.ctx.route, c.req, c.build());
    this.ctx.logger.info({ route: this.ctx.route, variant: c.req.variant, entries: c.taken, version: doc?.version }, doc ? 'baseline captured from live traffic' : 'baseline capture superseded');
    await this.refreshBaseline(true);
  }

  /** Reloads the baseline document when its version moved (when idle, every 200 ms at most). */
  private async refreshBaseline(force: boolean, now_ = false): Promise<void> {
    const now = Date.now();
    if (!force && !now_ && now - this.lastPeek < PEEK_MS) return;
    this.lastPeek = now;
    if (!force && (await this.baselines.peekVersion(this.ctx.route)) === (this.doc?.version ?? 0)) return;
    this.doc = await this.baselines.load(this.ctx.route);
    const wanted = this.doc?.captures ?? {};
    for (const [variant, c] of this.captures) {
      const req = wanted[variant];
      if (!req || req.after !== c.req.after || req.requested_at !== c.req.requested_at) this.captures.delete(variant);
    }
    for (const [variant, req] of Object.entries(wanted)) if (!this.captures.has(variant)) this.captures.set(variant, new Capture(req));
  }
}
