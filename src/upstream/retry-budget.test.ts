import { describe, expect, it } from 'vitest';
import { backoffMs, RetryBudget } from './retry-budget.ts';

describe('retry budget', () => {
  it('allows the floor of 3 retries with no traffic, then 20 % of the requests in the window', () => {
    let t = 0;
    const b = new RetryBudget({ now: () => t });
    expect([b.tryRetry(), b.tryRetry(), b.tryRetry(), b.tryRetry()]).toEqual([true, true, true, false]);
    for (let i = 0; i < 30; i++) b.request();
    // 3 retries taken, limit now 3 + 0.2 x 30 = 9
    expect(Array.from({ length: 7 }, () => b.tryRetry())).toEqual([true, true, true, true, true, true, false]);
  });

  it('is a rate, not a concurrency: sequential instant failures stay within ratio x requests + floor', () => {
    let t = 0;
    const b = new RetryBudget({ now: () => t });
    let attempts = 0;
    for (let i = 0; i < 1000; i++) {
      t += 5; // 1000 requests in 5 s, within one 10 s window
      b.request();
      attempts++;
      for (let r = 0; r < 5 && b.tryRetry(); r++) attempts++; // every attempt fails, retries: 5
    }
    expect(attempts).toBeLessThanOrEqual(1.2 * 1000 + 3);
    expect(attempts).toBeGreaterThanOrEqual(1.2 * 1000);
  });

  it('forgets what is older than the window', () => {
    let t = 0;
    const b = new RetryBudget({ now: () => t, windowMs: 1000, slots: 10 });
    for (let i = 0; i < 100; i++) b.request();
    while (b.tryRetry());
    expect(b.tryRetry()).toBe(false);
    t += 1100; // all slots expired
    expect([b.tryRetry(), b.tryRetry(), b.tryRetry(), b.tryRetry()]).toEqual([true, true, true, false]);
  });

  it('backs off with full jitter, exponential up to a cap', () => {
    expect(backoffMs(0, () => 0.999)).toBeLessThan(25);
    expect(backoffMs(2, () => 0.5)).toBe(50);
    expect(backoffMs(10, () => 1)).toBe(250);
    expect(backoffMs(3, () => 0)).toBe(0);
  });
});
