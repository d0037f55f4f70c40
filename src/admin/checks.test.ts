import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { initialSnapshot } from '../config/snapshot.ts';
import { backendPolicy } from './allow-backends.ts';
import { checkRoute } from './checks.ts';
import { weightProblems } from '../config/weights.ts';
import { expectedVersion } from './preconditions.ts';
import { redact } from './redact.ts';
import { InvalidChange } from '../errors.ts';

const cfg = parseConfig({
  routes: {
    fraud: { models: ['fraud'], variants: [{ name: 'v1', backend: 'http://127.0.0.1:9001', weight: 90 }, { name: 'v2', backend: 'http://127.0.0.1:9002', weight: 10 }] },
    other: { models: ['other'], variants: [{ name: 'a', backend: 'http://127.0.0.1:9003', weight: 100 }] },
  },
});
const snap = initialSnapshot(cfg);
const { policy } = backendPolicy(['127.0.0.0/8']);

describe('admin checks', () => {
  it('lists every weight problem at once', () => {
    const p = weightProblems(cfg.routes.fraud, { v1: 50, v9: 30, v2: 'x' });
    expect(p.map((x) => x.path).sort()).toEqual(['weights.v2', 'weights.v9']);
    const q = weightProblems(cfg.routes.fraud, { v1: 50.001, v9: 30 });
    expect(q.map((x) => x.path).sort()).toEqual(['weights', 'weights.v1', 'weights.v2', 'weights.v9']);
    expect(weightProblems(cfg.routes.fraud, { v1: 75, v2: 25 })).toEqual([]);
    expect(weightProblems(cfg.routes.fraud, [1])).toHaveLength(1);
  });

  it('collects schema, cross-route and allow-list problems together', () => {
    const raw = { models: ['other'], variants: [{ name: 'v1', backend: 'http://10.0.0.1', weight: 60 }] };
    let err: InvalidChange | undefined;
    try {
      checkRoute(snap, 'fraud', raw, policy);
    } catch (e) {
      err = e as InvalidChange;
    }
    expect(err).toBeInstanceOf(InvalidChange);
    const paths = err!.problems.map((p) => p.path);
    expect(paths).toContain('routes.fraud.variants'); // sum
    expect(paths).toContain('routes.fraud.variants[0].backend'); // allow-list
    const ok = { models: ['other'], variants: [{ name: 'v1', backend: 'http://127.0.0.1:1', weight: 100 }] };
    expect(() => checkRoute(snap, 'fraud', ok, policy)).toThrow(/model "other" is already served/);
  });

  it('If-Match: exactly the strong tag', () => {
    expect(expectedVersion('"7"', 7)).toBe(7);
    expect(expectedVersion('"6"', 7)).toBe(6); // the store says 412
    expect(() => expectedVersion(undefined, 7)).toThrow(expect.objectContaining({ status: 428 }));
    expect(() => expectedVersion('*', 7)).toThrow(expect.objectContaining({ status: 428 }));
    expect(() => expectedVersion('W/"7"', 7)).toThrow(expect.objectContaining({ status: 412 }));
    expect(() => expectedVersion('7', 7)).toThrow(expect.objectContaining({ status: 412 }));
  });

  it('redacts secrets but leaves plain URLs as written', () => {
    expect(redact({ backend: 'http://127.0.0.1:9001', api_key: 'k', b: ['http://h/?sig=s'] })).toEqual({ backend: 'http://127.0.0.1:9001', api_key: '[redacted]', b: ['http://h/?sig=redacted'] });
  });
});
