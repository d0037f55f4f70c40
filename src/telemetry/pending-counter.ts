/**
 * Counter children whose increments wait in a number until the metric is read (its `collect`
 * hook): prom-client's child inc() builds and hashes its label object on every call. For the
 * per-request and per-shadow counters; rare ones (errors, rejections) use prom-client directly.
 */
import type { Counter } from 'prom-client';
import { PendingList } from './pending-list.ts';

export class PendingCounter {
  n = 0;
  constructor(
    readonly child: Counter.Internal,
    private readonly owner: PendingCounters,
  ) {}

  inc(): void {
    if (this.n++ === 0) this.owner.mark(this);
  }

  /** adds the increments since the last flush to prom-client's child */
  flush(): void {
    this.child.inc(this.n);
    this.n = 0;
  }
}

/** The pending counters of a set of metrics: flush() applies them all. */
export class PendingCounters extends PendingList<PendingCounter> {
  /** a child created at zero, counting from now */
  make(child: Counter.Internal): PendingCounter {
    child.inc(0);
    return new PendingCounter(child, this);
  }
}
