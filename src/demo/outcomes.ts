/**
 * Business outcomes for the demo's traffic, so experiment walkthroughs have data: each served
 * prediction's unit "converts" with a per-variant probability (v2 a little better than v1),
 * reported to POST /v1/outcomes by request id as metric `converted` (value 1, idempotent per
 * unit), plus `revenue` (the transaction amount) for converted units. Posted in batches.
 */
import { request } from 'undici';

/** chance that a served unit converts, by variant name (others: the first entry's) */
export const DEMO_CONVERSION: Record<string, number> = { v1: 0.1, v2: 0.13 };

export interface DemoOutcome {
  request_id: string;
  route: string;
  metric: string;
  value: number;
  id: string;
}

/** The outcomes one served prediction produces (pure: `draw` is the random source). */
export function outcomesFor(route: string, requestId: string, unit: string, variant: string | undefined, amount: number, draw: () => number, rates = DEMO_CONVERSION): DemoOutcome[] {
  const p = (variant === undefined ? undefined : rates[variant]) ?? Object.values(rates)[0];
  if (draw() >= p) return [];
  return [
    { request_id: requestId, route, metric: 'converted', value: 1, id: `converted:${unit}` },
    { request_id: requestId, route, metric: 'revenue', value: amount, id: `revenue:${requestId}` },
  ];
}

/** Batches outcomes (and labels) and posts them every `everyMs` (or at 500), counting what was accepted. */
export class OutcomePoster {
  accepted = 0;
  failed = 0;
  private batch: object[] = [];
  private timer: NodeJS.Timeout;
  private inflight = new Set<Promise<void>>();
  private later = new Set<NodeJS.Timeout>();

  constructor(
    private readonly url: string,
    everyMs = 500,
  ) {
    this.timer = setInterval(() => this.flush(), everyMs);
    this.timer.unref();
  }

  add(outcomes: readonly object[]): void {
    this.batch.push(...outcomes);
    if (this.batch.length >= 500) this.flush();
  }

  /** adds them after `delayMs` (delayed feedback); those still waiting at close() are not sent */
  addLater(outcomes: readonly object[], delayMs: number): void {
    const t = setTimeout(() => {
      this.later.delete(t);
      this.add(outcomes);
    }, delayMs);
    t.unref();
    this.later.add(t);
  }

  flush(): void {
    if (!this.batch.length) return;
    const outcomes = this.batch;
    this.batch = [];
    const p = request(`${this.url}/v1/outcomes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcomes }) })
      .then(async (res) => {
        await res.body.dump();
        if (res.statusCode === 202) this.accepted += outcomes.length;
        else this.failed += outcomes.length;
      })
      .catch(() => void (this.failed += outcomes.length))
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const t of this.later) clearTimeout(t);
    this.later.clear();
    this.flush();
    await Promise.all(this.inflight);
  }
}
