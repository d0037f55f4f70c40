import { describe, expect, it } from 'vitest';
import { parseSeeds } from './connect.ts';

describe('parseSeeds', () => {
  it('reads a comma-separated list of seed URLs, with credentials and TLS', () => {
    expect(parseSeeds('redis://127.0.0.1:7000, redis://127.0.0.1:7001')).toEqual({ nodes: [{ host: '127.0.0.1', port: 7000 }, { host: '127.0.0.1', port: 7001 }], username: undefined, password: undefined, tls: false });
    expect(parseSeeds('rediss://u:p%40ss@a.example:6380,b.example')).toEqual({ nodes: [{ host: 'a.example', port: 6380 }, { host: 'b.example', port: 6379 }], username: 'u', password: 'p@ss', tls: true });
  });
  it('refuses an empty list and other schemes', () => {
    expect(() => parseSeeds(' , ')).toThrow(/no seed/);
    expect(() => parseSeeds('http://x:1')).toThrow(/not a redis/);
  });
});
