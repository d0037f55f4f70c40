import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacUnit, unitEncoder } from './unit-hash.ts';

const utf8Binary = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

describe('unit encoding in log entries', () => {
  it('hmac: HMAC-SHA256 keyed by the configured key over the unit bytes, hex, 16 chars', () => {
    const enc = unitEncoder('hmac', 'secret');
    const expected = createHmac('sha256', 'secret').update('user-42').digest('hex').slice(0, 16);
    expect(enc.encode('user-42')).toBe(expected);
    expect(enc.encode('user-42')).toMatch(/^[0-9a-f]{16}$/);
    expect(enc.ephemeralKey).toBe(false);
  });
  it('hashes the UTF-8 bytes of non-ASCII ids (binary string in, same as hashing the UTF-8 text)', () => {
    const expected = createHmac('sha256', 'k').update(Buffer.from('jürgen-€', 'utf8')).digest('hex').slice(0, 16);
    expect(unitEncoder('hmac', 'k').encode(utf8Binary('jürgen-€'))).toBe(expected);
  });
  it('is the same for two encoders with the same key (replicas join) and differs by key', () => {
    expect(unitEncoder('hmac', 'a').encode('u')).toBe(unitEncoder('hmac', 'a').encode('u'));
    expect(unitEncoder('hmac', 'a').encode('u')).not.toBe(unitEncoder('hmac', 'b').encode('u'));
  });
  it('without a key uses a random per-process key and says so', () => {
    const a = unitEncoder('hmac', undefined);
    const b = unitEncoder('hmac', undefined);
    expect(a.ephemeralKey).toBe(true);
    expect(a.encode('u')).not.toBe(b.encode('u'));
    expect(a.encode('u')).not.toContain('u');
  });
  it('raw writes the id as UTF-8 text; omit writes nothing; no unit is empty', () => {
    expect(unitEncoder('raw', undefined).encode(utf8Binary('jürgen'))).toBe('jürgen');
    expect(unitEncoder('omit', 'k').encode('user-42')).toBe('');
    expect(unitEncoder('hmac', 'k').encode(null)).toBe('');
    expect(unitEncoder('raw', 'k').encode(null)).toBe('');
    expect(hmacUnit(Buffer.from('k'), 'x')).toHaveLength(16);
  });
});

describe('hash memo', () => {
  it('gives the same hash from the memo and after it rolls over', () => {
    const enc = unitEncoder('hmac', 'k');
    const first = enc.encode('u-0');
    for (let i = 1; i < 20_000; i++) enc.encode(`u-${i}`);
    expect(enc.encode('u-0')).toBe(first);
    expect(enc.encode('u-19999')).toBe(hmacUnit(Buffer.from('k'), 'u-19999'));
  });
});
