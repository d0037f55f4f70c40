import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.ts';
import { MemoryConfigStore } from './memory-store.ts';
import { initialSnapshot } from './snapshot.ts';
import { changeWeights } from './weights.ts';
import { InvalidChange } from '../errors.ts';

const cfg = parseConfig({
  routes: { r: { models: ['m'], variants: [{ name: 'stable', backend: 'http://127.0.0.1:1', weight: 95 }, { name: 'canary', backend: 'http://127.0.0.1:2', weight: 5 }] } },
});

describe('changeWeights (internal actors)', () => {
  it('changes weights on top of the latest version, recorded under the actor', async () => {
    const store = new MemoryConfigStore(initialSnapshot(cfg));
    const next = await changeWeights(store, { route: 'r', weights: { stable: 75, canary: 25 }, actor: 'canary' });
    expect(next.version).toBe(2);
    expect((await store.audit(1))[0]).toMatchObject({ actor: 'canary', action: 'weights', route: 'r' });
  });

  it('rejects invalid weights with every problem and changes nothing', async () => {
    const store = new MemoryConfigStore(initialSnapshot(cfg));
    const err = await changeWeights(store, { route: 'r', weights: { stable: 75, other: 30 }, actor: 'canary' }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidChange);
    expect((err as InvalidChange).problems.map((p) => p.path).sort()).toEqual(['weights', 'weights.canary', 'weights.other']);
    expect(store.current().version).toBe(1);
    await expect(changeWeights(store, { route: 'nope', weights: {}, actor: 'x' })).rejects.toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    await expect(changeWeights(store, { route: 'r', weights: { stable: 50, canary: 50 }, actor: 'x', expectedVersion: 7 })).rejects.toThrow(/version is 1/);
  });

  it('skips a change to the weights the route already has (idempotent retries)', async () => {
    const store = new MemoryConfigStore(initialSnapshot(cfg));
    expect(await changeWeights(store, { route: 'r', weights: (r) => Object.fromEntries(r.variants.map((v) => [v.name, v.weight])), actor: 'canary', skipUnchanged: true })).toEqual({ version: 1, changed: false });
    expect(await changeWeights(store, { route: 'r', weights: { stable: 90, canary: 10 }, actor: 'canary', skipUnchanged: true })).toEqual({ version: 2, changed: true });
  });
});
