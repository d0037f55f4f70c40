/**
 * One undici Pool per backend origin and pool shape, with an in-flight cap kept by us
 * (RELIABILITY.md: an undici Pool's queue is unbounded). Pools are reused across config
 * versions and closed when no version uses them any more.
 */
import { Pool } from 'undici';

export interface PoolShape {
  connections: number;
  connectTimeoutMs: number;
  /** backstop for undici's own (coarse) timers; our deadline is enforced separately */
  timeoutMs: number;
  maxInflight: number;
}

export class Backend {
  readonly pool: Pool;
  inflight = 0;
  constructor(readonly origin: string, readonly shape: PoolShape) {
    this.pool = new Pool(origin, {
      connections: shape.connections,
      pipelining: 1,
      connect: { timeout: shape.connectTimeoutMs },
      headersTimeout: shape.timeoutMs + 2000,
      bodyTimeout: shape.timeoutMs + 2000,
      keepAliveTimeout: 4_000,
      keepAliveMaxTimeout: 30_000,
    });
    // A pool error with no listener would crash the process; failures reach each request's handler.
    this.pool.on('connectionError', () => {});
  }
  get full(): boolean {
    return this.inflight >= this.shape.maxInflight;
  }
}

const keyOf = (origin: string, s: PoolShape) => `${origin}|${s.connections}|${s.connectTimeoutMs}|${s.timeoutMs}|${s.maxInflight}`;

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
