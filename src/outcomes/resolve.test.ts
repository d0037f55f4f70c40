import { describe, expect, it } from 'vitest';
import { initialSnapshot } from '../config/snapshot.ts';
import { parseConfig } from '../config/load.ts';
import { hmacUnit, unitEncoder } from '../predictions/unit-hash.ts';
import { compileConfig } from '../routing/compile.ts';
import { parseOutcomes } from './outcome-schema.ts';
import { resolveOutcomes } from './resolve.ts';

const route = (models: string[]) => ({ models, variants: [{ name: 'v1', backend: 'http://127.0.0.1:9', weight: 100 }] });
const compiled = (routes: Record<string, unknown>) => compileConfig(initialSnapshot(parseConfig({ routes }, 'test', {})));
const key = 'k3y';
const enc = unitEncoder('hmac', key).encode;

function resolve(body: unknown, config = compiled({ fraud: route(['fraud']) }), encodeUnit: ((u: string) => string) | null = enc) {
  const p = parseOutcomes(body);
  if (!p.ok) throw new Error('invalid');
  return resolveOutcomes(p.outcomes, { config, encodeUnit: encodeUnit ?? undefined, now: 1000 }, p.batch);
}

const fields = (f: string[]) => Object.fromEntries(f.flatMap((x, i) => (i % 2 ? [] : [[x, f[i + 1]]])));

describe('resolveOutcomes', () => {
  it('uses the only route when none is named, and keeps the request id', () => {
    const r = resolve({ request_id: 'r1', metric: 'converted', value: 1, id: 'o1', ts: 5 });
    expect(r.ok && r.entries[0].route).toBe('fraud');
    expect(r.ok && fields(r.entries[0].fields)).toEqual({ v: '1', ts: '1000', route: 'fraud', metric: 'converted', value: '1', rid: 'r1', id: 'o1', ets: '5' });
  });

  it('hashes units as the prediction log does (UTF-8 bytes; numbers as JSON text)', () => {
    const r = resolve({ outcomes: [{ unit: 'zoë', metric: 'm' }, { unit: 42, metric: 'm' }] });
    if (!r.ok) throw new Error('expected ok');
    expect(fields(r.entries[0].fields).unit).toBe(hmacUnit(Buffer.from(key), Buffer.from('zoë', 'utf8').toString('latin1')));
    expect(fields(r.entries[1].fields).unit).toBe(hmacUnit(Buffer.from(key), '42'));
  });

  it('picks the route by route or model, and reports unknown or ambiguous ones', () => {
    const two = compiled({ fraud: route(['fraud']), churn: route(['churn', 'churn-v2']) });
    const ok = resolve({ outcomes: [{ request_id: 'a', metric: 'm', model: 'churn-v2' }, { request_id: 'b', metric: 'm', route: 'fraud' }] }, two);
    expect(ok.ok && ok.entries.map((e) => e.route)).toEqual(['churn', 'fraud']);
    const bad = resolve({ outcomes: [{ request_id: 'a', metric: 'm' }, { request_id: 'b', metric: 'm', route: 'nope' }, { request_id: 'c', metric: 'm', model: 'nope' }, { request_id: 'd', metric: 'm', route: 'fraud', model: 'churn' }] }, two);
    expect(bad.ok ? [] : bad.problems.map((p) => p.path)).toEqual(['outcomes[0].route', 'outcomes[1].route', 'outcomes[2].model', 'outcomes[3].route']);
  });

  it('refuses unit outcomes when the log omits units', () => {
    const r = resolve({ unit: 'u', metric: 'm' }, undefined, null);
    expect(r.ok).toBe(false);
  });

  it('writes labels with the prediction time and instance, checked against the route task', () => {
    const r = resolve({ outcomes: [{ request_id: 'r1', label: 1 }, { unit: 'u', ts: 77, label: 0, index: 3, id: 'L' }] });
    if (!r.ok) throw new Error('expected ok');
    expect(fields(r.entries[0].fields)).toEqual({ v: '1', ts: '1000', route: 'fraud', label: '1', rid: 'r1' });
    expect(fields(r.entries[1].fields)).toEqual({ v: '1', ts: '1000', route: 'fraud', label: '0', pts: '77', idx: '3', unit: enc('u'), id: 'L' });
    const bad = resolve({ request_id: 'r1', label: 0.5 });
    expect(bad.ok ? [] : bad.problems).toEqual([{ path: 'label', message: expect.stringMatching(/0 or 1/) }]);
    const reg = compiled({ price: { ...route(['price']), performance: { task: 'regression' } } });
    expect(resolve({ request_id: 'r1', label: 0.5 }, reg).ok).toBe(true);
  });
});
