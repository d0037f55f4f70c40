import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../predictions/schema.ts';
import { srmVerdict } from '../canary/assignment-counts.ts';
import { SrmStrata } from './srm-tracker.ts';

const e = (variant: string, unit: string, cfg: number, assign = 'hash'): LogEntry => ({ id: '1-0', ts: 1, rid: unit, variant, version: '', role: 'live', assign, status: 200, error: undefined, latencyMs: 1, featuresJson: '', predictionJson: '', fields: { unit, cfg: String(cfg) } }) as LogEntry;

describe('SRM', () => {
  it('matches scipy.stats.chisquare and the 8-unit rule', () => {
    // scipy.stats.chisquare([600, 400], [500, 500]) -> statistic 40, p 2.539e-10
    const v = srmVerdict({ v1: 600, v2: 400 }, { v1: 50, v2: 50 });
    expect(v.statistic).toBeCloseTo(40, 10);
    expect(v.pvalue!).toBeCloseTo(2.539625e-10, 14);
    expect(v.alarm).toBe(true);
    expect(srmVerdict({ v1: 7, v2: 0 }, { v1: 50, v2: 50 })).toMatchObject({ enough: false, alarm: false });
  });

  it('counts units once, ignores forced and random assignments, and tests per config version', () => {
    const s = new SrmStrata();
    for (let i = 0; i < 300; i++) s.add(e('v1', `a${i}`, 1));
    for (let i = 0; i < 300; i++) s.add(e('v1', `a${i}`, 1)); // repeats of the same units
    for (let i = 0; i < 300; i++) s.add(e('v2', `b${i}`, 1));
    for (let i = 0; i < 500; i++) s.add(e('v2', `f${i}`, 1, 'forced'));
    // version 2 routes 90/10 and its counts match that
    for (let i = 0; i < 900; i++) s.add(e('v1', `c${i}`, 2));
    for (let i = 0; i < 100; i++) s.add(e('v2', `d${i}`, 2));
    const weights = (v: number) => (v === 1 ? { v1: 50, v2: 50 } : { v1: 90, v2: 10 });
    const r = s.test(weights, 0.001);
    expect(r).toMatchObject({ units: { v1: 1200, v2: 400 }, dof: 2, alarm: false, versions: [1, 2] });
    expect(r.statistic).toBeCloseTo(0, 10);
    // the same counts judged against 50/50 for both versions alarm
    expect(s.test(() => ({ v1: 50, v2: 50 }), 0.001).alarm).toBe(true);
  });
});
