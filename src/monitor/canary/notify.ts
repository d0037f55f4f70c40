/**
 * Canary and SRM notifications: a log line always, and a POST of JSON to
 * `monitor.webhook_url` when set. Fire and forget with a deadline and a cap on requests in
 * flight (over the cap the notice is dropped and logged): a slow receiver never slows the
 * controller or the admin API.
 */
import type { Logger } from '../../telemetry/logger.ts';
import type { CanaryDoc } from './state.ts';

const MAX_INFLIGHT = 16;
const TIMEOUT_MS = 5000;

export interface Notifier {
  send(body: Record<string, unknown>, level: 'info' | 'warn' | 'error', message: string): void;
  close(): Promise<void>;
}

export function createNotifier(url: string | undefined, logger: Logger): Notifier {
  const inflight = new Set<Promise<void>>();
  return {
    send(body, level, message) {
      logger[level]({ notice: body }, message);
      if (!url) return;
      if (inflight.size >= MAX_INFLIGHT) {
        logger.warn({ type: body.type }, 'webhook dropped: too many in flight');
        return;
      }
      const p = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS) })
        .then(async (res) => {
          await res.arrayBuffer().catch(() => undefined);
          if (!res.ok) logger.warn({ status: res.status, type: body.type }, 'webhook answered with an error status');
        })
        .catch((e: unknown) => logger.warn({ err: (e as Error).message, type: body.type }, 'webhook failed'))
        .finally(() => inflight.delete(p));
      inflight.add(p);
    },
    async close() {
      await Promise.allSettled([...inflight]);
    },
  };
}

/** The webhook body and log line of a canary state change. */
export function canaryNotice(prev: Pick<CanaryDoc, 'state' | 'step' | 'weight'> | null, d: CanaryDoc): { body: Record<string, unknown>; level: 'info' | 'warn' | 'error'; message: string } {
  const body = {
    type: 'canary_state_changed',
    route: d.route,
    canary: d.plan.canary,
    stable: d.plan.stable,
    from: prev?.state ?? null,
    to: d.state,
    step: d.step,
    weight: d.weight,
    previous_weight: prev?.weight ?? null,
    reason: d.reason,
    by: d.history[d.history.length - 1]?.by ?? 'canary',
    at: new Date(d.updated_at).toISOString(),
  };
  const level = d.state === 'rolled_back' ? 'error' : d.state === 'holding' || d.state === 'aborted' ? 'warn' : 'info';
  const message = `canary ${d.route}: ${prev?.state ?? 'new'} -> ${d.state}, ${d.plan.canary} at ${d.weight}% (step ${d.step + 1}/${d.plan.steps.length})${d.reason ? `: ${d.reason}` : ''}`;
  return { body, level, message };
}
