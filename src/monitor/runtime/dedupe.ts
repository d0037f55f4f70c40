/**
 * Remembers the last `capacity` (rid, role) pairs: the prediction log is at-least-once, so a
 * retried XADD can repeat an entry; consumers must see it once. Pure, bounded.
 */
export class RecentKeys {
  private readonly seen = new Set<string>();
  constructor(private readonly capacity = 200_000) {}

  /** true the first time a key is offered (within the memory bound), false for a repeat */
  firstTime(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (this.seen.size > this.capacity) {
      // Sets iterate in insertion order: drop the oldest.
      const oldest = this.seen.values().next().value as string;
      this.seen.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}
