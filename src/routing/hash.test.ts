import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bucketOf, murmur3, murmur3Binary, utf8Binary } from './hash.ts';

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
