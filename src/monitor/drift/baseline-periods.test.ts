import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, WEEK_MS, hourOfWeek, hourStart, rollingDue, rollingRange, sampleSlices, seasonalRanges } from './baseline-periods.ts';
import { xrangeBounds } from '../runtime/history-reader.ts';

const at = (iso: string) => Date.parse(iso);

describe('hour of the week (UTC)', () => {
  it('names the weekday and hour of known dates', () => {
    expect(hourOfWeek(0)).toMatchObject({ weekday: 'Thu', hour: 0, index: 3 * 24 }); // 1970-01-01 was a Thursday
    expect(hourOfWeek(at('2024-11-29T14:30:00Z'))).toMatchObject({ weekday: 'Fri', hour: 14, index: 4 * 24 + 14, label: 'Fri 14:00-15:00 UTC' }); // Black Friday
    expect(hourOfWeek(at('2026-11-30T00:00:00Z'))).toMatchObject({ weekday: 'Mon', hour: 0, index: 0 });
    expect(hourOfWeek(at('2026-12-06T23:59:59.999Z'))).toMatchObject({ weekday: 'Sun', hour: 23, index: 167 });
  });

  it('is unchanged one week later, and moves by one per hour', () => {
    const t = at('2026-03-29T01:15:00Z'); // the EU's spring DST change: UTC does not see it
    expect(hourOfWeek(t + WEEK_MS).index).toBe(hourOfWeek(t).index);
    expect(hourOfWeek(t + HOUR_MS).index).toBe((hourOfWeek(t).index + 1) % 168);
    expect(hourOfWeek(t - 10 * WEEK_MS + 5 * DAY_MS).weekday).toBe('Fri');
  });

  it('works before the epoch too', () => {
    expect(hourOfWeek(-1)).toMatchObject({ weekday: 'Wed', hour: 23 });
  });
});

describe('seasonal ranges', () => {
  it('takes the same UTC hour in each of the P weeks before, newest first', () => {
    const r = seasonalRanges(at('2026-12-02T14:42:10Z'), 3);
    expect(r).toEqual([
      { from_ts: at('2026-11-25T14:00:00Z'), to_ts: at('2026-11-25T15:00:00Z') },
      { from_ts: at('2026-11-18T14:00:00Z'), to_ts: at('2026-11-18T15:00:00Z') },
      { from_ts: at('2026-11-11T14:00:00Z'), to_ts: at('2026-11-11T15:00:00Z') },
    ]);
    for (const x of r) expect(hourOfWeek(x.from_ts).label).toBe('Wed 14:00-15:00 UTC');
  });

  it('floors to the hour: a window starting on the hour and one a minute before it differ', () => {
    const h = at('2026-12-02T15:00:00Z');
    expect(seasonalRanges(h, 1)[0].from_ts).toBe(h - WEEK_MS);
    expect(seasonalRanges(h - 60_000, 1)[0].from_ts).toBe(h - WEEK_MS - HOUR_MS);
    expect(hourStart(h - 1)).toBe(h - HOUR_MS);
  });
});

describe('rolling range and refresh', () => {
  const policy = { days: 7, refresh_ms: HOUR_MS };
  it('covers the N days before the window', () => {
    expect(rollingRange(at('2026-12-02T00:00:00Z'), 7)).toEqual({ from_ts: at('2026-11-25T00:00:00Z'), to_ts: at('2026-12-02T00:00:00Z') });
  });

  it('is rebuilt when missing, after refresh_ms of windows, when days change, or for an older window', () => {
    const built = { to_ts: 10 * DAY_MS, days: 7 };
    expect(rollingDue(null, 0, policy)).toBe(true);
    expect(rollingDue(built, 10 * DAY_MS, policy)).toBe(false);
    expect(rollingDue(built, 10 * DAY_MS + HOUR_MS - 1, policy)).toBe(false);
    expect(rollingDue(built, 10 * DAY_MS + HOUR_MS, policy)).toBe(true);
    expect(rollingDue(built, 10 * DAY_MS - 1, policy)).toBe(true);
    expect(rollingDue(built, 10 * DAY_MS, { ...policy, days: 3 })).toBe(true);
  });
});

describe('bounded reads', () => {
  it('cuts each range into equal slices with one COUNT that sums to at least the maximum', () => {
    const s = sampleSlices([{ from_ts: 0, to_ts: HOUR_MS }, { from_ts: WEEK_MS, to_ts: WEEK_MS + HOUR_MS }], 1000, 6);
    expect(s).toHaveLength(12);
    expect(s[0]).toEqual({ from_ts: 0, to_ts: 10 * 60_000, count: 84, range: 0 });
    expect(s[6].range).toBe(1);
    expect(s[5].to_ts).toBe(HOUR_MS);
    expect(s[6].from_ts).toBe(WEEK_MS);
    const total = s.reduce((n, x) => n + x.count, 0);
    expect(total).toBeGreaterThanOrEqual(1000);
    expect(total).toBeLessThan(1000 + s.length);
    // slices tile each range without gaps or overlaps
    for (let i = 1; i < 6; i++) expect(s[i].from_ts).toBe(s[i - 1].to_ts);
  });

  it('never makes slices narrower than 1 ms, and skips empty ranges', () => {
    expect(sampleSlices([{ from_ts: 5, to_ts: 8 }], 10, 100)).toHaveLength(3);
    expect(sampleSlices([{ from_ts: 5, to_ts: 5 }], 10, 4)).toEqual([]);
  });

  it('reads a slice as an inclusive XRANGE of ms ids', () => {
    expect(xrangeBounds({ from_ts: 1000, to_ts: 2000 })).toEqual(['1000', '1999']);
  });
});
