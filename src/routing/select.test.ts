import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { initialSnapshot, setWeights } from '../config/snapshot.ts';
import { compileConfig } from './compile.ts';
import { select } from './select.ts';
import { utf8Binary } from './hash.ts';

const file = parseConfig(
  {
    routes: {
      fraud: {
        models: ['fraud'],
        unit: { header: 'x-user-id' },
        variants: [
          { name: 'v1', backend: 'http://127.0.0.1:9001', weight: 70 },
          { name: 'v2', backend: 'http://127.0.0.1:9002', weight: 20 },
          { name: 'v3', backend: 'http://127.0.0.1:9003', weight: 10 },
        ],
        shadows: [{ name: 's', backend: 'http://127.0.0.1:9004', percent: 25 }],
      },
    },
  },
  't',
  {},
);
const Z999 = 3.2905267314919255; // normal quantile at 0.9995: two-sided 99.9 %
const units = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);

describe('select()', () => {
  const s0 = initialSnapshot(file);
  const route = compileConfig(s0).routes.get('fraud')!;

  it('is sticky: the same unit always gets the same variant', () => {
    for (const u of units.slice(0, 200)) {
      const a = select(route, utf8Binary(u), null, 10_000);
      const b = select(compileConfig(s0).routes.get('fraud')!, utf8Binary(u), null, 10_000);
      expect(b.variant.name).toBe(a.variant.name);
      expect(a.assign).toBe('hash');
    }
  });

  it('splits 10,000 units inside each variant\'s 99.9 % binomial interval', () => {
    const counts: Record<string, number> = {};
    for (const u of units) {
      const d = select(route, utf8Binary(u), null, 10_000);
      counts[d.variant.name] = (counts[d.variant.name] ?? 0) + 1;
    }
    for (const [name, p] of [['v1', 0.7], ['v2', 0.2], ['v3', 0.1]] as const) {
      const half = Z999 * Math.sqrt(units.length * p * (1 - p));
      expect(Math.abs(counts[name] - units.length * p), name).toBeLessThanOrEqual(half);
    }
  });

  it('shadows a deterministic ~25 % of units', () => {
    const n = units.filter((u) => select(route, utf8Binary(u), null, 10_000).shadows.length === 1).length;
    const half = Z999 * Math.sqrt(units.length * 0.25 * 0.75);
    expect(Math.abs(n - 2500)).toBeLessThanOrEqual(half);
    expect(select(route, utf8Binary('user-1'), null, 10_000).shadows).toEqual(select(route, utf8Binary('user-1'), null, 10_000).shadows);
  });

  it('moves exactly the units that must move when weights change (three-way)', () => {
    const s1 = setWeights(s0, 'fraud', { v1: 50, v2: 30, v3: 20 });
    const r1 = compileConfig(s1).routes.get('fraud')!;
    let moved = 0;
    const buckets = new Set<number>();
    for (const u of units) {
      const a = select(route, utf8Binary(u), null, 10_000);
      const b = select(r1, utf8Binary(u), null, 10_000);
      buckets.add(a.bucket);
      if (a.variant.name !== b.variant.name) {
        moved++;
        expect(a.variant.name).toBe('v1'); // only the shrinking variant loses users
      }
    }
    // expected share moved: 0.10 + 0.10 = 0.2 of slots; over units, a binomial around it
    const half = Z999 * Math.sqrt(units.length * 0.2 * 0.8);
    expect(Math.abs(moved - 2000)).toBeLessThanOrEqual(half);
  });

  it('forced and random assignments are marked', () => {
    const forced = select(route, utf8Binary('u'), route.variantByName.get('v3')!, 10_000);
    expect(forced.variant.name).toBe('v3');
    expect(forced.assign).toBe('forced');
    const r = select(route, null, null, 10_000, () => 0.95);
    expect(r.assign).toBe('random');
    expect(r.bucket).toBe(-1);
    expect(r.variant.name).toBe('v3');
  });

  it('log sampling is deterministic per unit', () => {
    const logged = units.filter((u) => select(route, utf8Binary(u), null, 5000).logged).length;
    expect(Math.abs(logged - 5000)).toBeLessThanOrEqual(Z999 * Math.sqrt(10_000 * 0.25));
    expect(select(route, utf8Binary('x'), null, 0).logged).toBe(false);
    expect(select(route, utf8Binary('x'), null, 10_000).logged).toBe(true);
  });
});
