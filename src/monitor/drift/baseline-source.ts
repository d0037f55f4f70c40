/**
 * Picks the reference a drift window is judged against, by the route's baseline mode
 * (docs/monitor.md "Baseline modes"):
 * - `fixed`: the stored baseline of the variant, else the route default (baseline.ts);
 * - `rolling`: the `days` days of the window's own role and variant before the window, read
 *   from the stream by time, stored in the baseline document under `rolling` (so it has a
 *   document version, survives a takeover and shows in `GET .../baseline`), rebuilt once the
 *   windows have moved `refresh_ms` past it;
 * - `seasonal`: the same UTC weekday and hour in each of the `weeks` weeks before, read from
 *   the stream by time; a week the stream no longer holds whole comes from the stored hourly
 *   aggregate of that hour (hour-aggregates.ts, written as windows are judged); built once per
 *   window key and hour, kept in memory.
 * Every read is bounded (`max_entries` entries in equal slices). With fewer than
 * `monitor.min_entries` history entries the window is judged against the fixed baseline and
 * the report says why (`fallback`).
 */
import type { BaselinePolicy } from '../../config/schema.ts';
import { hourOfWeek, hourStart, rollingDue, rollingRange, sampleSlices, seasonalRanges, type TimeRange } from './baseline-periods.ts';
import { belongsTo, baselinePolicy, referenceFromEntries } from './baseline-policy.ts';
import { referenceFor, type BaselineDoc, type BaselinePeriod, type VariantBaseline } from './baseline.ts';
import type { BaselineStore } from './baseline-store.ts';
import type { LogEntry } from '../../predictions/schema.ts';
import { oldestMs, readSlices } from '../runtime/history-reader.ts';
import { addToSlot, sampledEntries } from './hour-aggregates.ts';
import { HourStore, slotField } from './hour-store.ts';
import { predictionsKey } from '../../redis/keys.ts';
import type { RouteContext } from '../runtime/window-consumer.ts';
import type { Window } from '../runtime/windows.ts';

/** slices per hour of a seasonal read (10 minutes each) */
const SEASONAL_SLICES_PER_HOUR = 6;

export interface ChosenBaseline {
  baseline: VariantBaseline | null;
  /** why a rolling or seasonal window fell back to the fixed baseline */
  fallback?: string;
  /** the baseline document after a rolling rebuild stored a new version */
  doc: BaselineDoc | null;
}

type Built = { ok: true; ref: Omit<VariantBaseline, 'version'> } | { ok: false; why: string };

export class BaselineSource {
  readonly policy: Readonly<BaselinePolicy>;
  /** seasonal references by window key, for the hour they were built for */
  private readonly seasonal = new Map<string, { hour: number; built: Built }>();
  /** window start of the last failed rolling build per window key (retried after refresh_ms) */
  private readonly rollingFailed = new Map<string, { at: number; why: string }>();
  private readonly hours: HourStore;

  constructor(
    private readonly ctx: RouteContext,
    private readonly store: BaselineStore,
  ) {
    this.policy = baselinePolicy(ctx.monitor, ctx.routeConfig);
    this.hours = new HourStore(ctx.redis, ctx.prefix);
  }

  async choose(w: Window, doc: BaselineDoc | null): Promise<ChosenBaseline> {
    const fixed = referenceFor(doc, w.variant);
    if (this.policy.mode === 'seasonal') {
      const built = await this.seasonalFor(w);
      // not stored: version 0, the period names it
      return built.ok ? { baseline: { ...built.ref, version: 0 }, doc } : { baseline: fixed, fallback: built.why, doc };
    }
    if (this.policy.mode === 'rolling') return this.rollingFor(w, doc, fixed);
    return { baseline: fixed, doc };
  }

  private async rollingFor(w: Window, doc: BaselineDoc | null, fixed: VariantBaseline | null): Promise<ChosenBaseline> {
    const p = this.policy;
    const stored = doc?.rolling?.[w.key];
    const period = stored?.period;
    const usable = stored && period && period.days === p.days && w.startTs >= period.to_ts ? stored : null;
    if (!rollingDue(period ? { to_ts: period.to_ts, days: period.days ?? 0 } : null, w.startTs, p)) return { baseline: stored ?? null, doc };
    const failed = this.rollingFailed.get(w.key);
    if (failed && !rollingDue({ to_ts: failed.at, days: p.days }, w.startTs, p)) return usable ? { baseline: usable, doc } : { baseline: fixed, fallback: failed.why, doc };
    const range = rollingRange(w.startTs, p.days);
    const built = this.check(await this.read(w, [range], p.days * 24), w, `the ${p.days} days before the window`, () => ({ mode: 'rolling', ...range, days: p.days }));
    if (!built.ok) {
      this.rollingFailed.set(w.key, { at: w.startTs, why: built.why });
      return usable ? { baseline: usable, doc } : { baseline: fixed, fallback: built.why, doc };
    }
    this.rollingFailed.delete(w.key);
    if (!this.ctx.owned()) throw new Error(`lease of route ${this.ctx.route} lost; rolling baseline not written`);
    const next = (await this.store.setRolling(this.ctx.route, w.key, built.ref)) ?? doc;
    this.ctx.logger.info({ route: this.ctx.route, window: w.key, entries: built.ref.entries, from: new Date(range.from_ts).toISOString(), to: new Date(range.to_ts).toISOString(), version: next?.version }, 'rolling baseline rebuilt');
    return { baseline: next?.rolling?.[w.key] ?? null, doc: next };
  }

  private async seasonalFor(w: Window): Promise<Built> {
    const hour = hourStart(w.startTs);
    const cached = this.seasonal.get(w.key);
    if (cached && cached.hour === hour) return cached.built;
    const p = this.policy;
    const ranges = seasonalRanges(w.startTs, p.weeks);
    const how = hourOfWeek(w.startTs);
    const key = predictionsKey(this.ctx.prefix, this.ctx.route);
    const [perRange, oldest, slot] = await Promise.all([this.read(w, ranges, SEASONAL_SLICES_PER_HOUR), oldestMs(this.ctx.redis, key), this.hours.load(this.ctx.route, slotField(w.key, how.index))]);
    // a range the stream no longer holds whole is taken from the stored aggregate of that hour, if any
    const sources = ranges.map((r, i) => {
      const trimmed = oldest === null || oldest > r.from_ts;
      const agg = trimmed ? slot?.hours.find((h) => h.hour_start === r.from_ts) : undefined;
      return agg && agg.entries > perRange[i].length ? { source: 'aggregate' as const, entries: sampledEntries([agg], w.variant), seen: agg.entries } : { source: 'stream' as const, entries: perRange[i] };
    });
    const built = this.check(
      sources.map((s) => s.entries),
      w,
      `${how.label} over the last ${p.weeks} week(s)`,
      () => ({
        mode: 'seasonal',
        from_ts: ranges[ranges.length - 1].from_ts,
        to_ts: ranges[0].to_ts,
        weeks: p.weeks,
        hour_of_week: how.label,
        ranges: ranges.map((r, i) => {
          const s = sources[i];
          return { ...r, entries: s.entries.length, source: s.source, ...(s.source === 'aggregate' ? { seen: s.seen } : {}) };
        }),
      }),
    );
    this.seasonal.set(w.key, { hour, built });
    return built;
  }

  /**
   * Seasonal routes: adds a judged window's entries to the stored aggregates of their UTC
   * hours, so the weeks to come can compare with them after the stream has trimmed them.
   */
  async record(w: Window, entries: readonly LogEntry[]): Promise<void> {
    if (this.policy.mode !== 'seasonal' || entries.length === 0) return;
    const byHour = new Map<number, LogEntry[]>();
    for (const e of entries) {
      const h = hourStart(e.ts);
      const list = byHour.get(h);
      if (list) list.push(e);
      else byHour.set(h, [e]);
    }
    for (const [h, list] of byHour) {
      const field = slotField(w.key, hourOfWeek(h).index);
      const slot = addToSlot(await this.hours.load(this.ctx.route, field), h, list, this.policy.weeks);
      if (!this.ctx.owned()) throw new Error(`lease of route ${this.ctx.route} lost; hourly aggregates not written`);
      await this.hours.save(this.ctx.route, field, slot);
    }
  }

  /** The window's own history entries per range, each range read in `perRange` bounded slices. */
  private async read(w: Window, ranges: TimeRange[], perRange: number): Promise<LogEntry[][]> {
    const slices = sampleSlices(ranges, this.policy.max_entries, perRange);
    const got = await readSlices(this.ctx.redis, predictionsKey(this.ctx.prefix, this.ctx.route), slices);
    const out: LogEntry[][] = ranges.map(() => []);
    slices.forEach((s, i) => {
      for (const e of got[i]) if (belongsTo(e, w.role, w.variant)) out[s.range].push(e);
    });
    return out;
  }

  private check(perRange: LogEntry[][], w: Window, what: string, period: () => BaselinePeriod): Built {
    const entries = perRange.flat();
    const min = this.ctx.monitor.min_entries;
    if (entries.length < min) return { ok: false, why: `${this.policy.mode}: ${entries.length} entries of ${w.key} in ${what} (at least ${min} needed)` };
    return { ok: true, ref: referenceFromEntries(entries, w.variant, period()) };
  }
}
