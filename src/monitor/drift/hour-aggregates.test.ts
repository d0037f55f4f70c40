import { describe, expect, it } from 'vitest';
import { entryInstances, entryOutputs, parseEntry } from '../../predictions/schema.ts';
import { entryFields } from '../runtime/synthetic.ts';
import { referenceFromEntries } from './baseline-policy.ts';
import { addToHour, addToSlot, HOUR_SAMPLE, sampledEntries, type HourAggregate } from './hour-aggregates.ts';

const H = Date.parse('2026-11-27T14:00:00Z');
const entry = (i: number, x: number, c = 'a') => parseEntry(`${H + i}-0`, entryFields({ rid: `r${i}`, variant: 'v1', ts: H + i, version: '1.0' }, { x, c }, x / 1000));
const hour = (): HourAggregate => ({ hour_start: H, entries: 0, sample: [] });
const xs = (h: HourAggregate) => sampledEntries([h], 'v1').map((e) => entryInstances(e)[0].x as number);

describe('hourly samples', () => {
  it('keep every entry up to the sample size, then a uniform reservoir of that size', () => {
    const h = addToHour(hour(), Array.from({ length: 50 }, (_, i) => entry(i, i)));
    expect(xs(h)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    addToHour(h, Array.from({ length: 9950 }, (_, i) => entry(50 + i, 50 + i)));
    expect(h.entries).toBe(10_000);
    expect(h.sample).toHaveLength(HOUR_SAMPLE);
    // uniform over 0..9999: the mean of 100 draws has sd about 2887 / 10 ≈ 289; allow 4 sd
    const mean = xs(h).reduce((s, v) => s + v, 0) / HOUR_SAMPLE;
    expect(Math.abs(mean - 4999.5)).toBeLessThan(4 * 289);
    // and no value twice: a reservoir replaces, it never duplicates
    expect(new Set(xs(h)).size).toBe(HOUR_SAMPLE);
  });

  it('do not keep entries wider than the byte bound, and count them', () => {
    const wide = parseEntry(`${H}-0`, entryFields({ rid: 'w', variant: 'v1', ts: H }, { x: 1, blob: 'y'.repeat(3000) }, 0));
    const h = addToHour(hour(), [entry(0, 1), wide, entry(2, 2)]);
    expect(h.sample).toHaveLength(2);
    expect(h.skipped).toBe(1);
    expect(h.entries).toBe(3);
  });

  it('are deterministic: the same entries give the same sample', () => {
    const list = Array.from({ length: 500 }, (_, i) => entry(i, i * 7));
    expect(addToHour(hour(), list)).toEqual(addToHour(hour(), list));
  });

  it('keep the newest `keep` hours of a slot, newest first', () => {
    const W = 7 * 86_400_000;
    let slot = addToSlot(null, H - 2 * W, [entry(0, 1)], 2);
    slot = addToSlot(slot, H, [entry(1, 1)], 2);
    slot = addToSlot(slot, H - W, [entry(2, 1)], 2);
    expect(slot.hours.map((h) => h.hour_start)).toEqual([H, H - W]);
    slot = addToSlot(slot, H, [entry(3, 1)], 2);
    expect(slot.hours[0].entries).toBe(2);
  });

  it('give back entries that build the same reference as the originals', () => {
    const list = [entry(0, 1, 'a'), entry(1, 2, 'a'), entry(2, 3, 'b')];
    const back = sampledEntries([addToHour(hour(), list)], 'v1');
    expect(back.map((e) => [e.ts, e.version, entryInstances(e), entryOutputs(e)])).toEqual(list.map((e) => [e.ts, e.version, entryInstances(e), entryOutputs(e)]));
    const period = { mode: 'seasonal' as const, from_ts: H, to_ts: H + 3_600_000 };
    const { created_at: _a, ...fromSample } = referenceFromEntries(back, 'v1', period);
    const { created_at: _b, ...fromStream } = referenceFromEntries(list, 'v1', period);
    expect(fromSample).toEqual(fromStream);
  });
});
