import { describe, expect, it } from 'vitest';
import { parseEntry } from '../runtime/entry.ts';
import { entryFields } from '../runtime/synthetic.ts';
import { addToHour, addToSlot, feedHours, HOUR_CATEGORIES, HOUR_SAMPLE, OTHER, type HourAggregate } from './hour-aggregates.ts';
import { ReferenceBuilder } from './reference-builder.ts';

const H = Date.parse('2026-11-27T14:00:00Z');
const entry = (i: number, x: number, c: string) => parseEntry(`${H + i}-0`, entryFields({ rid: `r${i}`, variant: 'v1', ts: H + i }, { x, c }, x / 1000));
const hour = (): HourAggregate => ({ hour_start: H, entries: 0, features: {}, output: null });

describe('hourly aggregates', () => {
  it('keep every value up to the sample size, then a uniform reservoir of that size', () => {
    const h = addToHour(hour(), Array.from({ length: 50 }, (_, i) => entry(i, i, 'a')));
    expect(h.features.x.values).toEqual(Array.from({ length: 50 }, (_, i) => i));
    addToHour(h, Array.from({ length: 9950 }, (_, i) => entry(50 + i, 50 + i, 'a')));
    const x = h.features.x;
    expect(h.entries).toBe(10_000);
    expect(x.n).toBe(10_000);
    expect(x.values).toHaveLength(HOUR_SAMPLE);
    // uniform over 0..9999: mean 4999.5, sd of the mean of 100 draws about 2887 / 10 ≈ 289; 4 sd
    const mean = x.values.reduce((s, v) => s + v, 0) / x.values.length;
    expect(Math.abs(mean - 4999.5)).toBeLessThan(4 * 289);
    expect(h.output!.values).toHaveLength(HOUR_SAMPLE);
  });

  it('count categories exactly up to the cap, the rest as (other)', () => {
    const h = addToHour(hour(), Array.from({ length: HOUR_CATEGORIES + 10 }, (_, i) => entry(i, 1, `k${i}`)));
    expect(Object.keys(h.features.c.labels)).toHaveLength(HOUR_CATEGORIES + 1);
    expect(h.features.c.labels[OTHER]).toBe(10);
    addToHour(h, [entry(999, 1, 'k0')]);
    expect(h.features.c.labels.k0).toBe(2);
  });

  it('are deterministic: the same entries give the same aggregate', () => {
    const list = Array.from({ length: 500 }, (_, i) => entry(i, i * 7, 'a'));
    expect(addToHour(hour(), list)).toEqual(addToHour(hour(), list));
  });

  it('keep the newest `keep` hours of a slot, newest first', () => {
    const W = 7 * 86_400_000;
    let slot = addToSlot(null, H - 2 * W, [entry(0, 1, 'a')], 2);
    slot = addToSlot(slot, H, [entry(1, 1, 'a')], 2);
    slot = addToSlot(slot, H - W, [entry(2, 1, 'a')], 2);
    expect(slot.hours.map((h) => h.hour_start)).toEqual([H, H - W]);
    slot = addToSlot(slot, H, [entry(3, 1, 'a')], 2);
    expect(slot.hours[0].entries).toBe(2);
  });

  it('feed a reference: sampled numbers and every label count', () => {
    const h = addToHour(hour(), [entry(0, 1, 'a'), entry(1, 2, 'a'), entry(2, 3, 'b')]);
    const b = new ReferenceBuilder();
    feedHours(b, [h, h]);
    const r = b.build({ variant: 'v1', model_version: '', source: 'seasonal', entries: 6 });
    expect(r.features.x).toMatchObject({ kind: 'numeric', n: 6, sample: [1, 1, 2, 2, 3, 3] });
    expect(r.features.c).toEqual({ kind: 'categorical', n: 6, counts: { a: 4, b: 2 } });
    expect(r.output).toMatchObject({ kind: 'numeric', n: 6 });
    expect(r.entries).toBe(6);
  });
});
