import { describe, expect, it } from 'vitest';
import { toEntry, type EntryContext } from './entry.ts';
import { fieldsOf, testEvent, testRoute } from '../../test/helpers/predictions.ts';
import { unitEncoder } from './unit-hash.ts';

const ctx = (over: Partial<EntryContext> = {}): EntryContext => ({ keyPrefix: 'mg:predictions:', maxlen: '1000', maxEntryBytes: 65_536, unit: unitEncoder('hmac', 'k').encode, ...over });
const route = testRoute('fraud', { features: ['amount', 'risk'] });

function decode(args: string[]) {
  expect(args.slice(0, 5)).toEqual(['mg:predictions:fraud', 'MAXLEN', '~', '1000', '*']);
  return fieldsOf(args.slice(5));
}

describe('toEntry', () => {
  it('writes every DESIGN.md field as a string', () => {
    const e = toEntry(testEvent(route), ctx());
    const f = decode(e.args);
    expect(f).toEqual({
      v: '1',
      ts: '1700000000123',
      rid: 'req-1',
      route: 'fraud',
      variant: 'v1',
      version: '1.4.2',
      role: 'live',
      assign: 'hash',
      unit: unitEncoder('hmac', 'k').encode('user-42'),
      bucket: '1234',
      status: '200',
      latency_ms: '1.235',
      features: '[{"amount":0.3,"risk":12}]',
      prediction: '[0.91]',
      cfg: '7',
    });
    expect(e.args.every((a) => typeof a === 'string')).toBe(true);
    expect(e.bytes).toBe(e.args.slice(5).reduce((s, a) => s + Buffer.byteLength(a), 0));
  });

  it('empty bucket and unit without a unit; error present only on errors; empty prediction without a body', () => {
    const f = decode(toEntry(testEvent(route, { unit: null, bucket: -1, assign: 'random', status: 504, error: 'UPSTREAM_TIMEOUT', response: undefined, latencyMs: 30000 }), ctx()).args);
    expect(f.unit).toBe('');
    expect(f.bucket).toBe('');
    expect(f.assign).toBe('random');
    expect(f.error).toBe('UPSTREAM_TIMEOUT');
    expect(f.status).toBe('504');
    expect(f.latency_ms).toBe('30000.000');
    expect(f.prediction).toBe('[]');
    expect(f.features).toBe('[{"amount":0.3,"risk":12}]');
    expect('error' in decode(toEntry(testEvent(route), ctx()).args)).toBe(false);
  });

  it('reads V2 bodies and survives a body that is not JSON', () => {
    const ev = testEvent(route, {
      protocol: 'v2',
      role: 'shadow',
      request: { inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [1, 2] }] },
      response: Buffer.from('{"outputs":[{"name":"score","shape":[1,1],"data":[0.25]}]}'),
    });
    const f = decode(toEntry(ev, ctx()).args);
    expect(f.features).toBe('[{"x_0":1,"x_1":2}]');
    expect(f.prediction).toBe('[0.25]');
    expect(f.role).toBe('shadow');
    expect(decode(toEntry(testEvent(route, { response: Buffer.from('<html>') }), ctx()).args).prediction).toBe('[]');
  });

  it('cuts features and prediction to the leading instances that fit, aligned, and marks it', () => {
    const n = 500;
    const ev = testEvent(route, {
      request: { instances: Array.from({ length: n }, (_, i) => [i, i * 2]) },
      response: Buffer.from(JSON.stringify({ predictions: Array.from({ length: n }, (_, i) => i / n) })),
    });
    const e = toEntry(ev, ctx({ maxEntryBytes: 2048 }));
    expect(e.bytes).toBeLessThanOrEqual(2048);
    const f = decode(e.args);
    const feats = JSON.parse(f.features);
    const preds = JSON.parse(f.prediction);
    expect(feats.length).toBe(preds.length);
    expect(feats.length).toBeGreaterThan(10);
    expect(f.truncated).toBe(`instances:${feats.length}/${n}`);
    expect(feats[3]).toEqual({ amount: 3, risk: 6 });
    expect(e.bytes).toBe(e.args.slice(5).reduce((s, a) => s + Buffer.byteLength(a), 0));
  });

  it('an instance too big on its own leaves empty lists; long ids are cut and marked', () => {
    const ev = testEvent(route, { rid: 'r'.repeat(500), request: { instances: [{ blob: 'x'.repeat(5000) }] } });
    const e = toEntry(ev, ctx({ maxEntryBytes: 1024 }));
    const f = decode(e.args);
    expect(f.features).toBe('[]');
    expect(f.prediction).toBe('[]');
    expect(f.rid).toHaveLength(128);
    expect(f.truncated).toBe('instances:0/1,rid');
    expect(e.bytes).toBeLessThanOrEqual(1024);
  });

  it('writes the unit as configured', () => {
    expect(decode(toEntry(testEvent(route), ctx({ unit: unitEncoder('raw', undefined).encode })).args).unit).toBe('user-42');
    expect(decode(toEntry(testEvent(route), ctx({ unit: unitEncoder('omit', undefined).encode })).args).unit).toBe('');
  });

  it('keeps at most maxFeatures features per instance and marks it (a 250,000-value instance)', () => {
    const ev = testEvent(route, { request: { instances: [Array(250_000).fill(1), [1, 2]] }, response: Buffer.from('{"predictions":[0.5,0.25]}') });
    const e = toEntry(ev, ctx({ maxFeatures: 256 }));
    const f = decode(e.args);
    const feats = JSON.parse(f.features);
    expect(Object.keys(feats[0])).toHaveLength(256);
    expect(feats[0].f255).toBe(1);
    expect(feats[1]).toEqual({ amount: 1, risk: 2 });
    expect(f.prediction).toBe('[0.5,0.25]');
    expect(f.truncated).toBe('features:256/250000');
    expect(e.cuts).toEqual(['features']);
    expect(e.bytes).toBeLessThanOrEqual(65_536);
    // object instances and V2 tensors are capped the same way
    const wide = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(JSON.parse(decode(toEntry(testEvent(route, { request: { instances: [wide] } }), ctx({ maxFeatures: 10 })).args).features)[0])).toEqual(Array.from({ length: 10 }, (_, i) => `k${i}`));
    const v2 = testEvent(route, { protocol: 'v2', request: { inputs: [{ name: 'x', shape: [1, 5000], data: Array(5000).fill(2) }] }, response: undefined });
    const g = decode(toEntry(v2, ctx({ maxFeatures: 3 })).args);
    expect(g.features).toBe('[{"x_0":2,"x_1":2,"x_2":2}]');
    expect(g.truncated).toBe('features:3/5000');
  });

  it('a backend answer nested 10,000 deep is not parsed: prediction [] and marked, never a throw', () => {
    const deep = `{"predictions":${'['.repeat(10_000)}1${']'.repeat(10_000)}}`;
    const e = toEntry(testEvent(route, { response: Buffer.from(deep) }), ctx({ maxDepth: 64 }));
    const f = decode(e.args);
    expect(f.prediction).toBe('[]');
    expect(f.features).toBe('[{"amount":0.3,"risk":12}]');
    expect(f.truncated).toBe('prediction:depth');
    expect(e.cuts).toEqual(['depth']);
    // depth within the limit is logged as it is
    expect(decode(toEntry(testEvent(route, { response: Buffer.from('{"predictions":[[[0.5]]]}') }), ctx({ maxDepth: 64 })).args).prediction).toBe('[[[0.5]]]');
  });

  it('a request nested 10,000 deep (depth limit raised) costs a bounded walk, never a throw', () => {
    let deep: unknown = [1];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const e = toEntry(testEvent(route, { request: { instances: [[deep]] } }), ctx({ maxEntryBytes: 4096 }));
    const f = decode(e.args);
    expect(f.features).toBe('[]');
    expect(f.truncated).toBe('instances:0/1');
    expect(e.bytes).toBeLessThanOrEqual(4096);
  });
});
