import { describe, expect, it } from 'vitest';
import { cookieValue, unitReader } from './unit.ts';
import { utf8Binary } from './hash.ts';

const inputs = (headers: Record<string, string>, query = '', body?: unknown) => ({ header: (n: string) => headers[n], query, body });

describe('unit readers', () => {
  it('give the same bytes for the same id whichever way it arrives', () => {
    const id = 'josé-ü-1';
    const latin1 = Buffer.from(id, 'utf8').toString('latin1'); // how Node decodes a UTF-8 header
    const fromHeader = unitReader({ header: 'x-user-id' })(inputs({ 'x-user-id': ` ${latin1}\t` }));
    const fromCookie = unitReader({ cookie: 'uid' })(inputs({ cookie: `a=1; uid=${latin1}; b=2` }));
    const fromQuery = unitReader({ query: 'uid' })(inputs({}, `uid=${encodeURIComponent(id)}`));
    const fromBody = unitReader({ body: '/user/id' })(inputs({}, '', { user: { id } }));
    expect(fromHeader).toBe(utf8Binary(id));
    expect(fromCookie).toBe(fromHeader);
    expect(fromQuery).toBe(fromHeader);
    expect(fromBody).toBe(fromHeader);
  });

  it('reads numbers in the body as their JSON text', () => {
    expect(unitReader({ body: '/user_id' })(inputs({}, '', { user_id: 42 }))).toBe('42');
  });

  it('treats empty and missing units as missing', () => {
    expect(unitReader({ header: 'x-user-id' })(inputs({ 'x-user-id': '  ' }))).toBeNull();
    expect(unitReader({ header: 'x-user-id' })(inputs({}))).toBeNull();
    expect(unitReader({ query: 'uid' })(inputs({}, 'uid='))).toBeNull();
    expect(unitReader({ body: '/u' })(inputs({}, '', { u: '' }))).toBeNull();
    expect(unitReader({ body: '/u' })(inputs({}, '', { u: true }))).toBeNull();
    expect(unitReader(undefined)(inputs({ 'x-user-id': 'a' }))).toBeNull();
  });

  it('parses cookies without decoding their values', () => {
    expect(cookieValue('a=1; uid=%41b', 'uid')).toBe('%41b');
    expect(cookieValue('uid="q"', 'uid')).toBe('q');
    expect(cookieValue('x=1', 'uid')).toBeUndefined();
  });
});
