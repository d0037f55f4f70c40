/**
 * The config store of a data-plane worker when the replica has no Redis: it serves the
 * snapshots the primary process (which owns the in-memory store and the admin API) sends over
 * IPC. Workers never write: every change goes through the primary's admin API.
 */
import type { ConfigSnapshot } from '../config/snapshot.ts';
import { deepFreeze } from '../config/validate.ts';
import { CompiledHolder, type AuditEntry, type ConfigStore, type HistoryEntry } from '../config/store.ts';

export class FollowerConfigStore implements ConfigStore {
  readonly mode = 'memory' as const;
  private readonly holder: CompiledHolder;
  constructor(initial: ConfigSnapshot) {
    this.holder = new CompiledHolder(initial);
  }
  /** applies a snapshot from the primary if it is newer; returns whether it did */
  offer(snapshot: ConfigSnapshot): boolean {
    return this.holder.offer(deepFreeze(snapshot));
  }
  current() {
    return this.holder.get();
  }
  subscribe(l: Parameters<ConfigStore['subscribe']>[0]) {
    return this.holder.subscribe(l);
  }
  async update(): Promise<ConfigSnapshot> {
    throw new Error('a gateway worker does not change the config: use the admin API of the replica');
  }
  async history(): Promise<HistoryEntry[]> {
    return [];
  }
  async snapshotAt(version: number) {
    const s = this.holder.get().snapshot;
    return s.version === version ? s : undefined;
  }
  async audit(): Promise<AuditEntry[]> {
    return [];
  }
  healthy() {
    return true;
  }
  async start() {}
  async stop() {}
}
