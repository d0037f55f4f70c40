/**
 * The log buffer split by stream: one lane (a BoundedBuffer, buffer.ts) per stream key, so each
 * stream has its own batch in flight and its own backoff, and a stream whose writes fail or
 * hang (its Redis Cluster master is down: ioredis takes ~2 s to give up on each command) holds
 * back only its own entries. One pair of bounds covers all the lanes, with buffer.ts's rule
 * across them: at a bound the OLDEST entry held by any lane is the one dropped (entries carry
 * their arrival order, `seq`), so every entry dropped is older than every entry still held.
 * Pure: the sinks (stream-sink.ts, outcomes/outcome-sink.ts) do the writing and keep their
 * per-stream state here, with one backoff policy for both (`backOff`, `recovered`).
 */
import { BoundedBuffer, type Sized } from './buffer.ts';

export interface LaneEntry extends Sized {
  /** the stream the entry goes to */
  readonly key: string;
  /** arrival order across all lanes */
  readonly seq: number;
}

/** One stream's entries and what the writer keeps about its writes. */
export interface Lane<T extends LaneEntry> {
  readonly key: string;
  readonly buffer: BoundedBuffer<T>;
  flight?: Promise<void>;
  flightSince: number;
  /** the last write's error, until a write succeeds */
  failure?: string;
  backoffMs: number;
  retryAt: number;
}

/** what a lane keeps of its writes' failures */
type Backoff = Pick<Lane<LaneEntry>, 'failure' | 'backoffMs' | 'retryAt'>;

/** the longest wait before a failing stream is retried */
export const MAX_BACKOFF_MS = 1000;

/** A lane's write failed: its next try waits, doubling from `minMs` up to MAX_BACKOFF_MS. */
export function backOff(lane: Backoff, failure: string, minMs: number, now: number): void {
  lane.failure = failure;
  lane.backoffMs = Math.min(Math.max(lane.backoffMs * 2, minMs), MAX_BACKOFF_MS);
  lane.retryAt = now + lane.backoffMs;
}

/** A lane's write succeeded: no failure, no wait. */
export function recovered(lane: Backoff): void {
  lane.failure = undefined;
  lane.backoffMs = 0;
  lane.retryAt = 0;
}

export class StreamLanes<T extends LaneEntry> {
  private readonly lanes = new Map<string, Lane<T>>();

  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
    private readonly onDrop: (entry: T) => void,
  ) {}

  /** entries held by all lanes (queued and in flight, doomed ones not counted) */
  get entries(): number {
    let n = 0;
    for (const l of this.lanes.values()) n += l.buffer.entries;
    return n;
  }

  get bytes(): number {
    let n = 0;
    for (const l of this.lanes.values()) n += l.buffer.bytes;
    return n;
  }

  get queued(): number {
    let n = 0;
    for (const l of this.lanes.values()) n += l.buffer.queued;
    return n;
  }

  all(): IterableIterator<Lane<T>> {
    return this.lanes.values();
  }

  /** lanes that may start a batch now: entries queued, none in flight, no backoff pending */
  *ready(now: number): IterableIterator<Lane<T>> {
    for (const l of this.lanes.values()) if (!l.flight && l.buffer.queued > 0 && now >= l.retryAt) yield l;
  }

  /** the batches in flight */
  flights(): Promise<void>[] {
    const out: Promise<void>[] = [];
    for (const l of this.lanes.values()) if (l.flight) out.push(l.flight);
    return out;
  }

  /** Adds an entry to its stream's lane, first dropping the oldest held entries of any lane while a bound would be exceeded. */
  push(entry: T): void {
    let entries = this.entries;
    let bytes = this.bytes;
    while (entries > 0 && (entries + 1 > this.maxEntries || bytes + entry.bytes > this.maxBytes)) {
      const lane = this.oldestLane();
      if (!lane) break;
      lane.buffer.dropOldest();
      entries = this.entries;
      bytes = this.bytes;
    }
    if (entries + 1 > this.maxEntries || bytes + entry.bytes > this.maxBytes) {
      // nothing else held: the entry alone is over the byte bound
      this.onDrop(entry);
      return;
    }
    this.lane(entry.key).buffer.push(entry);
  }

  /** Forgets lanes with nothing held, nothing in flight and no failure pending (streams of removed routes). */
  prune(): void {
    for (const [key, l] of this.lanes) if (l.buffer.entries === 0 && l.buffer.inFlight === 0 && !l.flight && l.failure === undefined) this.lanes.delete(key);
  }

  /** Empties every lane's queue (not the flights), returning what they held. */
  drain(): T[] {
    const out: T[] = [];
    for (const l of this.lanes.values()) out.push(...l.buffer.drain());
    return out;
  }

  private lane(key: string): Lane<T> {
    let l = this.lanes.get(key);
    if (!l) {
      // each lane may hold up to the shared bounds; push() keeps the sum within them
      l = { key, buffer: new BoundedBuffer<T>(this.maxEntries, this.maxBytes, this.onDrop), flightSince: 0, backoffMs: 0, retryAt: 0 };
      this.lanes.set(key, l);
    }
    return l;
  }

  private oldestLane(): Lane<T> | undefined {
    let best: Lane<T> | undefined;
    let seq = Infinity;
    for (const l of this.lanes.values()) {
      const e = l.buffer.oldest();
      if (e !== undefined && e.seq < seq) {
        seq = e.seq;
        best = l;
      }
    }
    return best;
  }
}
