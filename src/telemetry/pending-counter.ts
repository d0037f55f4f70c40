/**
 * Counter children whose increments wait in a number until the metric is read (its `collect`
 * hook): prom-client's child inc() builds and hashes its label object on every call. For the
 * per-request and per-shadow counters; rare ones (errors, rejections) use prom-client directly.
 */
import type { Counter } from 'prom-client';

export class PendingCounter {
  n = 0;
  constructor(
    readonly child: Counter.Internal,
    private readonly owner: PendingCounters,
  ) {}

  inc(): void {
    if (this.n++ === 0) this.owner.mark(this);
  }
}

/** The dirty list of a set of pending counters: flush() applies them all. */
export class PendingCounters {
  private dirty: PendingCounter[] = [];
  mark(c: PendingCounter): void {
    this.dirty.push(c);
  }
  /** a child created at zero, counting from now */
  make(child: Counter.Internal): PendingCounter {
    child.inc(0);
    return new PendingCounter(child, this);
  }
  flush(): void {
    const d = this.dirty;
    this.dirty = [];
    for (const c of d) {
      c.child.inc(c.n);
      c.n = 0;
    }
  }
}
