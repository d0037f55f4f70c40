import { describe, expect, it } from 'vitest';
import { checkHead, hasHost, parserHeaderCount } from './request-guards.ts';

const head = (raw: string[], minor = 1) => ({ rawHeaders: raw, httpVersionMajor: 1, httpVersionMinor: minor });

describe('request head checks', () => {
  it('counts headers against the limit (the parser keeps one more than the limit)', () => {
    const raw = (n: number) => ['Host', 'x', ...Array.from({ length: n - 1 }, (_, i) => [`x-h${i}`, '1']).flat()];
    expect(parserHeaderCount(100)).toBe(101);
    expect(checkHead(head(raw(100)), 100)).toBeUndefined();
    expect(checkHead(head(raw(101)), 100)).toEqual({ code: 'HEADERS_TOO_LARGE', message: 'more than limits.max_headers (100) request headers' });
  });
  it('requires Host on HTTP/1.1, in any case, not on HTTP/1.0', () => {
    expect(hasHost(['HOST', 'a'])).toBe(true);
    expect(hasHost(['x-host', 'a', 'hosts', 'b'])).toBe(false);
    expect(checkHead(head(['accept', '*/*']), 100)?.code).toBe('BAD_REQUEST');
    expect(checkHead(head(['accept', '*/*'], 0), 100)).toBeUndefined();
  });
});
