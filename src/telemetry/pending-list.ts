/**
 * The dirty list behind pending counters and histograms: an item marks itself on its first
 * change since the last flush; flush() (the metric's `collect` hook) applies every marked item.
 */
export class PendingList<T extends { flush(): void }> {
  private dirty: T[] = [];
  readonly mark = (item: T): void => void this.dirty.push(item);
  flush(): void {
    const d = this.dirty;
    this.dirty = [];
    for (const item of d) item.flush();
  }
}
