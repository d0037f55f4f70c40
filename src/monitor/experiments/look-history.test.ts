import { describe, expect, it } from 'vitest';
import { addLook, FIRST_GAP_MS, lookPoint, thin, type LookHistory, type LookPoint } from './look-history.ts';

const at = (t: number): LookPoint => ({ at: t, units: { a: t, b: t }, p_always_valid: { b: 1 / (1 + t) }, p_fixed: { b: 0.5 }, difference: { b: 0.01 }, units_per_arm: 100, srm_pvalue: 0.9 });

describe('lookPoint', () => {
  it('keeps units per arm and each treatment\'s p-values and difference', () => {
    const p = lookPoint({
      updated_at: 5,
      primary: { comparisons: [{ arm: 'b', p_always_valid: 0.2, p_fixed: 0.04, difference: 0.03 }] },
      planning: { units_per_arm: 1200 },
      srm: { pvalue: 0.7, units: { a: 10, b: 12 } },
    });
    expect(p).toEqual({ at: 5, units: { a: 10, b: 12 }, p_always_valid: { b: 0.2 }, p_fixed: { b: 0.04 }, difference: { b: 0.03 }, units_per_arm: 1200, srm_pvalue: 0.7 });
  });
});

describe('addLook', () => {
  it('starts a history per experiment id, replacing another id\'s', () => {
    const first = addLook(null, 'e1', at(0));
    expect(first.change).toBe('rewrite');
    expect(first.history).toEqual({ id: 'e1', gap_ms: FIRST_GAP_MS, looks: [at(0)] });
    const other = addLook(first.history, 'e2', at(5000));
    expect(other.change).toBe('rewrite');
    expect(other.history.looks).toEqual([at(5000)]);
  });

  it('skips a look inside the gap unless it is the final one', () => {
    const h = addLook(null, 'e', at(0)).history;
    expect(addLook(h, 'e', at(FIRST_GAP_MS - 1)).change).toBe('none');
    expect(addLook(h, 'e', at(FIRST_GAP_MS - 1), 10, true).change).toBe('append');
    expect(addLook(h, 'e', at(FIRST_GAP_MS)).change).toBe('append');
  });

  it('never holds more than max points, spans the whole experiment, and doubles the gap on each thinning', () => {
    const max = 10;
    let h: LookHistory | null = null;
    let rewrites = 0;
    for (let t = 0; t <= 1000_000; t += 1000) {
      const r = addLook(h, 'e', at(t), max);
      if (r.change === 'rewrite') rewrites++;
      h = r.history;
      expect(h.looks.length).toBeLessThanOrEqual(max);
    }
    expect(h!.looks[0].at).toBe(0);
    expect(h!.looks[h!.looks.length - 1].at).toBeGreaterThan(1000_000 - 2 * h!.gap_ms);
    // 1001 one-second looks into 10 points: the gap grew to cover the span (2^k s)
    expect(h!.gap_ms).toBeGreaterThanOrEqual(1000_000 / max);
    expect(Math.log2(h!.gap_ms / FIRST_GAP_MS) % 1).toBe(0);
    expect(rewrites).toBeLessThan(20); // thinning is rare: appends are the rule
    const ats = h!.looks.map((l) => l.at);
    expect([...ats].sort((a, b) => a - b)).toEqual(ats);
  });
});

describe('thin', () => {
  it('keeps every other point and the last', () => {
    expect(thin([at(0), at(1), at(2), at(3)]).map((l) => l.at)).toEqual([0, 2, 3]);
    expect(thin([at(0), at(1), at(2)]).map((l) => l.at)).toEqual([0, 2]);
    expect(thin([])).toEqual([]);
  });
});
