/**
 * Retries are a rate: over a sliding window, retries may be at most `ratio` of the requests
 * plus a small `floor` (Envoy's retry budget: 20 %, at least 3), so instant refusals from a
 * flapping backend cannot multiply its traffic: attempts <= (1 + ratio) x requests + floor
 * per window. One budget per backend pool. The window is a ring of time slots.
 */
export interface RetryBudgetOptions {
  ratio?: number;
  floor?: number;
  windowMs?: number;
  slots?: number;
  now?: () => number;
}

export class RetryBudget {
  private readonly ratio: number;
  private readonly floor: number;
  private readonly slotMs: number;
  private readonly now: () => number;
  private readonly requests: Float64Array;
  private readonly retries: Float64Array;
  private slot = 0;
  private slotStart: number;
  private totalRequests = 0;
  private totalRetries = 0;

  constructor(o: RetryBudgetOptions = {}) {
    this.ratio = o.ratio ?? 0.2;
    this.floor = o.floor ?? 3;
    const slots = o.slots ?? 10;
    this.slotMs = (o.windowMs ?? 10_000) / slots;
    this.now = o.now ?? (() => performance.now());
    this.requests = new Float64Array(slots);
    this.retries = new Float64Array(slots);
    this.slotStart = this.now();
  }

  /** moves the ring to the current time, forgetting slots older than the window */
  private advance(): void {
    const t = this.now();
    let steps = Math.floor((t - this.slotStart) / this.slotMs);
    if (steps <= 0) return;
    this.slotStart += steps * this.slotMs;
    steps = Math.min(steps, this.requests.length);
    for (let i = 0; i < steps; i++) {
      this.slot = (this.slot + 1) % this.requests.length;
      this.totalRequests -= this.requests[this.slot];
      this.totalRetries -= this.retries[this.slot];
      this.requests[this.slot] = 0;
      this.retries[this.slot] = 0;
    }
  }

  /** one request (its first attempt) */
  request(): void {
    this.advance();
    this.requests[this.slot]++;
    this.totalRequests++;
  }

  /** takes one retry if the window allows it */
  tryRetry(): boolean {
    this.advance();
    if (this.totalRetries + 1 > this.floor + this.ratio * this.totalRequests) return false;
    this.retries[this.slot]++;
    this.totalRetries++;
    return true;
  }
}

/** Full-jitter exponential backoff before retry `attempt` (0-based): uniform in [0, min(cap, base x 2^attempt)). */
export function backoffMs(attempt: number, random: () => number = Math.random, baseMs = 25, capMs = 250): number {
  return random() * Math.min(capMs, baseMs * 2 ** attempt);
}
