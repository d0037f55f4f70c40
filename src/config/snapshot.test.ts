import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.ts';
import { initialSnapshot, putRoute, rerandomize, setWeights, parseRoute } from './snapshot.ts';
import { decodeRuns, movement } from '../routing/slot-table.ts';
import { InvalidChange } from '../errors.ts';

const file = parseConfig(
  {
    routes: {
      fraud: {
        models: ['fraud'],
        unit: { header: 'x-user-id' },
        variants: [
          { name: 'v1', backend: 'http://127.0.0.1:9001', version: '1', weight: 90 },
          { name: 'v2', backend: 'http://127.0.0.1:9002', version: '2', weight: 10 },
        ],
      },
    },
  },
  'test',
  {},
);

describe('config snapshot transitions', () => {
  it('seeds version 1 with contiguous layouts', () => {
    const s = initialSnapshot(file);
    expect(s.version).toBe(1);
    expect(s.slots.fraud).toEqual([['v1', 9000], ['v2', 1000]]);
    expect(Object.isFrozen(s.routes.fraud)).toBe(true);
  });

  it('a weight change bumps the version and moves only what must move', () => {
    const s0 = initialSnapshot(file);
    const s1 = setWeights(s0, 'fraud', { v1: 75, v2: 25 });
    expect(s1.version).toBe(2);
    expect(movement(decodeRuns(s0.slots.fraud), decodeRuns(s1.slots.fraud)).total).toBeCloseTo(0.15, 12);
  });

  it('reports every problem of a bad weights change and changes nothing', () => {
    const s0 = initialSnapshot(file);
    try {
      setWeights(s0, 'fraud', { v1: 50, v9: 50 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidChange);
      const paths = (e as InvalidChange).problems.map((p) => p.path);
      expect(paths).toContain('weights.v9');
      expect(paths).toContain('weights.v2');
    }
    expect(() => setWeights(s0, 'fraud', { v1: 50.001, v2: 49.999 })).toThrow(InvalidChange);
    expect(() => setWeights(s0, 'fraud', { v1: 60, v2: 30 })).toThrow(/sum to 100/);
  });

  it('re-randomising takes a new salt and lays the table out afresh', () => {
    const s1 = setWeights(initialSnapshot(file), 'fraud', { v1: 50, v2: 50 });
    const s2 = setWeights(s1, 'fraud', { v1: 90, v2: 10 });
    expect(s2.slots.fraud).not.toEqual([['v1', 9000], ['v2', 1000]]);
    const s3 = rerandomize(s2, 'fraud', 'fraud-2');
    expect(s3.slots.fraud).toEqual([['v1', 9000], ['v2', 1000]]);
    expect(s3.routes.fraud.salt).toBe('fraud-2');
  });

  it('rejects a second route that serves the same model', () => {
    const s0 = initialSnapshot(file);
    const r = parseRoute('other', { models: ['fraud'], variants: [{ name: 'a', backend: 'http://127.0.0.1:1', weight: 100 }] });
    expect(() => putRoute(s0, 'other', r)).toThrow(/already served/);
  });
});
