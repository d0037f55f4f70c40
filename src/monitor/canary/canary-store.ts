/**
 * `<prefix>:canary:<route>`: the plan and its state, one JSON document (state.ts). Every
 * write is a compare-and-set on the document's `rev` (JsonDocStore.saveIf), so the admin API
 * and the controller never overwrite each other's changes: the loser reloads and decides again.
 */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import { JsonDocStore } from '../../redis/json-doc-store.ts';
import { canaryKey } from '../../redis/keys.ts';
import type { CanaryDoc } from './state.ts';

export class CanaryStore {
  private readonly docs: JsonDocStore<CanaryDoc>;
  constructor(redis: Redis, prefix: string) {
    this.docs = new JsonDocStore(redis, (route) => canaryKey(prefix, route));
  }

  load(route: string): Promise<CanaryDoc | null> {
    return this.docs.load(route);
  }

  /** Writes `doc` if the stored rev is still `expectedRev` (-1: no doc); returns the stored doc or null. */
  async save(doc: CanaryDoc, expectedRev: number): Promise<CanaryDoc | null> {
    const next = { ...doc, rev: expectedRev + 1 };
    return (await this.docs.saveIf(doc.route, 'rev', expectedRev, next)) ? next : null;
  }

  remove(route: string, expectedRev: number): Promise<boolean> {
    return this.docs.saveIf(route, 'rev', expectedRev, null);
  }
}
