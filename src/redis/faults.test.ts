import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { classifyRedisError, RedisFaults } from './faults.ts';

describe('classifyRedisError', () => {
  it.each([
    ['MOVED 3999 127.0.0.1:7001', 'moved'],
    ['Too many Cluster redirections. Last error: x', 'moved'],
    ["CROSSSLOT Keys in request don't hash to the same slot", 'crossslot'],
    ['All keys in the pipeline should belong to the same slots allocation group', 'crossslot'],
    ['CLUSTERDOWN The cluster is down', 'clusterdown'],
    ['NOSCRIPT No matching script. Please use EVAL.', 'noscript'],
    ['NOAUTH Authentication required.', 'auth'],
    ['WRONGPASS invalid username-password pair or user is disabled.', 'auth'],
    ["OOM command not allowed when used memory > 'maxmemory'.", 'oom'],
    ["READONLY You can't write against a read only replica.", 'readonly'],
    ['Connection is closed.', 'connection'],
    ["Cluster isn't ready and enableOfflineQueue options is false", 'connection'],
    ['ERR wrong number of arguments', 'other'],
  ])('%s -> %s', (message, kind) => {
    expect(classifyRedisError(new Error(message))).toBe(kind);
  });
});

describe('RedisFaults', () => {
  it('counts every kind, pre-binds the labels at zero, and reports only persistent kinds within the window', async () => {
    const registry = new Registry();
    const f = new RedisFaults(registry, ['log'], 1000);
    expect(await registry.metrics()).toMatch(/modelgate_redis_errors_total\{component="log",kind="oom"\} 0/);
    f.record('log', new Error('Connection is closed.'), 10_000);
    f.record('log', new Error('OOM command not allowed'), 10_000);
    f.record('log', new Error('OOM command not allowed'), 10_500);
    const text = await registry.metrics();
    expect(text).toMatch(/modelgate_redis_errors_total\{component="log",kind="oom"\} 2/);
    expect(text).toMatch(/modelgate_redis_errors_total\{component="log",kind="connection"\} 1/);
    expect(f.active(11_000)).toEqual([{ component: 'log', kind: 'oom', message: 'OOM command not allowed', count: 2, last_at: new Date(10_500).toISOString() }]);
    expect(f.active(11_600)).toEqual([]);
  });
});
