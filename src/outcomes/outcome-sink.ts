/**
 * Outcome entries to Redis Streams (`<prefix>:outcomes:<route>`, `XADD … MAXLEN ~ N`) behind a
 * bounded buffer, never awaited by the request: `offer` queues a whole request's outcomes or
 * none (so the caller answers 503 and the application can retry: nothing is lost silently).
 * A timer writes each stream's batch as one pipeline, one batch in flight per stream, each with
 * its own backoff (the buffer's lanes, predictions/stream-lanes.ts): a stream that cannot be
 * written (its cluster master is down) holds back only its own entries. A failed XADD goes
 * back to the front of its lane and is retried (at-least-once: the monitor deduplicates on the
 * outcome's `id` when the application gives one).
 */
import type { RedisClient as Redis } from '../redis/connect.ts';
import { pipelineByKey } from '../redis/cluster-ops.ts';
import { backOff, recovered, StreamLanes, type Lane } from '../predictions/stream-lanes.ts';
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

interface Queued {
  readonly e: OutcomeEntry;
  /** the stream */
  readonly key: string;
  readonly seq: number;
  readonly bytes: number;
}

export class OutcomeSink {
  private readonly buffer: StreamLanes<Queued>;
  private readonly timer: NodeJS.Timeout;
  private seq = 0;
  private closed = false;
  private warned = false;

  constructor(
    private readonly client: Redis,
    private readonly s: OutcomeSinkSettings,
    private readonly metrics: OutcomeMetrics,
    private readonly logger: Logger,
  ) {
    this.buffer = new StreamLanes<Queued>(s.bufferEntries, s.bufferBytes, (q) => metrics.count(q.e.route, 'dropped'));
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
    for (const e of entries) this.buffer.push({ e, key: this.s.keyPrefix + e.route, seq: this.seq++, bytes: e.bytes });
    if (this.buffer.queued >= this.s.batchEntries) setImmediate(this.tick);
    return true;
  }

  get buffered(): number {
    return this.buffer.entries;
  }

  /** Starts a batch on every stream with entries, none in flight and no backoff pending. */
  readonly tick = (): void => {
    if (this.client.status !== 'ready') return;
    for (const lane of [...this.buffer.ready(Date.now())]) this.writeLane(lane);
    this.buffer.prune();
  };

  private writeLane(lane: Lane<Queued>): void {
    const batch = lane.buffer.take(this.s.batchEntries);
    lane.flightSince = Date.now();
    let exec: Promise<PipelineResult>;
    try {
      exec = pipelineByKey(this.client, batch, (pipe, q) => void pipe.call('xadd', [q.key, 'MAXLEN', '~', String(this.s.maxlen), '*', ...q.e.fields]));
    } catch (err) {
      exec = Promise.reject(err);
    }
    lane.flight = exec.then(
      (r) => this.settle(lane, batch, r, undefined),
      (err: unknown) => this.settle(lane, batch, null, err),
    );
  }

  private settle(lane: Lane<Queued>, batch: Queued[], results: PipelineResult, err: unknown): void {
    const failed: Queued[] = [];
    let firstError = err;
    batch.forEach((q, i) => {
      const r = results?.[i];
      if (r && !r[0]) this.metrics.count(q.e.route, 'written');
      else {
        failed.push(q);
        firstError ??= r?.[0];
      }
    });
    lane.flight = undefined;
    lane.buffer.settle(failed);
    if (failed.length) {
      backOff(lane, firstError instanceof Error ? firstError.message : String(firstError), this.s.flushMs, Date.now());
      if (!this.warned) this.logger.warn({ err: lane.failure, stream: lane.key, buffered: this.buffer.entries }, 'outcome writes failing: buffering');
      this.warned = true;
      return;
    }
    recovered(lane);
    if (this.warned && ![...this.buffer.all()].some((l) => l.failure !== undefined)) {
      this.logger.info('outcome writes reach redis again');
      this.warned = false;
    }
    if (this.client.status === 'ready' && (lane.buffer.queued >= this.s.batchEntries || this.closed) && lane.buffer.queued > 0) this.writeLane(lane);
  }

  /** Writes what it can within `timeoutMs`; what is left is counted as dropped. */
  async close(timeoutMs = 2000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && (this.buffer.flights().length > 0 || this.buffer.queued > 0) && this.client.status === 'ready') {
      for (const l of this.buffer.all()) l.retryAt = 0;
      this.tick();
      await Promise.race([...this.buffer.flights(), new Promise((r) => setTimeout(r, Math.max(1, Math.min(50, deadline - Date.now()))))]);
    }
    const flights = this.buffer.flights();
    if (flights.length) await Promise.race([Promise.all(flights), new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())))]);
    for (const q of this.buffer.drain()) this.metrics.count(q.e.route, 'dropped');
  }
}
