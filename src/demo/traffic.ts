/**
 * A traffic generator for the demo: transactions from a fixed-seed distribution, one user id
 * per request from a pool, at a steady rate. `shift` moves one feature's distribution (drift).
 */
import { request } from 'undici';
import { mulberry32 } from '../monitor/runtime/synthetic.ts';

export interface Reply {
  status: number;
  variant: string | undefined;
  requestId: string | undefined;
  unit: string;
  amount: number;
}

export interface TrafficOptions {
  url: string;
  model?: string;
  rate: number;
  /** stop after this many requests (default: run until stopped) */
  count?: number;
  users?: number;
  /** a feature whose distribution is shifted: amount (x3), merchant_risk (+0.3), hour (night), country (more NG) */
  shift?: 'amount' | 'merchant_risk' | 'hour' | 'country';
  /** start shifting after this many requests */
  shiftAfter?: number;
  seed?: number;
  /** every answer: its status, the variant that served it, its x-request-id, the unit and the transaction */
  onReply?: (reply: Reply) => void;
}

/** mulberry32: small, fast, seeded (shared with the monitor's synthetic traffic). */
export const rng = mulberry32;

const COUNTRIES = ['US', 'US', 'US', 'GB', 'DE', 'DE', 'BR', 'NG'];

export function transaction(r: () => number, shift?: TrafficOptions['shift']) {
  const gauss = () => Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
  let amount = Math.round(Math.exp(4 + 0.9 * gauss()) * 100) / 100;
  let merchant_risk = Math.round(Math.min(1, Math.max(0, 0.25 + 0.12 * gauss())) * 1000) / 1000;
  let hour = Math.floor(r() * 24);
  let country = COUNTRIES[Math.floor(r() * COUNTRIES.length)];
  if (shift === 'amount') amount = Math.round(amount * 3 * 100) / 100;
  if (shift === 'merchant_risk') merchant_risk = Math.min(1, merchant_risk + 0.3);
  if (shift === 'hour') hour = Math.floor(r() * 6);
  if (shift === 'country') country = r() < 0.5 ? 'NG' : country;
  return { amount, merchant_risk, hour, country };
}

export async function runTraffic(o: TrafficOptions, signal?: AbortSignal): Promise<{ sent: number; failed: number }> {
  const r = rng(o.seed ?? 7);
  const users = o.users ?? 5000;
  const url = `${o.url}/v1/models/${o.model ?? 'fraud'}:predict`;
  const interval = 1000 / o.rate;
  let sent = 0;
  let failed = 0;
  const pending = new Set<Promise<void>>();
  const t0 = performance.now();
  while (!signal?.aborted && (o.count === undefined || sent < o.count)) {
    const shifted = o.shift && sent >= (o.shiftAfter ?? 0) ? o.shift : undefined;
    const tx = transaction(r, shifted);
    const body = JSON.stringify({ instances: [tx] });
    const user = `user-${Math.floor(r() * users)}`;
    sent++;
    const p = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-user-id': user }, body })
      .then(async (res) => {
        await res.body.dump();
        if (res.statusCode >= 500) failed++;
        o.onReply?.({ status: res.statusCode, variant: res.headers['x-model-variant'] as string | undefined, requestId: res.headers['x-request-id'] as string | undefined, unit: user, amount: tx.amount });
      })
      .catch(() => {
        failed++;
      })
      .finally(() => pending.delete(p));
    pending.add(p);
    const wait = t0 + sent * interval - performance.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
  }
  await Promise.all(pending);
  return { sent, failed };
}
