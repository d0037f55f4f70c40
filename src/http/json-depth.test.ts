import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonDepth, tooDeep } from './json-depth.ts';

const b = (s: string) => Buffer.from(s, 'utf8');

describe('jsonDepth', () => {
  it('measures nesting of arrays and objects', () => {
    expect(jsonDepth(b('1'))).toBe(0);
    expect(jsonDepth(b('"x"'))).toBe(0);
    expect(jsonDepth(b('[]'))).toBe(1);
    expect(jsonDepth(b('{"instances": [[1, 2], [3]]}'))).toBe(3);
    expect(jsonDepth(b('[[],[[]],[]]'))).toBe(3);
    expect(jsonDepth(b('{"a": {"b": {"c": [1]}}}'))).toBe(4);
  });

  it('ignores brackets inside strings, including escaped quotes and backslashes', () => {
    expect(jsonDepth(b('["[[[[{{{{"]'))).toBe(1);
    expect(jsonDepth(b('["\\"[[[", "\\\\", [1]]'))).toBe(2);
    expect(jsonDepth(b('{"k\\\\": "]]]]", "v": [["é[ü"]]}'))).toBe(3);
  });

  it('agrees with a recursive measure on parsed values', () => {
    const rec = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(rec)) : 0);
    for (const v of [{ a: [1, { b: ['[', '{"'] }] }, [[[[]]], [], '\\'], { x: { y: { z: '}}}' } } }]) expect(jsonDepth(b(JSON.stringify(v)))).toBe(rec(v));
  });

  it('stops at max + 1 and never recurses (10,000 levels)', () => {
    const deep = b('['.repeat(10_000) + ']'.repeat(10_000));
    expect(jsonDepth(deep)).toBe(10_000);
    expect(jsonDepth(deep, 64)).toBe(65);
    expect(tooDeep(deep, 64)).toBe(true);
    expect(tooDeep(b('['.repeat(64) + ']'.repeat(64)), 64)).toBe(false);
    expect(tooDeep(b('['.repeat(65) + ']'.repeat(65)), 64)).toBe(true);
  });

  it('does not go negative on stray closers', () => {
    expect(jsonDepth(b(']]]][[1]]'))).toBe(2);
  });
});

describe('tooDeep', () => {
  it('agrees with jsonDepth > max on any bytes, with few brackets or many', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', ',', ':', '1'), { maxLength: 200 }), fc.integer({ min: 0, max: 40 }), (chars, max) => {
        const b = Buffer.from(chars.join(''));
        expect(tooDeep(b, max)).toBe(jsonDepth(b, max) > max);
        expect(tooDeep(new Uint8Array(b), max)).toBe(jsonDepth(b, max) > max);
      }),
      { seed: 18, numRuns: 2000 },
    );
  });
});
