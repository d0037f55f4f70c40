import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bucketOf, hashPrefix, murmur3, murmur3After, murmur3Binary, utf8Binary } from './hash.ts';

const vectors = JSON.parse(readFileSync(new URL('../../test/fixtures/hash-vectors.json', import.meta.url), 'utf8'));

describe('murmur3 over UTF-8', () => {
  it('matches every public hash vector', () => {
    expect(vectors.hash.length).toBeGreaterThan(0);
    for (const v of vectors.hash) expect(murmur3(v.input, v.seed), JSON.stringify(v)).toBe(v.expected);
  });

  it('matches every public bucket vector', () => {
    const buckets = vectors.buckets ?? vectors.bucket ?? [];
    expect(buckets.length).toBeGreaterThan(0);
    for (const b of buckets) {
      const got = bucketOf(utf8Binary(`${b.salt}:`), utf8Binary(b.unit));
      expect(got, JSON.stringify(b)).toBe(b.bucket);
    }
  });

  it('hashes non-ASCII input by its UTF-8 bytes, not UTF-16 code units', () => {
    expect(utf8Binary('é')).toBe('\xc3\xa9');
    // 'é' is 0xC3 0xA9 in UTF-8; hashing the single code unit 0xE9 would be the murmurhash3js pitfall.
    expect(murmur3('é')).toBe(269551495);
    expect(murmur3('é')).not.toBe(murmur3Binary('\xe9'));
  });
});

describe('murmur3After (the hot path: a compiled prefix, then the unit)', () => {
  const binary = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 40 });
  it('equals murmurhash3js on the concatenation, for every prefix and unit length and seed', () => {
    fc.assert(
      fc.property(binary, binary, fc.integer({ min: 0, max: 0xffffffff }), (prefix, unit, seed) => {
        expect(murmur3After(hashPrefix(prefix, seed), unit)).toBe(murmur3Binary(prefix + unit, seed));
      }),
      { seed: 18, numRuns: 5000 },
    );
  });
  it('gives the public bucket vectors', () => {
    const buckets = vectors.buckets ?? vectors.bucket ?? [];
    for (const b of buckets) expect(murmur3After(hashPrefix(utf8Binary(`${b.salt}:`)), utf8Binary(b.unit)) % 10_000, JSON.stringify(b)).toBe(b.bucket);
  });
});
