import { describe, expect, it } from 'vitest';
import { readClientHeaders, requestIdFor, responseHeaders } from './headers.ts';

describe('client headers', () => {
  it('strips hop-by-hop and Connection-listed headers and counts Host', () => {
    const h = readClientHeaders(
      ['Host', 'a', 'Connection', 'keep-alive, X-Secret', 'X-Secret', 's', 'TE', 'trailers', 'Proxy-Authorization', 'p', 'Expect', '100-continue', 'Content-Type', 'application/json', 'X-User-Id', 'u1', 'Transfer-Encoding', 'chunked', 'Keep-Alive', '5', 'Upgrade', 'h2c'],
      new Set(['x-user-id']),
    );
    expect(h.hostCount).toBe(1);
    expect(h.forward).toEqual(['content-type', 'application/json', 'x-user-id', 'u1']);
    expect(h.wanted.get('x-user-id')).toBe('u1');
    expect(h.contentType).toBe('application/json');
  });

  it('counts duplicate Host headers', () => {
    expect(readClientHeaders(['Host', 'a', 'host', 'b'], new Set()).hostCount).toBe(2);
  });

  it('joins repeated X-Forwarded-For', () => {
    expect(readClientHeaders(['X-Forwarded-For', '1.1.1.1', 'x-forwarded-for', '2.2.2.2'], new Set()).forwardedFor).toBe('1.1.1.1, 2.2.2.2');
  });

  it('drops hop-by-hop and identity headers from responses', () => {
    const out = responseHeaders(['Content-Type', 'application/json', 'Connection', 'close, X-A', 'X-A', '1', 'X-Model-Variant', 'evil', 'X-B', '2'].map((s) => Buffer.from(s)));
    expect(out).toEqual(['content-type', 'application/json', 'x-b', '2']);
  });

  it('keeps valid request ids and replaces invalid ones', () => {
    expect(requestIdFor('abc-123')).toBe('abc-123');
    const made = requestIdFor('bad id\n');
    expect(made).toMatch(/^[0-9a-f]{8}-[0-9a-z]+-[0-9a-z]+$/);
    expect(requestIdFor(undefined)).not.toBe(requestIdFor(undefined));
  });
});
