/**
 * Shadow reports of one route, a window consumer: joins each shadow entry to the live entry
 * of the same request id, and per shadow per window (monitor.window_entries shadow entries
 * or monitor.window_ms) reports agreement with the live model, the distribution of output
 * differences, latency percentiles and error share (src/canary/shadow-window.ts).
 * Kept in `<prefix>:shadows:<route>` (JSON: the latest window, the last 20, totals per
 * shadow), served at GET /admin/routes/{route}/shadows/report.
 */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import { ShadowWindow, type ShadowWindowSummary } from './shadow-window.ts';
import type { ConfigStore } from '../../config/store.ts';
import type { CanaryMetrics } from '../../telemetry/canary-metrics.ts';
import { compareIds, entryOutputs, isJudgeable, type LogEntry } from '../../predictions/schema.ts';
import type { ConsumerFactory, RouteContext, WindowConsumer } from '../runtime/window-consumer.ts';
import { shadowsKey } from '../../redis/keys.ts';
import { JsonDocStore } from '../../redis/json-doc-store.ts';


export interface ShadowTotals {
  windows: number;
  entries: number;
  requests: number;
  errors: number;
  dropped: number;
  compared: number;
  agreed: number;
  agreement_rate: number | null;
  error_share: number | null;
}

export interface ShadowReport {
  route: string;
  updated_at: string;
  shadows: Record<string, { latest: ShadowWindowSummary | null; windows: ShadowWindowSummary[]; totals: ShadowTotals }>;
  progress: { last_id: string | null };
}

export interface ShadowReportDeps {
  store?: ConfigStore;
  metrics: CanaryMetrics;
}

interface LiveSide {
  predictionJson: string;
  ok: boolean;
  latencyMs: number;
}

const LIVE_CAP = 50_000;
const PENDING_CAP = 20_000;
const PENDING_MS = 5_000;
const KEEP_WINDOWS = 20;

export const shadowReportConsumer =
  (deps: ShadowReportDeps): ConsumerFactory =>
  (ctx) =>
    new ShadowReportConsumer(ctx, deps);

/** The route's report document (`<prefix>:...:<route>`, redis/keys.ts). */
export const reportDocs = (redis: Redis, prefix: string): JsonDocStore<ShadowReport> => new JsonDocStore(redis, (route) => shadowsKey(prefix, route));

export function loadShadowReport(redis: Redis, prefix: string, route: string): Promise<ShadowReport | null> {
  return reportDocs(redis, prefix).load(route);
}

const emptyTotals = (): ShadowTotals => ({ windows: 0, entries: 0, requests: 0, errors: 0, dropped: 0, compared: 0, agreed: 0, agreement_rate: null, error_share: null });

export class ShadowReportConsumer implements WindowConsumer {
  readonly name = 'shadow-report';
  private report!: ShadowReport;
  private lastId: string | null = null;
  private readonly live = new Map<string, LiveSide>();
  private readonly pending = new Map<string, { e: LogEntry; at: number }[]>();
  private readonly windows = new Map<string, ShadowWindow>();

  constructor(
    private readonly ctx: RouteContext,
    private readonly deps: ShadowReportDeps,
  ) {}

  async start(): Promise<void> {
    this.report = (await loadShadowReport(this.ctx.redis, this.ctx.prefix, this.ctx.route)) ?? { route: this.ctx.route, updated_at: new Date().toISOString(), shadows: {}, progress: { last_id: null } };
    this.lastId = this.report.progress.last_id;
  }

  private tolerance(shadow: string): number {
    const r = this.deps.store?.current().routes.get(this.ctx.route)?.config ?? this.ctx.routeConfig;
    return r?.shadows.find((s) => s.name === shadow)?.tolerance ?? 1e-6;
  }

  async onEntries(entries: readonly LogEntry[]): Promise<void> {
    const now = Date.now();
    for (const e of entries) {
      if (this.lastId && compareIds(e.id, this.lastId) <= 0) continue;
      this.lastId = e.id;
      if (e.role === 'live') {
        this.live.set(e.rid, { predictionJson: e.predictionJson, ok: isJudgeable(e), latencyMs: e.latencyMs });
        if (this.live.size > LIVE_CAP) this.live.delete(this.live.keys().next().value as string);
        const waiting = this.pending.get(e.rid);
        if (waiting) {
          this.pending.delete(e.rid);
          for (const w of waiting) await this.take(w.e, now);
        }
      } else if (this.live.has(e.rid)) await this.take(e, now);
      else {
        const list = this.pending.get(e.rid) ?? [];
        list.push({ e, at: now });
        this.pending.set(e.rid, list);
        if (this.pending.size > PENDING_CAP) await this.expire(Number.POSITIVE_INFINITY, now, 1);
      }
    }
  }

  async onTick(now: number): Promise<void> {
    await this.expire(now - PENDING_MS, now);
    for (const [name, w] of this.windows) if (w.entries > 0 && now - w.openedAt >= this.ctx.monitor.window_ms) await this.close(name, w);
  }

  /** Shadow entries whose live entry never came: counted as unmatched. */
  private async expire(before: number, now: number, limit = Number.POSITIVE_INFINITY): Promise<void> {
    let n = 0;
    for (const [rid, list] of this.pending) {
      if (n >= limit || list[0].at > before) break;
      this.pending.delete(rid);
      n++;
      for (const w of list) await this.take(w.e, now);
    }
  }

  private async take(e: LogEntry, now: number): Promise<void> {
    const live = this.live.get(e.rid);
    let w = this.windows.get(e.variant);
    if (!w) this.windows.set(e.variant, (w = new ShadowWindow(this.tolerance(e.variant))));
    w.add(
      {
        liveOutputs: live ? (live.ok ? entryOutputs({ predictionJson: live.predictionJson } as LogEntry) : []) : null,
        shadowOutputs: entryOutputs(e),
        shadow: { status: e.status, error: e.error, latencyMs: e.latencyMs },
        liveLatencyMs: live ? live.latencyMs : null,
      },
      e.ts,
      now,
    );
    if (w.entries >= this.ctx.monitor.window_entries) await this.close(e.variant, w);
  }

  private async close(name: string, w: ShadowWindow): Promise<void> {
    this.windows.delete(name);
    const s = w.summary();
    const r = this.report;
    const slot = (r.shadows[name] ??= { latest: null, windows: [], totals: emptyTotals() });
    slot.latest = s;
    slot.windows = [...slot.windows, s].slice(-KEEP_WINDOWS);
    const t = slot.totals;
    t.windows++;
    t.entries += s.entries;
    t.requests += s.requests;
    t.errors += s.errors;
    t.dropped += s.dropped;
    t.compared += s.compared;
    t.agreed += s.agreed;
    t.agreement_rate = t.compared ? Math.round((t.agreed / t.compared) * 1e4) / 1e4 : null;
    t.error_share = t.requests ? Math.round((t.errors / t.requests) * 1e4) / 1e4 : null;
    r.updated_at = new Date().toISOString();
    r.progress.last_id = this.lastId;
    this.deps.metrics.shadow(this.ctx.route, name, { agreement: s.agreement_rate, errorShare: s.error_share, p99Ms: s.latency_ms.p99 });
    if (!this.ctx.owned()) throw new Error(`lease of route ${this.ctx.route} lost; shadow report not written`);
    await reportDocs(this.ctx.redis, this.ctx.prefix).save(this.ctx.route, r);
  }
}
