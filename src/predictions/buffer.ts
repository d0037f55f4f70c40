/**
 * The log buffer, bounded by entry count AND bytes (RELIABILITY.md promise 2). New entries go
 * to the back; when a bound is hit, the OLDEST queued entries are dropped and reported through
 * `onDrop`. A batch being written is "in flight": it still counts against the bounds but is
 * never dropped (it may already be in Redis); if the write fails, `settle` puts the failed
 * entries back at the front in their original order, so they are retried first.
 */
import { Ring } from './ring.ts';

export interface Sized {
  readonly bytes: number;
}

export class BoundedBuffer<T extends Sized> {
  private readonly queue: Ring<T>;
  private inflight: T[] = [];
  private totalBytes = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
    private readonly onDrop: (entry: T) => void,
  ) {
    this.queue = new Ring<T>(Math.min(maxEntries, 4096));
  }

  /** entries held: queued + in flight */
  get entries(): number {
    return this.queue.length + this.inflight.length;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get queued(): number {
    return this.queue.length;
  }

  get inFlight(): number {
    return this.inflight.length;
  }

  /** Adds an entry, dropping the oldest queued ones while a bound is exceeded. */
  push(entry: T): void {
    while (this.queue.length > 0 && (this.entries + 1 > this.maxEntries || this.totalBytes + entry.bytes > this.maxBytes)) {
      const old = this.queue.popFront() as T;
      this.totalBytes -= old.bytes;
      this.onDrop(old);
    }
    if (this.entries + 1 > this.maxEntries || this.totalBytes + entry.bytes > this.maxBytes) {
      // Only in-flight entries left (or the entry alone is over the byte bound): the new one goes.
      this.onDrop(entry);
      return;
    }
    this.queue.pushBack(entry);
    this.totalBytes += entry.bytes;
  }

  /** Moves up to `n` entries from the front into flight; only one batch flies at a time. */
  take(n: number): T[] {
    if (this.inflight.length > 0) throw new Error('a batch is already in flight');
    const batch: T[] = [];
    while (batch.length < n && this.queue.length > 0) batch.push(this.queue.popFront() as T);
    this.inflight = batch;
    return batch;
  }

  /** Ends the flight: `failed` (a subset of the batch, in batch order) goes back to the front. */
  settle(failed: readonly T[]): void {
    for (const e of this.inflight) this.totalBytes -= e.bytes;
    this.inflight = [];
    for (let i = failed.length - 1; i >= 0; i--) {
      this.queue.pushFront(failed[i]);
      this.totalBytes += failed[i].bytes;
    }
  }

  /** Empties the queue (not the flight), returning what it held, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    for (let e = this.queue.popFront(); e !== undefined; e = this.queue.popFront()) out.push(e);
    for (const e of out) this.totalBytes -= e.bytes;
    return out;
  }
}
