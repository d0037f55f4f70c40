import { describe, expect, it } from 'vitest';
import { RetryBudget } from './retry-budget.ts';

describe('retry budget', () => {
  it('allows at least 3 concurrent retries, then 20 % of active requests', () => {
    const b = new RetryBudget();
    expect([b.tryRetry(), b.tryRetry(), b.tryRetry(), b.tryRetry()]).toEqual([true, true, true, false]);
    for (let i = 0; i < 30; i++) b.begin();
    // 3 retries in flight, limit now max(3, 0.2 * 30) = 6
    expect([b.tryRetry(), b.tryRetry(), b.tryRetry(), b.tryRetry()]).toEqual([true, true, true, false]);
    b.retryDone();
    expect(b.tryRetry()).toBe(true);
  });
});
