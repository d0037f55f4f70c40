/**
 * The shared, versioned config store (DESIGN.md "Redis keys"):
 *   {<prefix>}:config          hash { version, snapshot }        (compare-and-set by a Lua script)
 *   {<prefix>}:config:history  sorted set, score = version, the last `keep` snapshots
 *   {<prefix>}:audit           stream: version, ts, actor, action, route, diff
 *   <prefix>:config:events     pub/sub channel: the new version
 *   <prefix>:replicas:<id>     this replica's heartbeat (TTL)
 * One hash tag for the three config keys, so the scripts touch one cluster slot.
 * On Redis Cluster the events are cluster-wide PUBLISH (from the script; the channel has no
 * hash tag and must keep its name), received by the Cluster client's own subscriber
 * connection, which moves to another node when its node goes away; the poll is the fallback.
 *
 * Propagation: pub/sub, and a poll of the version every `pollMs` catches a missed message.
 * Versions in Redis never go down: when Redis comes back empty (or behind this replica),
 * the newest version this replica holds is written back.
 */
import { hostname } from 'node:os';
import type { RedisClient as Redis } from '../redis/connect.ts';
import { ModelgateError, VersionMismatch } from '../errors.ts';
import { compileConfig, type CompiledConfig } from '../routing/compile.ts';
import type { Logger } from '../telemetry/logger.ts';
import { connectRedis, whenReady } from '../redis/connect.ts';
import type { RedisFaults } from '../redis/faults.ts';
import { diffRoutes, unchanged } from './diff.ts';
import { routesSchema } from './schema.ts';
import type { ConfigSnapshot } from './snapshot.ts';
import { type AuditEntry, type ChangeMeta, type ConfigStore, type HistoryEntry, type Transition } from './store.ts';
import { deepFreeze, validate } from './validate.ts';
import { warnIfFileDiffers } from './file-vs-redis-warning.ts';
import { configKeys } from '../redis/keys.ts';

export interface RedisStoreOptions {
  /** one URL, or with `cluster` comma-separated seed URLs */
  url: string;
  cluster?: boolean;
  /** counts failed commands (components `config` and `config-events`) */
  faults?: RedisFaults;
  prefix: string;
  replicaId: string;
  logger: Logger;
  pollMs?: number;
  connectTimeoutMs?: number;
  /** snapshots kept in history */
  keep?: number;
  auditMaxlen?: number;
  heartbeatMs?: number;
  /** false for processes that read and change config but serve no traffic (the monitor) */
  heartbeat?: boolean;
}

export { configKeys };

/**
 * KEYS: config, history, audit. ARGV: mode ('cas' | 'restore'), expected (cas: the version
 * the change was made on; restore: write only while Redis holds less than this), new version,
 * snapshot JSON, history entry JSON, keep, audit maxlen, channel, ts, actor, action, route, diff.
 * Returns { 1, version } on success, { 0, current version or -1 when empty }.
 */
const WRITE_SCRIPT = `
local cur = redis.call('HGET', KEYS[1], 'version')
local curN = -1
if cur then curN = tonumber(cur) end
if ARGV[1] == 'cas' then
  if curN ~= tonumber(ARGV[2]) then return {0, curN} end
else
  if curN >= tonumber(ARGV[3]) then return {0, curN} end
end
redis.call('HSET', KEYS[1], 'version', ARGV[3], 'snapshot', ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], ARGV[3], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[5])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[6]) + 1))
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[7], '*', 'version', ARGV[3], 'ts', ARGV[9], 'actor', ARGV[10], 'action', ARGV[11], 'route', ARGV[12], 'diff', ARGV[13])
redis.call('PUBLISH', ARGV[8], ARGV[3])
return {1, tonumber(ARGV[3])}
`;

interface StoredHistory extends HistoryEntry {
  snapshot: ConfigSnapshot;
}

/** Parses and checks a snapshot read from Redis; throws on anything malformed. */
export function parseStoredSnapshot(json: string): ConfigSnapshot {
  const raw = JSON.parse(json) as ConfigSnapshot;
  if (!raw || !Number.isInteger(raw.version) || raw.version < 1 || typeof raw.slots !== 'object') throw new Error('not a config snapshot');
  const r = validate(routesSchema, raw.routes, ['routes']);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return deepFreeze({ version: raw.version, routes: r.value, slots: raw.slots });
}

export class RedisConfigStore implements ConfigStore {
  readonly mode = 'redis' as const;
  private compiled: CompiledConfig;
  /** true while the served config is the file's, never confirmed by Redis */
  private fromFile = true;
  private readonly listeners = new Set<(c: CompiledConfig) => void>();
  private readonly keys: ReturnType<typeof configKeys>;
  private cmd?: Redis;
  private sub?: Redis;
  private timers: NodeJS.Timeout[] = [];
  private syncing?: Promise<void>;
  private again = false;
  private lastOk = 0;
  private started = false;
  private readonly pollMs: number;
  private beatFailing = false;

  constructor(seed: ConfigSnapshot, private readonly o: RedisStoreOptions) {
    this.compiled = compileConfig(seed);
    this.keys = configKeys(o.prefix);
    this.pollMs = o.pollMs ?? 500;
  }

  current(): CompiledConfig {
    return this.compiled;
  }

  subscribe(l: (c: CompiledConfig) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  healthy(): boolean {
    return this.cmd?.status === 'ready' && Date.now() - this.lastOk < Math.max(3 * this.pollMs, 2000);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { url, cluster, faults, connectTimeoutMs, replicaId } = this.o;
    this.cmd = connectRedis({ url, cluster, faults, component: 'config', connectTimeoutMs, name: `modelgate-config-${replicaId}` });
    // a Cluster client subscribes on a connection of its own (and resubscribes on a new node)
    this.sub = cluster ? this.cmd : connectRedis({ url, faults, component: 'config-events', connectTimeoutMs, name: `modelgate-events-${replicaId}` }, { autoResubscribe: false });
    this.cmd.on('ready', () => void this.sync());
    this.sub.on('ready', () => {
      this.sub?.subscribe(this.keys.events).catch((e: Error) => this.o.logger.warn({ err: e.message }, 'config events: subscribe failed'));
      void this.sync(); // a message may have been missed while disconnected
    });
    this.sub.on('message', (_channel: string, message: string) => {
      if (Number(message) > this.compiled.version) void this.sync();
    });
    this.timers.push(setInterval(() => void this.sync(), this.pollMs).unref());
    if (this.o.heartbeat !== false) this.timers.push(setInterval(() => void this.heartbeat(), this.o.heartbeatMs ?? 1000).unref());
    try {
      await whenReady(this.cmd, connectTimeoutMs ?? 2000);
      await this.sync();
      if (this.o.heartbeat !== false) await this.heartbeat();
    } catch (e) {
      this.o.logger.warn({ err: (e as Error).message }, 'redis unreachable at start: serving the config file; retrying');
    }
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.syncing?.catch(() => {});
    if (this.o.heartbeat !== false && this.cmd?.status === 'ready') await this.cmd.del(this.keys.replica(this.o.replicaId)).catch(() => {});
    await Promise.all([...new Set([this.cmd, this.sub])].map((c) => c?.quit().catch(() => c.disconnect())));
  }

  /** Reconciles with Redis once (coalesced): load a newer version, or write ours back. */
  sync(): Promise<void> {
    if (this.syncing) {
      this.again = true; // a version announced mid-read must not wait for the next poll
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.again = false;
        await this.reconcile().catch((e: Error) => this.o.logger.debug({ err: e.message }, 'config sync failed'));
      } while (this.again && this.started);
    })().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async reconcile(): Promise<void> {
    const cmd = this.ready();
    const v = await cmd.hget(this.keys.config, 'version');
    this.lastOk = Date.now();
    const remote = v === null ? -1 : Number(v);
    const local = this.compiled.version;
    if (remote > local || (remote === local && this.fromFile)) {
      await this.load(cmd);
    } else if (remote < local) {
      await this.writeBack(cmd, remote);
    }
  }

  private async load(cmd: Redis): Promise<void> {
    const json = await cmd.hget(this.keys.config, 'snapshot');
    if (json === null) return;
    try {
      const stored = parseStoredSnapshot(json);
      if (this.fromFile) warnIfFileDiffers(this.o.logger, this.compiled.snapshot.routes, stored);
      this.apply(stored, true);
    } catch (e) {
      this.o.logger.error({ err: (e as Error).message }, 'config in redis is invalid; keeping the last good version');
    }
  }

  private async writeBack(cmd: Redis, remote: number): Promise<void> {
    const snap = this.compiled.snapshot;
    const meta = { actor: `replica:${this.o.replicaId}`, action: this.fromFile ? 'seed' : 'write_back' };
    const [ok] = await this.runWrite(cmd, 'restore', snap.version, snap, meta, []);
    if (ok === 1) {
      this.fromFile = false;
      this.o.logger.warn({ version: snap.version, redisVersion: remote }, meta.action === 'seed' ? 'config file seeded redis' : 'redis was empty or behind: config written back');
    } else {
      await this.load(cmd);
    }
  }

  private runWrite(cmd: Redis, mode: 'cas' | 'restore', expected: number, next: ConfigSnapshot, meta: ChangeMeta, diff: unknown): Promise<[number, number]> {
    const ts = Date.now();
    const entry: StoredHistory = { version: next.version, ts, actor: meta.actor, action: meta.action, route: meta.route, snapshot: next };
    const k = this.keys;
    return cmd.eval(WRITE_SCRIPT, 3, k.config, k.history, k.audit, mode, expected, next.version, JSON.stringify(next), JSON.stringify(entry),
      this.o.keep ?? 100, this.o.auditMaxlen ?? 10_000, k.events, ts, meta.actor, meta.action, meta.route ?? '', JSON.stringify(diff)) as Promise<[number, number]>;
  }

  private apply(snapshot: ConfigSnapshot, fromRedis: boolean): void {
    const force = this.fromFile && fromRedis;
    if (snapshot.version < this.compiled.version || (snapshot.version === this.compiled.version && !force)) return;
    this.compiled = compileConfig(snapshot);
    if (fromRedis) this.fromFile = false;
    for (const l of this.listeners) {
      try {
        l(this.compiled);
      } catch (e) {
        this.o.logger.error({ err: (e as Error).message, version: snapshot.version }, 'config listener failed');
      }
    }
  }

  /** a Redis command's failure as the store's 503 */
  private io<T>(p: Promise<T>): Promise<T> {
    return p.catch((e: Error) => {
      throw new ModelgateError('CONFIG_STORE_UNAVAILABLE', `redis: ${e.message}`);
    });
  }

  private ready(): Redis {
    if (this.cmd?.status !== 'ready') throw new ModelgateError('CONFIG_STORE_UNAVAILABLE');
    return this.cmd;
  }

  private async read(cmd: Redis): Promise<ConfigSnapshot | undefined> {
    const [v, json] = await cmd.hmget(this.keys.config, 'version', 'snapshot');
    if (v === null || json === null) return undefined;
    if (!this.fromFile && Number(v) === this.compiled.version) return this.compiled.snapshot;
    return parseStoredSnapshot(json);
  }

  async update(expected: number | undefined, change: Transition, meta: ChangeMeta): Promise<ConfigSnapshot> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const cmd = this.ready();
      const cur = await this.io(this.read(cmd));
      if (!cur) {
        await this.sync(); // redis lost its data: write ours back first
        continue;
      }
      if (expected !== undefined && expected !== cur.version) throw new VersionMismatch(expected, cur.version);
      const proposed = change(cur);
      // a no-op writes nothing; the read above was of the current version, which still holds it
      if (unchanged(cur, proposed)) return cur;
      const next = deepFreeze({ ...proposed, version: cur.version + 1 });
      const [ok, actual] = await this.io(this.runWrite(cmd, 'cas', cur.version, next, meta, diffRoutes(cur.routes, next.routes)));
      if (ok === 1) {
        this.lastOk = Date.now();
        this.apply(next, true);
        return next;
      }
      if (expected !== undefined) throw new VersionMismatch(expected, actual);
    }
    throw new ModelgateError('CONFLICT', 'the config kept changing; try again');
  }

  private async historyEntries(limit: number): Promise<StoredHistory[]> {
    const raw = await this.io(this.ready().zrevrange(this.keys.history, 0, Math.max(0, limit - 1)));
    return raw.map((s) => JSON.parse(s) as StoredHistory);
  }

  async history(limit = 100): Promise<HistoryEntry[]> {
    return (await this.historyEntries(limit)).map(({ version, ts, actor, action, route }) => ({ version, ts, actor, action, route }));
  }

  async snapshotAt(version: number): Promise<ConfigSnapshot | undefined> {
    const raw = await this.io(this.ready().zrangebyscore(this.keys.history, version, version));
    return raw.length ? parseStoredSnapshot(JSON.stringify((JSON.parse(raw[0]) as StoredHistory).snapshot)) : undefined;
  }

  async audit(limit = 100): Promise<AuditEntry[]> {
    const rows = await this.io(this.ready().xrevrange(this.keys.audit, '+', '-', 'COUNT', limit));
    return rows.map(([, fields]) => {
      const f: Record<string, string> = {};
      for (let i = 0; i < fields.length; i += 2) f[fields[i]] = fields[i + 1];
      const entry: AuditEntry = { version: Number(f.version), ts: Number(f.ts), actor: f.actor, action: f.action };
      if (f.route) entry.route = f.route;
      if (f.diff) entry.diff = JSON.parse(f.diff);
      return entry;
    });
  }

  private async heartbeat(): Promise<void> {
    const cmd = this.cmd;
    if (cmd?.status !== 'ready') return;
    const beat = { id: this.o.replicaId, version: this.compiled.version, heartbeat_ts: Date.now(), host: hostname(), pid: process.pid, store_healthy: this.healthy() };
    const ttl = Math.max(5000, 5 * (this.o.heartbeatMs ?? 1000));
    await cmd.set(this.keys.replica(this.o.replicaId), JSON.stringify(beat), 'PX', ttl).then(
      () => (this.beatFailing = false),
      (e: Error) => {
        // counted by the faults tap; said once per failing spell, not every beat
        if (!this.beatFailing) this.o.logger.warn({ err: e.message }, 'replica heartbeat failed');
        this.beatFailing = true;
      },
    );
  }
}
