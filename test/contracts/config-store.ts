/**
 * The ConfigStore contract (store.ts), one list of cases run against every implementation
 * (hono's router/common.case.test.ts style): src/config/memory-store.contract.test.ts and
 * src/config/redis-store.contract.test.ts call runConfigStoreContract with their own factory.
 * Not a test file itself; it lives under test/ because it imports vitest (src/ ships without
 * dev dependencies).
 */
import { describe, expect, it } from 'vitest';
import { InvalidChange, VersionMismatch } from '../../src/errors.ts';
import { parseConfig } from '../../src/config/load.ts';
import { initialSnapshot, setWeights, type ConfigSnapshot } from '../../src/config/snapshot.ts';
import type { ConfigStore } from '../../src/config/store.ts';

export const contractFile = parseConfig({
  routes: {
    fraud: {
      models: ['fraud'],
      unit: { header: 'x-user-id' },
      variants: [
        { name: 'v1', backend: 'http://127.0.0.1:9001', weight: 90 },
        { name: 'v2', backend: 'http://127.0.0.1:9002', weight: 10 },
      ],
    },
  },
});

/** A started store seeded with `initial`; the suite stops it. */
export type StoreFactory = (initial: ConfigSnapshot) => Promise<ConfigStore>;

const weights = (s: ConfigStore) => Object.fromEntries(s.current().snapshot.routes.fraud.variants.map((v) => [v.name, v.weight]));

export function runConfigStoreContract(name: string, make: StoreFactory): void {
  describe(`ConfigStore contract: ${name}`, () => {
    const open = async () => make(initialSnapshot(contractFile));

    it('starts at the seeded version and serves it compiled', async () => {
      const s = await open();
      try {
        expect(s.current().version).toBe(1);
        expect(weights(s)).toEqual({ v1: 90, v2: 10 });
        expect(s.healthy()).toBe(true);
      } finally {
        await s.stop();
      }
    });

    it('applies a compare-and-set change as the next version, announced, audited and in the history', async () => {
      const s = await open();
      try {
        const seen: number[] = [];
        s.subscribe((c) => seen.push(c.version));
        const next = await s.update(1, (cur) => setWeights(cur, 'fraud', { v1: 50, v2: 50 }), { actor: 'alice', action: 'weights', route: 'fraud' });
        expect(next.version).toBe(2);
        expect(s.current().version).toBe(2);
        expect(weights(s)).toEqual({ v1: 50, v2: 50 });
        expect(seen).toContain(2);
        expect((await s.audit(1))[0]).toMatchObject({ version: 2, actor: 'alice', action: 'weights', route: 'fraud' });
        expect((await s.history(5)).map((h) => h.version)).toContain(2);
        expect((await s.snapshotAt(1))?.routes.fraud.variants[0].weight).toBe(90);
      } finally {
        await s.stop();
      }
    });

    it('refuses a stale version with VersionMismatch and changes nothing', async () => {
      const s = await open();
      try {
        await s.update(1, (cur) => setWeights(cur, 'fraud', { v1: 80, v2: 20 }), { actor: 'a', action: 'weights' });
        const err = await s.update(1, (cur) => setWeights(cur, 'fraud', { v1: 10, v2: 90 }), { actor: 'b', action: 'weights' }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(VersionMismatch);
        expect(err).toMatchObject({ expected: 1, current: 2, code: 'PRECONDITION_FAILED' });
        expect(weights(s)).toEqual({ v1: 80, v2: 20 });
      } finally {
        await s.stop();
      }
    });

    it('applies on top of the latest version when no version is expected (internal actors)', async () => {
      const s = await open();
      try {
        await s.update(1, (cur) => setWeights(cur, 'fraud', { v1: 70, v2: 30 }), { actor: 'a', action: 'weights' });
        const next = await s.update(undefined, (cur) => setWeights(cur, 'fraud', { v1: 60, v2: 40 }), { actor: 'canary', action: 'canary_step' });
        expect(next.version).toBe(3);
      } finally {
        await s.stop();
      }
    });

    it('keeps the version when the transition throws InvalidChange', async () => {
      const s = await open();
      try {
        const err = await s
          .update(1, () => {
            throw new InvalidChange([{ path: 'weights', message: 'no' }]);
          }, { actor: 'a', action: 'weights' })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(InvalidChange);
        expect(s.current().version).toBe(1);
      } finally {
        await s.stop();
      }
    });
  });
}
