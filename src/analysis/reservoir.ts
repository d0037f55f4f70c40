/** A fixed-size uniform sample of a stream of values (reservoir sampling, seeded: reproducible). Pure. */
export class Reservoir<T> {
  readonly values: T[] = [];
  seen = 0;
  private state: number;
  constructor(
    private readonly cap: number,
    seed = 0x9e3779b9,
  ) {
    this.state = seed >>> 0;
  }
  add(v: T): void {
    this.seen++;
    if (this.values.length < this.cap) {
      this.values.push(v);
      return;
    }
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    const j = this.state % this.seen;
    if (j < this.cap) this.values[j] = v;
  }
}
