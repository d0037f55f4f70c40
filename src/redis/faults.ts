/**
 * Redis errors by kind, counted in `modelgate_redis_errors_total{component,kind}` and, for the
 * kinds that do not go away by themselves, reported on /readyz while seen in the last
 * `windowMs`. A wrong slot (MOVED on a single-node client pointed at a cluster, CROSSSLOT), a
 * script that reloading does not bring back (NOSCRIPT reaching the caller: ioredis already
 * retried with EVAL), auth (NOAUTH, WRONGPASS, NOPERM), OOM, a read-only replica, a cluster
 * down: an operator has to act, so it must be visible, not only retried.
 * Every command of a watched client is observed (its own promise, never awaited by it).
 */
import { Counter, type Registry } from 'prom-client';
import type { RedisClient } from './connect.ts';

export const REDIS_ERROR_KINDS = ['moved', 'crossslot', 'clusterdown', 'noscript', 'auth', 'oom', 'readonly', 'connection', 'other'] as const;
export type RedisErrorKind = (typeof REDIS_ERROR_KINDS)[number];

/** kinds that need an operator: shown on /readyz */
export const PERSISTENT_KINDS: ReadonlySet<RedisErrorKind> = new Set(['moved', 'crossslot', 'clusterdown', 'noscript', 'auth', 'oom', 'readonly']);

/** Pure: the kind of a Redis (or ioredis) error. */
export function classifyRedisError(err: unknown): RedisErrorKind {
  const m = err instanceof Error ? err.message : String(err);
  if (/^(MOVED|ASK) /.test(m) || /Too many Cluster redirections/i.test(m)) return 'moved';
  if (/^CROSSSLOT/.test(m) || /should belong to the same slot/i.test(m)) return 'crossslot';
  if (/^CLUSTERDOWN/.test(m) || /Failed to refresh slots cache|None of startup nodes/i.test(m)) return 'clusterdown';
  if (/^NOSCRIPT/.test(m)) return 'noscript';
  if (/^(NOAUTH|WRONGPASS|NOPERM)/.test(m) || /invalid password|Authentication required/i.test(m)) return 'auth';
  if (/^OOM /.test(m)) return 'oom';
  if (/^READONLY/.test(m)) return 'readonly';
  if (/Connection is closed|isn't ready|is not ready|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|connect|Stream isn't writeable|enableOfflineQueue|MaxRetriesPerRequest|Command timed out|LOADING/i.test(m)) return 'connection';
  return 'other';
}

export interface FaultReport {
  component: string;
  kind: RedisErrorKind;
  message: string;
  count: number;
  last_at: string;
}

interface Fault {
  message: string;
  count: number;
  last: number;
}

export class RedisFaults {
  private readonly counter?: Counter<'component' | 'kind'>;
  private readonly faults = new Map<string, Fault>();
  private readonly bound = new Map<string, { inc(n?: number): void }>();

  constructor(
    registry?: Registry,
    components: readonly string[] = [],
    private readonly windowMs = 30_000,
  ) {
    if (registry) {
      this.counter = new Counter({ name: 'modelgate_redis_errors_total', help: 'Redis commands that failed, by component and error kind (moved, crossslot, clusterdown, noscript, auth, oom, readonly, connection, other)', labelNames: ['component', 'kind'], registers: [registry] });
      for (const c of components) for (const k of REDIS_ERROR_KINDS) this.child(c, k);
    }
  }

  private child(component: string, kind: RedisErrorKind): { inc(n?: number): void } {
    const key = `${component}\0${kind}`;
    let c = this.bound.get(key);
    if (!c) {
      c = this.counter ? this.counter.labels(component, kind) : { inc() {} };
      c.inc(0); // exported at zero from the start
      this.bound.set(key, c);
    }
    return c;
  }

  /** Counts one failed command; remembers it when its kind needs an operator. */
  record(component: string, err: unknown, now = Date.now()): RedisErrorKind {
    const kind = classifyRedisError(err);
    this.child(component, kind).inc();
    if (PERSISTENT_KINDS.has(kind)) {
      const key = `${component}\0${kind}`;
      const f = this.faults.get(key);
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 300);
      if (f) {
        f.count++;
        f.last = now;
        f.message = message;
      } else this.faults.set(key, { message, count: 1, last: now });
    }
    return kind;
  }

  /** Persistent faults seen within the window, oldest first. */
  active(now = Date.now()): FaultReport[] {
    const out: FaultReport[] = [];
    for (const [key, f] of this.faults) {
      if (now - f.last > this.windowMs) {
        this.faults.delete(key);
        continue;
      }
      const [component, kind] = key.split('\0') as [string, RedisErrorKind];
      out.push({ component, kind, message: f.message, count: f.count, last_at: new Date(f.last).toISOString() });
    }
    return out;
  }

  /** Observes every command `client` sends (pipelines and scripts included). */
  watch(client: RedisClient, component: string): void {
    const target = client as unknown as { sendCommand(cmd: { promise: Promise<unknown> }, ...rest: unknown[]): unknown };
    const send = target.sendCommand.bind(client);
    const onError = (e: unknown) => void this.record(component, e);
    // a command re-sent (a redirection, a reconnect) is the same object: observe it once
    const seen = new WeakSet<object>();
    target.sendCommand = (cmd, ...rest) => {
      const r = send(cmd, ...rest);
      if (cmd && !seen.has(cmd)) {
        seen.add(cmd);
        cmd.promise?.catch(onError);
      }
      return r;
    };
  }
}
