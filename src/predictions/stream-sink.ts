/**
 * The prediction log sink: Redis Streams behind a bounded buffer (DESIGN.md "Prediction log").
 *
 * Hot path: `push` appends the event to `pending` and returns (no I/O, no timers, no promises).
 * Every `flush_ms` (or as soon as `batch_entries` events are pending) a tick serializes the
 * pending events into entries in the bounded buffer, one lane per stream (stream-lanes.ts),
 * then writes each stream's oldest `batch_entries` (at most BATCH_BYTES of them) as one batch
 * (batch-writer.ts). One batch per stream flies at a time, each with its own backoff, so a
 * stream that cannot be written (its cluster master is down) never holds up the others. Each
 * XADD's own result decides: success counts `written`; a failure puts the entry back at its
 * lane's front, in order, to be retried once Redis is ready again, so nothing is written twice
 * unless the connection dies after Redis ran a command but before its reply arrived
 * (at-least-once, as DESIGN.md allows). A full buffer drops the oldest entries of any stream
 * (buffer.ts and stream-lanes.ts have the exact rules), counted as `dropped`. Nothing here
 * throws out of a timer or a promise: an event whose entry cannot be built is dropped and
 * counted (`entry_error`); every drop has a reason.
 */
import type { RedisClient as Redis } from '../redis/connect.ts';
import type { Logger } from '../telemetry/logger.ts';
import { countDrop, type LogMetrics, type RouteLogCounters } from '../telemetry/log-metrics.ts';
import type { LogSink, PredictionEvent } from './record.ts';
import { backOff, recovered, StreamLanes, type Lane } from './stream-lanes.ts';
import { toEntry, type EntryContext } from './entry.ts';
import { BatchWriter, type WriteMode, type WriteOutcome } from './batch-writer.ts';

export interface StreamSinkSettings {
  readonly batchEntries: number;
  readonly flushMs: number;
  readonly bufferEntries: number;
  readonly bufferBytes: number;
  /** a write pending longer than this marks the log degraded (a frozen Redis) */
  readonly stallMs: number;
  /** how batches reach Redis (batch-writer.ts) */
  readonly writeMode?: WriteMode;
}

interface Queued {
  readonly args: string[];
  readonly bytes: number;
  readonly counters: RouteLogCounters;
  /** the stream (args[0]) */
  readonly key: string;
  readonly seq: number;
}


/**
 * A batch is at most batch_entries entries and at most this many bytes (its first entry
 * always goes): one script call carries a bounded argument and holds Redis for a bounded time.
 */
export const BATCH_BYTES = 1 << 20;
/** after a drop, the log reports itself degraded for this long */
const DROP_DEGRADED_MS = 10_000;

export class StreamSink implements LogSink {
  private pending: PredictionEvent[] = [];
  private readonly buffer: StreamLanes<Queued>;
  private readonly timer: NodeJS.Timeout;
  private immediate = false;
  private seq = 0;
  private lastDropAt = -Infinity;
  private closed = false;
  private final = false;
  private wasHealthy: boolean | undefined;
  private readonly startedAt = Date.now();
  private readonly writer: BatchWriter;

  constructor(
    private readonly client: Redis,
    private readonly ctx: EntryContext,
    private readonly s: StreamSinkSettings,
    private readonly metrics: LogMetrics,
    private readonly logger: Logger,
  ) {
    this.writer = new BatchWriter(client, s.writeMode);
    this.buffer = new StreamLanes<Queued>(s.bufferEntries, s.bufferBytes, (e) => {
      countDrop(e.counters, 'buffer_full');
      this.lastDropAt = Date.now();
    });
    this.timer = setInterval(this.tick, s.flushMs);
    this.timer.unref();
    metrics.observe({ bufferEntries: () => this.buffered, bufferBytes: () => this.buffer.bytes, healthy: () => this.health() === undefined });
    client.on('ready', this.tick);
  }

  private get buffered(): number {
    return this.pending.length + this.buffer.entries;
  }

  push(event: PredictionEvent): void {
    if (this.closed) {
      countDrop(this.metrics.route(event.route.name), 'shutdown');
      return;
    }
    this.pending.push(event);
    if (this.pending.length >= this.s.batchEntries && !this.immediate) {
      this.immediate = true;
      setImmediate(this.tick);
    }
  }

  /** Exports the outcome counters of routes added after start (admin API) at zero. */
  bindRoutes(names: Iterable<string>): void {
    for (const n of names) this.metrics.route(n);
  }

  sampledOut(route: string): void {
    this.metrics.route(route).sampledOut.inc();
  }

  status(): { state: 'ok' | 'degraded'; buffered: number; detail?: string } {
    const detail = this.health();
    return detail === undefined ? { state: 'ok', buffered: this.buffered } : { state: 'degraded', buffered: this.buffered, detail };
  }

  /** Serializes what is pending and starts a write when none is in flight. */
  readonly tick = (): void => {
    this.immediate = false;
    try {
      this.serialize();
      this.write();
      this.reportHealth();
    } catch (err) {
      // a timer callback never throws: that would end the process
      this.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'prediction log tick failed');
    }
  };

  private serialize(): void {
    if (this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    for (const ev of events) {
      const counters = this.metrics.route(ev.route.name);
      let e;
      try {
        e = toEntry(ev, this.ctx);
      } catch {
        countDrop(counters, 'entry_error');
        continue;
      }
      for (const c of e.cuts) counters.truncatedBy[c].inc();
      this.buffer.push({ args: e.args, bytes: e.bytes, counters, key: e.args[0], seq: this.seq++ });
    }
  }

  /** Starts a batch on every stream that has entries, none in flight and no backoff pending. */
  private write(): void {
    if (this.client.status !== 'ready') return;
    const now = Date.now();
    for (const lane of [...this.buffer.ready(now)]) this.writeLane(lane, now);
    this.buffer.prune();
  }

  private writeLane(lane: Lane<Queued>, now: number): void {
    const batch = lane.buffer.take(this.s.batchEntries, BATCH_BYTES);
    lane.flightSince = now;
    let exec: Promise<WriteOutcome>;
    try {
      exec = this.writer.write(batch);
    } catch (err) {
      exec = Promise.reject(err);
    }
    lane.flight = exec
      .then(
        (results) => this.settle(lane, batch, results, undefined),
        (err: unknown) => this.settle(lane, batch, null, err),
      )
      .catch((err: unknown) => {
        lane.flight = undefined;
        this.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'prediction log settle failed');
      });
  }

  private settle(lane: Lane<Queued>, batch: Queued[], results: WriteOutcome | null, err: unknown): void {
    const failed: Queued[] = [];
    let firstError: unknown = err;
    for (let i = 0; i < batch.length; i++) {
      const r = results ? results[i] : err;
      if (r === null) batch[i].counters.written.inc();
      else {
        failed.push(batch[i]);
        firstError ??= r;
      }
    }
    lane.flight = undefined;
    if (this.final) {
      lane.buffer.settle([]);
      for (const e of failed) countDrop(e.counters, 'shutdown');
      return;
    }
    lane.buffer.settle(failed);
    if (failed.length > 0) return backOff(lane, firstError instanceof Error ? firstError.message : String(firstError ?? 'unknown error'), this.s.flushMs, Date.now());
    recovered(lane);
    // Draining a backlog: the stream's next full batch goes at once instead of waiting for the timer.
    const backlog = lane.buffer.queued >= this.s.batchEntries || lane.buffer.bytes >= BATCH_BYTES || this.closed;
    if (backlog && lane.buffer.queued > 0 && this.client.status === 'ready') this.writeLane(lane, Date.now());
  }

  /** undefined when healthy, else why not */
  private health(): string | undefined {
    if (this.closed) return 'closed';
    if (this.client.status !== 'ready') return `redis ${this.client.status}: buffering entries`;
    const now = Date.now();
    let stalled = 0;
    let failure: Lane<Queued> | undefined;
    for (const l of this.buffer.all()) {
      if (l.flight) stalled = Math.max(stalled, now - l.flightSince);
      if (l.failure !== undefined) failure ??= l;
    }
    if (stalled > this.s.stallMs) return `write pending for ${stalled} ms: buffering entries`;
    if (failure) return `writes failing: ${failure.failure} (${failure.key})`;
    if (now - this.lastDropAt < DROP_DEGRADED_MS) return 'buffer full: dropping the oldest entries';
    return undefined;
  }

  private reportHealth(): void {
    const detail = this.health();
    const healthy = detail === undefined;
    if (healthy === this.wasHealthy) return;
    // The first connection attempt is not news; a degraded state after it is.
    if (this.wasHealthy === undefined && !healthy && Date.now() - this.startedAt < this.s.stallMs) return;
    this.wasHealthy = healthy;
    if (healthy) this.logger.info({ buffered: this.buffered }, 'prediction log healthy: entries reach redis');
    else this.logger.warn({ buffered: this.buffered, detail }, 'prediction log degraded: requests are served, entries are buffered or dropped');
  }

  /** Writes what it can within `timeoutMs`; what is left is counted as dropped. */
  async close(timeoutMs = 2000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.client.off('ready', this.tick);
    this.serialize();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && (this.buffer.flights().length > 0 || this.buffer.queued > 0)) {
      for (const l of this.buffer.all()) l.retryAt = 0;
      this.write();
      // Still connecting (or reconnecting): give Redis the rest of the deadline to come back.
      let onReady: (() => void) | undefined;
      const flights = this.buffer.flights();
      const wait = flights.length > 0 ? Promise.race(flights) : new Promise<void>((r) => this.client.once('ready', (onReady = r)));
      await raceTimeout(wait, deadline - Date.now());
      if (onReady) this.client.off('ready', onReady);
    }
    this.final = true;
    for (const e of this.buffer.drain()) countDrop(e.counters, 'shutdown');
    this.client.disconnect();
    await Promise.all(this.buffer.flights());
  }
}

function raceTimeout(p: Promise<void>, ms: number): Promise<void> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<void>((r) => (t = setTimeout(r, Math.max(0, ms))))]).finally(() => clearTimeout(t));
}
