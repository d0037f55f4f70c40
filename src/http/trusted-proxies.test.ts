import { describe, expect, it } from 'vitest';
import { readClientHeaders } from '../upstream/headers.ts';
import { appendProxyHeaders, isTrustedHop } from './trusted-proxies.ts';

const client = ['Forwarded', 'for=6.6.6.6;proto=https', 'X-Real-IP', '6.6.6.6', 'X-Forwarded-For', '6.6.6.6', 'X-Other', 'o'];

describe('proxy headers', () => {
  it('are never forwarded as sent: they are read apart from the other headers', () => {
    expect(readClientHeaders(client, new Set()).forward).toEqual(['x-other', 'o']);
  });
  it('from an untrusted peer: X-Forwarded-For is the peer, Forwarded and X-Real-IP are stripped', () => {
    const out: string[] = [];
    appendProxyHeaders(out, readClientHeaders(client, new Set()), '10.0.0.9', isTrustedHop(['10.1.0.0/16'])('10.0.0.9'));
    expect(out).toEqual(['x-forwarded-for', '10.0.0.9']);
  });
  it('from a trusted hop: X-Forwarded-For is extended, Forwarded and X-Real-IP pass unchanged', () => {
    const out: string[] = [];
    appendProxyHeaders(out, readClientHeaders(client, new Set()), '10.1.2.3', isTrustedHop(['10.1.0.0/16'])('10.1.2.3'));
    expect(out).toEqual(['x-forwarded-for', '6.6.6.6, 10.1.2.3', 'forwarded', 'for=6.6.6.6;proto=https', 'x-real-ip', '6.6.6.6']);
  });
});
