/**
 * Retries are allowed while retries in flight stay under max(minRetries, ratio * active
 * requests) — Envoy's retry budget (20 %, at least 3) — so a failing backend cannot turn
 * into a retry storm.
 */
export class RetryBudget {
  private active = 0;
  private retrying = 0;
  constructor(private readonly ratio = 0.2, private readonly minRetries = 3) {}

  begin(): void {
    this.active++;
  }
  end(): void {
    this.active--;
  }
  /** takes a retry token if the budget allows; release it with `retryDone` */
  tryRetry(): boolean {
    if (this.retrying >= Math.max(this.minRetries, this.ratio * this.active)) return false;
    this.retrying++;
    return true;
  }
  retryDone(): void {
    this.retrying--;
  }
}
