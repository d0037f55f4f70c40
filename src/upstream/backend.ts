/**
 * One undici Pool per backend origin and pool shape, with an in-flight cap kept by us
 * (RELIABILITY.md: an undici Pool's queue is unbounded). Pools are reused across config
 * versions and closed when no version uses them any more.
 */
import { buildConnector, Pool } from 'undici';
import { RetryBudget } from './retry-budget.ts';
import { markSocketErrors } from './stale-connection.ts';

export interface PoolShape {
  connections: number;
  connectTimeoutMs: number;
  /** backstop for undici's own (coarse) timers; our deadline is enforced separately */
  timeoutMs: number;
  maxInflight: number;
  /** idle time of a pooled connection (`upstream.keep_alive_timeout_ms`) when the backend sends no Keep-Alive hint */
  keepAliveTimeoutMs: number;
}

export class Backend {
  readonly pool: Pool;
  inflight = 0;
  /** retries to this pool, as a rate over a sliding window */
  readonly budget = new RetryBudget();
  constructor(readonly origin: string, readonly shape: PoolShape) {
    const connect = buildConnector({ timeout: shape.connectTimeoutMs });
    this.pool = new Pool(origin, {
      connections: shape.connections,
      pipelining: 1,
      connect: (opts, cb) => connect(opts, (err, socket) => (err || !socket ? cb(err ?? new Error('no socket'), null) : cb(null, markSocketErrors(socket)))),
      headersTimeout: shape.timeoutMs + 2000,
      bodyTimeout: shape.timeoutMs + 2000,
      keepAliveTimeout: shape.keepAliveTimeoutMs,
      // a backend's own Keep-Alive hint is believed up to this, less undici's 2 s safety margin
      keepAliveMaxTimeout: Math.max(shape.keepAliveTimeoutMs, 30_000),
    });
    // A pool error with no listener would crash the process; failures reach each request's handler.
    this.pool.on('connectionError', () => {});
  }
  get full(): boolean {
    return this.inflight >= this.shape.maxInflight;
  }
}

const keyOf = (origin: string, s: PoolShape) => `${origin}|${s.connections}|${s.connectTimeoutMs}|${s.timeoutMs}|${s.maxInflight}|${s.keepAliveTimeoutMs}`;

export class BackendRegistry {
  private backends = new Map<string, Backend>();

  get(url: URL, shape: PoolShape): Backend {
    // a grpc:// backend is served by the gRPC port; over HTTP it is refused before any send
    const origin = url.protocol === 'grpc:' ? `http://${url.host}` : url.origin;
    const key = keyOf(origin, shape);
    let b = this.backends.get(key);
    if (!b) this.backends.set(key, (b = new Backend(origin, shape)));
    return b;
  }

  /** Closes pools not in `keep` (gracefully: in-flight requests finish). */
  retainOnly(keep: ReadonlySet<Backend>): void {
    for (const [key, b] of this.backends) {
      if (keep.has(b)) continue;
      this.backends.delete(key);
      b.pool.close().catch(() => {});
    }
  }

  /** at shutdown, once live requests are drained: abandons what is left (detached shadow copies) */
  async destroy(): Promise<void> {
    const all = [...this.backends.values()];
    this.backends.clear();
    await Promise.all(all.map((b) => b.pool.destroy().catch(() => {})));
  }
}
