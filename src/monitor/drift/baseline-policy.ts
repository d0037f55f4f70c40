/**
 * A route's baseline mode: `monitor.baseline` with the route's own `baseline` keys over it
 * (pure), and the pure part of building a `rolling` or `seasonal` reference from log entries.
 */
import { BASELINE_DEFAULTS, type BaselinePolicy, type FileConfig, type RouteConfig } from '../../config/schema.ts';
import type { BaselinePeriod, VariantBaseline } from './baseline.ts';
import { entryInstances, entryOutputs, isJudgeable, type LogEntry } from '../../predictions/schema.ts';
import { ReferenceBuilder } from './reference-builder.ts';

export function baselinePolicy(monitor: Pick<FileConfig['monitor'], 'baseline'> | undefined, route: Pick<RouteConfig, 'baseline'> | undefined): Readonly<BaselinePolicy> {
  const base = { ...BASELINE_DEFAULTS, ...(monitor?.baseline ?? {}) };
  for (const [k, v] of Object.entries(route?.baseline ?? {})) if (v !== undefined) (base as Record<string, unknown>)[k] = v;
  return Object.freeze(base);
}

/** Whether an entry of the history belongs to a window's reference: same role and variant, judgeable. */
export const belongsTo = (e: LogEntry, role: 'live' | 'shadow', variant: string): boolean => e.role === role && e.variant === variant && isJudgeable(e);

/**
 * A reference from history entries (filtered with `belongsTo`, or sampled hours), with the
 * period it covers. `model_version` is the newest entry's.
 */
export function referenceFromEntries(entries: readonly LogEntry[], variant: string, period: BaselinePeriod): Omit<VariantBaseline, 'version'> {
  const b = new ReferenceBuilder();
  for (const e of entries) {
    for (const inst of entryInstances(e)) b.addInstance(inst);
    for (const o of entryOutputs(e)) b.addOutput(o);
  }
  const newest = entries.reduce<LogEntry | undefined>((n, e) => (!n || e.ts >= n.ts ? e : n), undefined);
  return { ...b.build({ variant, model_version: newest?.version ?? '', source: period.mode, entries: entries.length }), period };
}
