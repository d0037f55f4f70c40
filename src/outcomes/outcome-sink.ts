/**
 * Outcome entries to Redis Streams (`<prefix>:outcomes:<route>`, `XADD … MAXLEN ~ N`) behind a
 * bounded buffer, never awaited by the request: `offer` queues a whole request's outcomes or
 * none (so the caller answers 503 and the application can retry: nothing is lost silently),
 * a timer writes batches as one pipeline (per stream on a cluster), one batch in flight at a time. A failed XADD goes
 * back to the front of the buffer and is retried with backoff (at-least-once: the monitor
 * deduplicates on the outcome's `id` when the application gives one).
 */
import type { RedisClient as Redis } from '../redis/connect.ts';
import { pipelineByKey } from '../redis/cluster-ops.ts';
import { BoundedBuffer } from '../predictions/buffer.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { OutcomeMetrics } from './outcome-metrics.ts';
import type { OutcomeEntry } from './resolve.ts';

export interface OutcomeSinkSettings {
  keyPrefix: string;
  maxlen: number;
  bufferEntries: number;
  bufferBytes: number;
  batchEntries: number;
  flushMs: number;
}

type PipelineResult = [Error | null, unknown][] | null;
const MAX_BACKOFF_MS = 1000;

export class OutcomeSink {
  private readonly buffer: BoundedBuffer<OutcomeEntry>;
  private readonly timer: NodeJS.Timeout;
  private flight: Promise<void> | undefined;
  private retryAt = 0;
  private backoffMs = 0;
  private closed = false;
  private warned = false;

  constructor(
    private readonly client: Redis,
    private readonly s: OutcomeSinkSettings,
    private readonly metrics: OutcomeMetrics,
    private readonly logger: Logger,
  ) {
    this.buffer = new BoundedBuffer<OutcomeEntry>(s.bufferEntries, s.bufferBytes, (e) => metrics.count(e.route, 'dropped'));
    this.timer = setInterval(this.tick, s.flushMs);
    this.timer.unref();
    metrics.observeBuffer(() => this.buffer.entries);
  }

  /** Queues all entries, or none when the buffer lacks room (or the sink is closed). */
  offer(entries: readonly OutcomeEntry[]): boolean {
    if (this.closed) return false;
    let bytes = 0;
    for (const e of entries) bytes += e.bytes;
    if (this.buffer.entries + entries.length > this.s.bufferEntries || this.buffer.bytes + bytes > this.s.bufferBytes) return false;
    for (const e of entries) this.buffer.push(e);
    if (this.buffer.queued >= this.s.batchEntries) setImmediate(this.tick);
    return true;
  }

  get buffered(): number {
    return this.buffer.entries;
  }

  readonly tick = (): void => {
    if (this.flight || this.buffer.queued === 0 || this.client.status !== 'ready' || Date.now() < this.retryAt) return;
    const batch = this.buffer.take(this.s.batchEntries);
    let exec: Promise<PipelineResult>;
    try {
      // one pipeline; on a cluster one per stream (routes live on different slots)
      const items = batch.map((e) => ({ key: this.s.keyPrefix + e.route, e }));
      exec = pipelineByKey(this.client, items, (pipe, { key, e }) => void pipe.call('xadd', [key, 'MAXLEN', '~', String(this.s.maxlen), '*', ...e.fields]));
    } catch (err) {
      exec = Promise.reject(err);
    }
    this.flight = exec.then(
      (r) => this.settle(batch, r, undefined),
      (err: unknown) => this.settle(batch, null, err),
    );
  };

  private settle(batch: OutcomeEntry[], results: PipelineResult, err: unknown): void {
    const failed: OutcomeEntry[] = [];
    let firstError = err;
    batch.forEach((e, i) => {
      const r = results?.[i];
      if (r && !r[0]) this.metrics.count(e.route, 'written');
      else {
        failed.push(e);
        firstError ??= r?.[0];
      }
    });
    this.flight = undefined;
    this.buffer.settle(failed);
    if (failed.length) {
      this.backoffMs = Math.min(Math.max(this.backoffMs * 2, this.s.flushMs), MAX_BACKOFF_MS);
      this.retryAt = Date.now() + this.backoffMs;
      if (!this.warned) this.logger.warn({ err: firstError instanceof Error ? firstError.message : String(firstError), buffered: this.buffer.entries }, 'outcome writes failing: buffering');
      this.warned = true;
      return;
    }
    if (this.warned) this.logger.info('outcome writes reach redis again');
    this.warned = false;
    this.backoffMs = 0;
    this.retryAt = 0;
    if (this.buffer.queued >= this.s.batchEntries || this.closed) this.tick();
  }

  /** Writes what it can within `timeoutMs`; what is left is counted as dropped. */
  async close(timeoutMs = 2000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && (this.flight || this.buffer.queued > 0) && this.client.status === 'ready') {
      this.retryAt = 0;
      this.tick();
      await Promise.race([this.flight ?? Promise.resolve(), new Promise((r) => setTimeout(r, Math.max(1, Math.min(50, deadline - Date.now()))))]);
    }
    if (this.flight) await Promise.race([this.flight, new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())))]);
    for (const e of this.buffer.drain()) this.metrics.count(e.route, 'dropped');
  }
}
