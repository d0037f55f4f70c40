import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringifyBounded } from './bounded-json.ts';

describe('stringifyBounded', () => {
  it('equals JSON.stringify for any JSON value that fits', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const s = JSON.stringify(v);
        expect(stringifyBounded(v, s.length)).toBe(s);
        expect(stringifyBounded(v, s.length + 10)).toBe(s);
        if (s.length > 0) expect(stringifyBounded(v, s.length - 1)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('treats undefined like JSON.stringify (null in arrays, no key in objects)', () => {
    const v = { a: undefined, b: [undefined, 1, { c: undefined, d: [2] }], e: 'x' };
    expect(stringifyBounded(v, 1000)).toBe(JSON.stringify(v));
  });

  it('gives up on a 10,000-deep value without overflowing the stack', () => {
    let deep: unknown = [1];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(stringifyBounded(deep, 20_003)).toBe(`${'['.repeat(10_001)}1${']'.repeat(10_001)}`);
    expect(stringifyBounded(deep, 20_002)).toBeUndefined();
    let deepObj: unknown = 1;
    for (let i = 0; i < 10_000; i++) deepObj = { k: [deepObj] };
    expect(stringifyBounded(deepObj, 80_000)).toBeUndefined();
    expect(stringifyBounded(deepObj, 80_001)?.length).toBe(80_001);
  });

  it('costs what the budget allows, not what the value holds', () => {
    const wide = Array(250_000).fill(1);
    const nested = { x: [wide, wide] };
    const t = performance.now();
    for (let i = 0; i < 100; i++) {
      expect(stringifyBounded(wide, 4096)).toBeUndefined();
      expect(stringifyBounded(nested, 4096)).toBeUndefined();
    }
    // 200 native JSON.stringify calls of these would take seconds; bounded ones are ~µs each
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
