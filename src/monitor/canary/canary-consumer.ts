/**
 * The canary controller of one route, a window consumer: runs only while this monitor holds
 * the route's lease. It watches the plan in `<prefix>:canary:<route>`, judges canary against
 * stable over its own evaluation windows (src/canary/eval-window.ts: monitor.window_ms long,
 * or window_entries canary requests), decides (src/canary/decide.ts) and makes every weight
 * change through the versioned config store with the audit actor `canary`. Each state change
 * is written with a compare-and-set on the plan document, then logged, sent to the webhook
 * and shown in the metrics.
 */
import { applyCanaryWeight, weightAction } from './apply-weights.ts';
import { CanaryStore } from './canary-store.ts';
import { runChecks, type DriftStatus } from './checks.ts';
import { applyDecision, changed, decide } from './decide.ts';
import { EvalWindow } from './eval-window.ts';
import type { Notifier } from '../runtime/notify.ts';
import { canaryNotice } from './notice.ts';
import { fullWeight, weightsAt } from './plan.ts';
import { isActive, type CanaryDoc } from './state.ts';
import type { RouteConfig } from '../../config/schema.ts';
import type { ConfigStore } from '../../config/store.ts';
import type { CanaryMetrics } from '../../telemetry/canary-metrics.ts';
import { DriftStore } from '../drift/drift-store.ts';
import { PerformanceStore } from '../performance/performance-store.ts';
import type { QualitySample } from '../performance/quality-comparison.ts';
import type { LogEntry } from '../../predictions/schema.ts';
import type { ConsumerFactory, RouteContext, WindowConsumer } from '../runtime/window-consumer.ts';

export interface CanaryControllerDeps {
  store: ConfigStore;
  metrics: CanaryMetrics;
  notifier: Notifier;
  /** how often the plan document is re-read (admin changes), ms (default 200) */
  pollMs?: number;
  /** a plan whose weight change is still pending after this long is finished by the controller (default 2000) */
  staleMs?: number;
}

export const canaryConsumer =
  (deps: CanaryControllerDeps): ConsumerFactory =>
  (ctx) =>
    new CanaryController(ctx, deps);

const running = (d: CanaryDoc | null): d is CanaryDoc => !!d && (d.state === 'progressing' || d.state === 'holding') && d.config_version !== null;

export class CanaryController implements WindowConsumer {
  readonly name = 'canary';
  private readonly canaries: CanaryStore;
  private readonly drift: DriftStore;
  private readonly performance: PerformanceStore;
  private doc: CanaryDoc | null = null;
  private window: EvalWindow | null = null;
  private stepRequests = 0;
  private lastPoll = 0;

  constructor(
    private readonly ctx: RouteContext,
    private readonly deps: CanaryControllerDeps,
  ) {
    this.canaries = new CanaryStore(ctx.redis, ctx.prefix);
    this.drift = new DriftStore(ctx.redis, ctx.prefix);
    this.performance = new PerformanceStore(ctx.redis, ctx.prefix);
  }

  async start(): Promise<void> {
    await this.reload();
  }

  onEntries(entries: readonly LogEntry[]): Promise<void> | void {
    const d = this.doc;
    if (!running(d)) return;
    this.window ??= new EvalWindow(d.plan.canary, d.plan.stable, d.config_version!, Date.now());
    for (const e of entries) if (this.window.add(e)) this.stepRequests++;
    if (this.window.canary.counted >= this.ctx.monitor.window_entries) return this.judge(Date.now());
  }

  async onTick(now: number): Promise<void> {
    if (!this.ctx.owned()) return;
    if (now - this.lastPoll >= (this.deps.pollMs ?? 200)) {
      this.lastPoll = now;
      await this.reload();
    }
    const d = this.doc;
    if (!d) return;
    if (d.config_version === null && now - d.updated_at >= (this.deps.staleMs ?? 2000)) await this.applyWeight(d);
    if (!running(this.doc)) return;
    if (!this.window) this.window = new EvalWindow(this.doc.plan.canary, this.doc.plan.stable, this.doc.config_version!, now);
    else if (now - this.window.openedAt >= this.ctx.monitor.window_ms) await this.judge(now);
  }

  stop(): void {
    this.window = null;
  }

  private route(): RouteConfig | undefined {
    return this.deps.store.current().routes.get(this.ctx.route)?.config ?? this.ctx.routeConfig;
  }

  /** Re-reads the plan; a document changed by someone else (the admin API) starts a fresh window. */
  private async reload(): Promise<void> {
    const d = await this.canaries.load(this.ctx.route);
    const cur = this.doc;
    if (d && cur && d.rev === cur.rev && d.started_at === cur.started_at) return;
    this.doc = d;
    this.window = null;
    this.stepRequests = d?.step_requests ?? 0;
    this.deps.metrics.canary(this.ctx.route, d);
  }

  private async canaryFeatureStatus(d: CanaryDoc): Promise<DriftStatus | undefined> {
    if (!d.plan.checks.feature_drift) return undefined;
    const report = await this.drift.load(this.ctx.route).catch(() => null);
    const v = report?.variants[d.plan.canary];
    if (!v) return undefined;
    const order: DriftStatus[] = ['insufficient_data', 'stable', 'moderate', 'significant'];
    const statuses = Object.values(v.features ?? {}).map((f) => f.status as DriftStatus);
    if (!statuses.length) return 'insufficient_data';
    return statuses.reduce((a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a), 'insufficient_data' as DriftStatus);
  }

  /** both variants' windows from the route's performance report, when a quality check is planned */
  private async quality(d: CanaryDoc): Promise<QualitySample | undefined> {
    if (!d.plan.checks.auc_drop && !d.plan.checks.log_loss_increase) return undefined;
    const report = await this.performance.report(this.ctx.route).catch(() => null);
    return { canary: report?.variants[d.plan.canary]?.windows ?? [], stable: report?.variants[d.plan.stable]?.windows ?? [], since: d.step_started_at };
  }

  private async judge(now: number): Promise<void> {
    const d = this.doc;
    const w = this.window;
    const route = this.route();
    if (!running(d) || !w || !route || !this.ctx.owned()) return;
    const full = fullWeight(route, d.plan);
    const results = runChecks(d.plan, w.sample(weightsAt(route, d.plan, d.weight), await this.canaryFeatureStatus(d), await this.quality(d)), {
      full: d.weight >= full,
      minRequests: d.plan.min_window_requests ?? this.ctx.monitor.min_entries,
      srmAlpha: this.ctx.monitor.srm_alpha,
    });
    const dec = decide({ doc: d, results, stepRequests: this.stepRequests, now });
    if (dec.reason === 'insufficient_data') {
      // too little data: the window keeps filling (no verdict was reached on it); the plan
      // shows it as holding once the window has waited twice its length
      if (now - w.openedAt < 2 * this.ctx.monitor.window_ms && d.state !== 'holding') return;
    } else this.window = null;
    const next = await this.write(applyDecision(d, dec, full, this.stepRequests, w.summary(results, now), now), d);
    if (!next) return;
    const fresh = dec.warnings.filter((x) => !d.warnings.includes(x.check));
    for (const x of fresh) this.deps.notifier.send({ type: 'canary_check_warning', route: this.ctx.route, canary: d.plan.canary, check: x.check, detail: x.detail, at: new Date(now).toISOString() }, 'warn', `canary ${this.ctx.route}: check ${x.check} breached (warn only): ${x.detail}`);
    if (next.weight !== d.weight) {
      this.window = null;
      this.stepRequests = next.step_requests;
      await this.applyWeight(next);
    }
  }

  /** Saves a document (compare-and-set); on a conflict reloads and returns null. */
  private async write(next: CanaryDoc, prev: CanaryDoc): Promise<CanaryDoc | null> {
    if (!this.ctx.owned()) return null;
    const saved = await this.canaries.save(next, prev.rev);
    if (!saved) {
      await this.reload();
      return null;
    }
    this.doc = saved;
    if (changed(prev, saved)) {
      const n = canaryNotice(prev, saved);
      this.deps.notifier.send(n.body, n.level, n.message);
      this.deps.metrics.canary(this.ctx.route, saved);
    }
    return saved;
  }

  /** Makes the document's weight the route's (one audited change, none if already there), then records the version. */
  private async applyWeight(d: CanaryDoc): Promise<void> {
    if (!this.ctx.owned()) return;
    try {
      const { version, changed: moved } = await applyCanaryWeight(this.deps.store, { route: this.ctx.route, plan: d.plan, weight: d.weight, actor: 'canary', action: weightAction(d) });
      if (moved) this.ctx.logger.info({ route: this.ctx.route, canary: d.plan.canary, weight: d.weight, version, action: weightAction(d) }, `canary ${this.ctx.route}: ${d.plan.canary} now at ${d.weight}% (config version ${version})`);
      await this.write({ ...d, config_version: version, step_started_at: isActive(d) && d.config_version === null ? Date.now() : d.step_started_at, updated_at: Date.now() }, d);
    } catch (e) {
      this.ctx.logger.error({ route: this.ctx.route, err: (e as Error).message, weight: d.weight }, 'canary weight change failed; retrying');
      // a later tick retries: the document keeps config_version null
      this.doc = { ...d, updated_at: 0 };
    }
  }
}
