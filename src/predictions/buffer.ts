/**
 * The log buffer, bounded by entry count AND bytes (RELIABILITY.md promise 2), with exact order
 * and drop rules:
 * - entries leave (are written) in the order they were pushed; a failed batch goes back to the
 *   front in its order, so it is retried first;
 * - when a bound is hit, the OLDEST held entry is the one dropped, wherever it is. Held entries
 *   are the queue plus the batch in flight, and the batch is always older than the queue.
 * An entry in flight cannot be taken back (Redis may already have it), so a drop that falls on
 * it "dooms" it instead: it stops counting against the bounds at once; when the flight settles
 * it is written if the write succeeded, and dropped (reported through `onDrop`) if it failed,
 * never put back. So every entry dropped is older than every entry still held, the bounds hold
 * at every moment, and each entry ends written or dropped exactly once.
 * Only an entry over the byte bound on its own is dropped on arrival.
 */
import { Ring } from './ring.ts';

export interface Sized {
  readonly bytes: number;
}

export class BoundedBuffer<T extends Sized> {
  private readonly queue: Ring<T>;
  private inflight: T[] = [];
  /** the first `doomed` entries of the batch in flight no longer count against the bounds */
  private doomed = 0;
  private totalBytes = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
    private readonly onDrop: (entry: T) => void,
  ) {
    this.queue = new Ring<T>(Math.min(maxEntries, 4096));
  }

  /** entries held: queued + in flight (not doomed) */
  get entries(): number {
    return this.queue.length + this.inflight.length - this.doomed;
  }

  /** bytes of the entries held */
  get bytes(): number {
    return this.totalBytes;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** entries of the batch in flight, doomed ones included */
  get inFlight(): number {
    return this.inflight.length;
  }

  private over(bytes: number): boolean {
    return this.entries + 1 > this.maxEntries || this.totalBytes + bytes > this.maxBytes;
  }

  /** The oldest entry held (the live part of the flight comes before the queue). */
  oldest(): T | undefined {
    return this.doomed < this.inflight.length ? this.inflight[this.doomed] : this.queue.at(0);
  }

  /** Drops the oldest entry held, or dooms it when it is in flight; nothing when none is held. */
  dropOldest(): void {
    if (this.doomed < this.inflight.length) {
      this.totalBytes -= this.inflight[this.doomed++].bytes;
      return;
    }
    const old = this.queue.popFront();
    if (old === undefined) return;
    this.totalBytes -= old.bytes;
    this.onDrop(old);
  }

  /** Adds an entry, dropping (or dooming) the oldest held ones while a bound would be exceeded. */
  push(entry: T): void {
    while (this.entries > 0 && this.over(entry.bytes)) this.dropOldest();
    if (this.over(entry.bytes)) {
      // nothing else held: the entry alone is over the byte bound
      this.onDrop(entry);
      return;
    }
    this.queue.pushBack(entry);
    this.totalBytes += entry.bytes;
  }

  /**
   * Moves up to `n` entries from the front into flight, and no more than `maxBytes` of them
   * (the first entry always goes, whatever its size); only one batch flies at a time.
   */
  take(n: number, maxBytes = Infinity): T[] {
    if (this.inflight.length > 0) throw new Error('a batch is already in flight');
    const batch: T[] = [];
    let bytes = 0;
    while (batch.length < n && this.queue.length > 0) {
      const next = (this.queue.at(0) as T).bytes;
      if (batch.length > 0 && bytes + next > maxBytes) break;
      bytes += next;
      batch.push(this.queue.popFront() as T);
    }
    this.inflight = batch;
    this.doomed = 0;
    return batch;
  }

  /**
   * Ends the flight. `failed` (entries of the batch) go back to the front in batch order, except
   * doomed ones, which are dropped now. Entries not in `failed` were written.
   */
  settle(failed: readonly T[]): void {
    const fail = new Set(failed);
    const back: T[] = [];
    this.inflight.forEach((e, i) => {
      if (i < this.doomed) {
        if (fail.has(e)) this.onDrop(e);
        return;
      }
      this.totalBytes -= e.bytes;
      if (fail.has(e)) back.push(e);
    });
    this.inflight = [];
    this.doomed = 0;
    for (let i = back.length - 1; i >= 0; i--) {
      this.queue.pushFront(back[i]);
      this.totalBytes += back[i].bytes;
    }
  }

  /** The entries held, oldest first (the live part of the flight, then the queue); for tests and diagnostics. */
  held(): T[] {
    const out = this.inflight.slice(this.doomed);
    for (let i = 0; i < this.queue.length; i++) out.push(this.queue.at(i) as T);
    return out;
  }

  /** Empties the queue (not the flight), returning what it held, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    for (let e = this.queue.popFront(); e !== undefined; e = this.queue.popFront()) out.push(e);
    for (const e of out) this.totalBytes -= e.bytes;
    return out;
  }
}
