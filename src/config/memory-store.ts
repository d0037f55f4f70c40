/** The single-process store: used without Redis. Changes live in memory only. */
import { diffRoutes, unchanged } from './diff.ts';
import type { ConfigSnapshot } from './snapshot.ts';
import { CompiledHolder, type AuditEntry, type ChangeMeta, type ConfigStore, type HistoryEntry, type Transition } from './store.ts';
import { VersionMismatch } from '../errors.ts';

export class MemoryConfigStore implements ConfigStore {
  readonly mode = 'memory' as const;
  private readonly holder: CompiledHolder;
  private readonly snapshots: ConfigSnapshot[] = [];
  private readonly log: AuditEntry[] = [];
  constructor(initial: ConfigSnapshot, private readonly keep = 100) {
    this.holder = new CompiledHolder(initial);
    this.snapshots.push(initial);
    this.log.push({ version: initial.version, ts: Date.now(), actor: 'seed', action: 'seed' });
  }
  current() {
    return this.holder.get();
  }
  subscribe(l: Parameters<ConfigStore['subscribe']>[0]) {
    return this.holder.subscribe(l);
  }
  async update(expected: number | undefined, change: Transition, meta: ChangeMeta): Promise<ConfigSnapshot> {
    const cur = this.holder.get().snapshot;
    if (expected !== undefined && expected !== cur.version) throw new VersionMismatch(expected, cur.version);
    const proposed = change(cur);
    if (unchanged(cur, proposed)) return cur;
    const next = { ...proposed, version: cur.version + 1 };
    Object.freeze(next);
    this.holder.offer(next);
    this.snapshots.push(next);
    if (this.snapshots.length > this.keep) this.snapshots.shift();
    this.log.push({ version: next.version, ts: Date.now(), ...meta, diff: diffRoutes(cur.routes, next.routes) });
    if (this.log.length > this.keep * 10) this.log.shift();
    return next;
  }
  async history(limit = 100): Promise<HistoryEntry[]> {
    return this.log.slice(-limit).reverse().map(({ version, ts, actor, action, route }) => ({ version, ts, actor, action, route }));
  }
  async snapshotAt(version: number) {
    return this.snapshots.find((s) => s.version === version);
  }
  async audit(limit = 100) {
    return this.log.slice(-limit).reverse();
  }
  healthy() {
    return true;
  }
  async start() {}
  async stop() {}
}
