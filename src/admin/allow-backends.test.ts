import { describe, expect, it } from 'vitest';
import { backendPolicy, backendProblems, literalHost } from './allow-backends.ts';

describe('backend allow-list', () => {
  const { policy, problems } = backendPolicy(['127.0.0.0/8', '::1/128', 'localhost', '*.models.internal', '10.1.2.3', 'fd00::/8']);

  it('accepts the documented pattern forms', () => {
    expect(problems).toEqual([]);
    for (const ok of ['http://127.0.0.1:9001', 'http://127.9.9.9', 'http://[::1]:80', 'http://localhost:1', 'http://LOCALHOST.:1', 'https://a.models.internal', 'http://x.y.models.internal:8', 'http://10.1.2.3', 'http://[fd12::1]/v1'])
      expect(policy.allows(ok), ok).toBe(true);
  });

  it('refuses everything else, whatever the spelling of the host', () => {
    for (const bad of ['http://169.254.169.254/latest', 'http://models.internal', 'http://evilmodels.internal', 'http://10.1.2.4', 'http://[::2]', 'http://[fe80::1]', 'http://models.internal.evil.com', 'http://example.com', 'not a url'])
      expect(policy.allows(bad), bad).toBe(false);
    // alternative spellings the URL parser normalises
    expect(policy.allows('http://2130706433:9001')).toBe(true); // = 127.0.0.1
    expect(policy.allows('http://0x7f.1')).toBe(true);
    expect(policy.allows('http://[::ffff:127.0.0.1]')).toBe(true);
    expect(policy.allows('http://[::ffff:a9fe:a9fe]')).toBe(false); // 169.254.169.254
    expect(policy.allows('http://127.0.0.1.nip.io')).toBe(false);
  });

  it('maps IPv4-mapped IPv6 to IPv4', () => {
    expect(literalHost('[::ffff:7f00:1]')).toBe('127.0.0.1');
    expect(literalHost('Example.COM.')).toBe('example.com');
  });

  it('reports bad patterns', () => {
    const r = backendPolicy(['10.0.0.0/33', 'a*b', '*']);
    expect(r.problems.map((p) => p.path)).toEqual(['admin.allow_backends[0]', 'admin.allow_backends[1]']);
    expect(r.policy.allows('http://anything.example')).toBe(true);
  });

  it('lists a problem for every refused backend of a route body, query strings hidden', () => {
    const raw = { variants: [{ backend: 'http://127.0.0.1:1' }, { backend: 'http://evil.com/?key=s3cret' }], shadows: [{ backend: 'http://10.9.9.9' }] };
    const p = backendProblems(policy, raw, 'routes.r');
    expect(p.map((x) => x.path)).toEqual(['routes.r.variants[1].backend', 'routes.r.shadows[0].backend']);
    expect(JSON.stringify(p)).not.toContain('s3cret');
  });
});
