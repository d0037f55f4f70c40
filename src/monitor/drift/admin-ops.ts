/**
 * What the admin API does with the monitor's state, without HTTP: the drift report (or an
 * insufficient_data one before the first verdict), baseline uploads and capture requests.
 */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import { checkVariantBaseline, type BaselineDoc } from './baseline.ts';
import { BaselineStore } from './baseline-store.ts';
import { DriftStore } from './drift-store.ts';
import { parseStreamInfo } from '../runtime/loss.ts';
import { defaultBaselineRef, emptyReport, emptyVariantReport, type DriftReport } from './report.ts';
import type { FileConfig } from '../../config/schema.ts';
import { predictionsKey } from '../../redis/keys.ts';

export const MAX_CAPTURE_ENTRIES = 1_000_000;

export class MonitorAdmin {
  private readonly baselines: BaselineStore;
  private readonly reports: DriftStore;
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly monitor: FileConfig['monitor'],
  ) {
    this.baselines = new BaselineStore(redis, prefix);
    this.reports = new DriftStore(redis, prefix);
  }

  /** The latest report; before the first one, every variant at insufficient_data. */
  async driftReport(route: string, variants: readonly string[]): Promise<DriftReport> {
    const r = await this.reports.load(route);
    if (r) {
      for (const v of variants) r.variants[v] ??= emptyVariantReport();
      return r;
    }
    const m = this.monitor;
    const doc = await this.baselines.load(route);
    const thresholds = { psi_moderate: m.psi_moderate, psi_significant: m.psi_significant, alpha: m.alpha, min_entries: m.min_entries, window_entries: m.window_entries, window_ms: m.window_ms };
    const empty = emptyReport(route, variants, thresholds, defaultBaselineRef(doc));
    delete (empty as Partial<DriftReport>).progress;
    return empty;
  }

  storedReport(route: string): Promise<DriftReport | null> {
    return this.reports.load(route);
  }

  baselineDoc(route: string): Promise<BaselineDoc | null> {
    return this.baselines.load(route);
  }

  /** Stores an uploaded variant baseline; problems are returned, not thrown. */
  async putBaseline(route: string, body: unknown, variant: string | undefined, makeDefault: boolean): Promise<{ ok: true; doc: BaselineDoc; variant: string } | { ok: false; problems: string[] }> {
    const checked = checkVariantBaseline(body);
    if (!checked.ok) return checked;
    const v = variant ?? checked.value.variant;
    if (!v) return { ok: false, problems: ['variant: name the variant in the body or as ?variant='] };
    const doc = await this.baselines.setVariant(route, { ...checked.value, variant: v }, makeDefault);
    return { ok: true, doc: doc!, variant: v };
  }

  /** Records a capture of the next `entries` live entries of `variant` after now. */
  async requestCapture(route: string, variant: string, entries: number): Promise<{ after: string; version: number }> {
    let after = '0-0';
    try {
      after = parseStreamInfo(await this.redis.call('XINFO', 'STREAM', predictionsKey(this.prefix, route))).lastGeneratedId;
    } catch {
      /* no stream yet: every entry is after the call */
    }
    const doc = await this.baselines.requestCapture(route, { variant, entries, after, requested_at: new Date().toISOString() });
    return { after, version: doc?.version ?? 0 };
  }
}

/** A summary of the baseline document without the samples (for GET). */
export function summarizeBaselines(doc: BaselineDoc | null, route: string) {
  if (!doc) return { route, version: 0, default: null, variants: {}, captures: {} };
  const variants: Record<string, unknown> = {};
  for (const [k, b] of Object.entries(doc.variants)) {
    variants[k] = {
      version: b.version,
      model_version: b.model_version,
      source: b.source,
      created_at: b.created_at,
      entries: b.entries,
      features: Object.fromEntries(Object.entries(b.features).map(([f, r]) => [f, { kind: r.kind, n: r.n }])),
      output: b.output ? { kind: b.output.kind, n: b.output.n } : null,
    };
  }
  const rolling: Record<string, unknown> = {};
  for (const [k, b] of Object.entries(doc.rolling ?? {})) rolling[k] = { version: b.version, model_version: b.model_version, created_at: b.created_at, entries: b.entries, period: b.period };
  return { route, version: doc.version, default: doc.default, variants, captures: doc.captures, ...(doc.rolling ? { rolling } : {}) };
}
