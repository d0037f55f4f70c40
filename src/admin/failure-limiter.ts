/**
 * Slows down guessing: counts failed authentications per client address in a fixed window;
 * past `maxFailures` the address is refused (429) until the window ends. Bounded: at most
 * `maxAddresses` are tracked, the oldest forgotten first. Pure apart from the clock.
 */
export interface FailureLimiterOptions {
  maxFailures?: number;
  windowMs?: number;
  maxAddresses?: number;
  now?: () => number;
}

interface Window {
  start: number;
  failures: number;
}

export class FailureLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxAddresses: number;
  private readonly now: () => number;

  constructor(o: FailureLimiterOptions = {}) {
    this.maxFailures = o.maxFailures ?? 10;
    this.windowMs = o.windowMs ?? 60_000;
    this.maxAddresses = o.maxAddresses ?? 10_000;
    this.now = o.now ?? Date.now;
  }

  private current(addr: string): Window | undefined {
    const w = this.windows.get(addr);
    if (w && this.now() - w.start >= this.windowMs) {
      this.windows.delete(addr);
      return undefined;
    }
    return w;
  }

  /** ms until the address may try again, or 0 when it may now */
  blockedFor(addr: string): number {
    const w = this.current(addr);
    if (!w || w.failures < this.maxFailures) return 0;
    return Math.max(1, w.start + this.windowMs - this.now());
  }

  fail(addr: string): void {
    const w = this.current(addr);
    if (w) {
      w.failures++;
      return;
    }
    if (this.windows.size >= this.maxAddresses) this.windows.delete(this.windows.keys().next().value as string);
    this.windows.set(addr, { start: this.now(), failures: 1 });
  }

  succeed(addr: string): void {
    this.windows.delete(addr);
  }
}
