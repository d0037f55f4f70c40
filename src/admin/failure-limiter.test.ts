import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './failure-limiter.ts';

describe('FailureLimiter', () => {
  it('blocks an address after maxFailures until its window ends', () => {
    let now = 0;
    const l = new FailureLimiter({ maxFailures: 3, windowMs: 1000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(l.blockedFor('a')).toBe(0);
      l.fail('a');
    }
    expect(l.blockedFor('a')).toBe(1000);
    expect(l.blockedFor('b')).toBe(0);
    now = 600;
    expect(l.blockedFor('a')).toBe(400);
    now = 1000;
    expect(l.blockedFor('a')).toBe(0);
  });

  it('forgets an address on success and bounds how many it tracks', () => {
    const l = new FailureLimiter({ maxFailures: 1, maxAddresses: 2 });
    l.fail('a');
    l.succeed('a');
    expect(l.blockedFor('a')).toBe(0);
    l.fail('x');
    l.fail('y');
    l.fail('z');
    expect(l.blockedFor('x')).toBe(0); // evicted
    expect(l.blockedFor('z')).toBeGreaterThan(0);
  });
});
