import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.ts';
import { baselinePolicy, belongsTo, referenceFromEntries } from './baseline-policy.ts';
import { parseEntry } from '../../predictions/schema.ts';
import { entryFields } from '../runtime/synthetic.ts';

const route = (baseline?: object, model = 'm') => ({ models: [model], variants: [{ name: 'v1', backend: 'http://127.0.0.1:9', weight: 100 }], ...(baseline ? { baseline } : {}) });

describe('baseline policy', () => {
  it('defaults to fixed, 7 days, 4 weeks, hourly refresh', () => {
    const cfg = parseConfig({ routes: { a: route() } }, 'test', {});
    expect(baselinePolicy(cfg.monitor, cfg.routes.a)).toEqual({ mode: 'fixed', days: 7, weeks: 4, refresh_ms: 3_600_000, max_entries: 20_000 });
  });

  it("takes monitor.baseline, then the route's own keys over it", () => {
    const cfg = parseConfig({ monitor: { baseline: { mode: 'rolling', days: 3 } }, routes: { a: route(), b: route({ mode: 'seasonal', weeks: 2 }, 'm2') } }, 'test', {});
    expect(baselinePolicy(cfg.monitor, cfg.routes.a)).toMatchObject({ mode: 'rolling', days: 3, weeks: 4 });
    expect(baselinePolicy(cfg.monitor, cfg.routes.b)).toMatchObject({ mode: 'seasonal', days: 3, weeks: 2 });
    expect(Object.isFrozen(baselinePolicy(cfg.monitor, cfg.routes.b))).toBe(true);
  });

  it('rejects unknown modes and keys with their paths', () => {
    expect(() => parseConfig({ monitor: { baseline: { mode: 'weekly' } }, routes: {} }, 'test', {})).toThrow(/monitor\.baseline\.mode/);
    expect(() => parseConfig({ routes: { a: route({ week: 2 }) } }, 'test', {})).toThrow(/routes\.a\.baseline/);
  });
});

describe('reference from history entries', () => {
  const e = (id: string, variant: string, x: number, extra: { role?: 'live' | 'shadow'; status?: number; version?: string } = {}) =>
    parseEntry(id, entryFields({ rid: id, variant, ts: Number(id.split('-')[0]), ...extra }, { x, c: x > 2 ? 'hi' : 'lo' }, x / 10));

  it('keeps only the window key and judgeable entries', () => {
    expect(belongsTo(e('1-0', 'v1', 1), 'live', 'v1')).toBe(true);
    expect(belongsTo(e('1-0', 'v2', 1), 'live', 'v1')).toBe(false);
    expect(belongsTo(e('1-0', 'v1', 1, { role: 'shadow' }), 'live', 'v1')).toBe(false);
    expect(belongsTo(e('1-0', 'v1', 1, { status: 500 }), 'live', 'v1')).toBe(false);
  });

  it('builds numeric and categorical references and records the period and newest version', () => {
    const entries = [1, 2, 3, 4].map((x, i) => e(`${1000 + i}-0`, 'v1', x, { version: i === 3 ? '2.0' : '1.0' }));
    const period = { mode: 'rolling' as const, from_ts: 0, to_ts: 2000, days: 1 };
    const r = referenceFromEntries(entries, 'v1', period);
    expect(r).toMatchObject({ variant: 'v1', source: 'rolling', entries: 4, model_version: '2.0', period });
    expect(r.features.x).toMatchObject({ kind: 'numeric', n: 4, sample: [1, 2, 3, 4], mean: 2.5 });
    expect(r.features.c).toEqual({ kind: 'categorical', n: 4, counts: { lo: 2, hi: 2 } });
    expect(r.output).toMatchObject({ kind: 'numeric', n: 4 });
  });
});
