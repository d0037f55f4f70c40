import { describe, expect, it } from 'vitest';
import { initialSnapshot, setWeights } from '../config/snapshot.ts';
import { parseConfig } from '../config/load.ts';
import { FollowerConfigStore } from './follower-store.ts';

const cfg = parseConfig({ routes: { fraud: { models: ['fraud'], variants: [{ name: 'a', backend: 'http://127.0.0.1:1', weight: 50 }, { name: 'b', backend: 'http://127.0.0.1:2', weight: 50 }] } } }, 'test', {});

describe('FollowerConfigStore', () => {
  it('serves newer snapshots from the primary, tells its listeners, and ignores stale ones', () => {
    const first = initialSnapshot(cfg);
    const store = new FollowerConfigStore(first);
    const seen: number[] = [];
    store.subscribe((c) => seen.push(c.version));
    // as it arrives over IPC: a plain (structured-cloned) object
    const next = structuredClone({ ...setWeights(first, 'fraud', { a: 0, b: 100 }), version: first.version + 1 });
    expect(store.offer(next)).toBe(true);
    expect(store.current().version).toBe(first.version + 1);
    expect(Object.isFrozen(store.current().snapshot.routes.fraud)).toBe(true);
    expect(store.offer(structuredClone(first))).toBe(false);
    expect(seen).toEqual([first.version + 1]);
  });

  it('never writes: changes go through the primary', async () => {
    const store = new FollowerConfigStore(initialSnapshot(cfg));
    await expect(store.update()).rejects.toThrow(/admin API/);
  });
});
