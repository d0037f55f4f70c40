/**
 * The versioned config store every replica reads from. Implementations: MemoryConfigStore
 * (single process, no Redis) and RedisConfigStore (shared; compare-and-set on the version,
 * pub/sub + polling for propagation). Writers pass a pure transition (snapshot.ts).
 */
import type { ConfigSnapshot } from './snapshot.ts';
import { compileConfig, type CompiledConfig } from '../routing/compile.ts';

export interface AuditEntry {
  /** version the change produced */
  version: number;
  /** ms since the epoch */
  ts: number;
  /** token name, or `canary`, `experiment`, `seed`, ... */
  actor: string;
  /** e.g. `weights`, `put_route`, `restore` */
  action: string;
  route?: string;
  /** what changed: a JSON diff of the route configs */
  diff?: unknown;
}

export interface HistoryEntry {
  version: number;
  ts: number;
  actor: string;
  action: string;
  route?: string;
}

export interface ChangeMeta {
  actor: string;
  action: string;
  route?: string;
}

export type Transition = (current: ConfigSnapshot) => ConfigSnapshot;

export interface ConfigStore {
  readonly mode: 'memory' | 'redis';
  /** the compiled config this process serves now (cheap: cached per version) */
  current(): CompiledConfig;
  /** called with each newly applied version */
  subscribe(listener: (c: CompiledConfig) => void): () => void;
  /**
   * Compare-and-set: applies `change` to the snapshot at `expectedVersion` (or the latest
   * when undefined, for internal actors that retry), atomically. Throws VersionMismatch when
   * stale, InvalidChange when the transition rejects it. A transition that changes nothing
   * (diff.ts `unchanged`: same routes, same slots) writes nothing: the answer is the current
   * snapshot, its version not raised, no history or audit entry (see `wasUnchanged`).
   */
  update(expectedVersion: number | undefined, change: Transition, meta: ChangeMeta): Promise<ConfigSnapshot>;
  history(limit?: number): Promise<HistoryEntry[]>;
  /** a past snapshot, or undefined if not kept */
  snapshotAt(version: number): Promise<ConfigSnapshot | undefined>;
  audit(limit?: number): Promise<AuditEntry[]>;
  /** whether the shared store is reachable (always true in memory) */
  healthy(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Holds the compiled form of the newest snapshot and notifies listeners on change. */
export class CompiledHolder {
  private compiled: CompiledConfig;
  private readonly listeners = new Set<(c: CompiledConfig) => void>();
  constructor(initial: ConfigSnapshot) {
    this.compiled = compileConfig(initial);
  }
  get(): CompiledConfig {
    return this.compiled;
  }
  /** applies a snapshot if newer; returns whether it did */
  offer(snapshot: ConfigSnapshot): boolean {
    if (snapshot.version <= this.compiled.version) return false;
    this.compiled = compileConfig(snapshot);
    for (const l of this.listeners) l(this.compiled);
    return true;
  }
  subscribe(l: (c: CompiledConfig) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

/** Whether `update` answered without writing: its snapshot has the version the write was based on. */
export const wasUnchanged = (before: Pick<ConfigSnapshot, 'version'> | undefined, after: Pick<ConfigSnapshot, 'version'>): boolean =>
  before !== undefined && before.version === after.version;
