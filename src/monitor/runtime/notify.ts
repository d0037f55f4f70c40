/**
 * THE notifier of every analysis (drift status changes, canary state changes and warnings, SRM
 * alarms, experiment ends) and of the admin API's canary actions: a log line always, and a
 * POST of JSON to `monitor.webhook_url` when set. Fire and forget with a deadline and a cap on
 * requests in flight (over the cap the notice is dropped, logged and counted): a slow receiver
 * never slows the monitor or the admin API.
 */
import type { Logger } from '../../telemetry/logger.ts';

const MAX_INFLIGHT = 16;
const TIMEOUT_MS = 5000;

export interface Notifier {
  send(body: Record<string, unknown>, level: 'info' | 'warn' | 'error', message: string): void;
  close(): Promise<void>;
}

export type WebhookResult = 'sent' | 'failed' | 'dropped';

export function createNotifier(url: string | undefined, logger: Logger, onWebhook: (r: WebhookResult) => void = () => {}): Notifier {
  const inflight = new Set<Promise<void>>();
  return {
    send(body, level, message) {
      logger[level]({ notice: body }, message);
      if (!url) return;
      if (inflight.size >= MAX_INFLIGHT) {
        logger.warn({ type: body.type }, 'webhook dropped: too many in flight');
        onWebhook('dropped');
        return;
      }
      const p = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS) })
        .then(async (res) => {
          await res.arrayBuffer().catch(() => undefined);
          onWebhook(res.ok ? 'sent' : 'failed');
          if (!res.ok) logger.warn({ status: res.status, type: body.type }, 'webhook answered with an error status');
        })
        .catch((e: unknown) => {
          onWebhook('failed');
          logger.warn({ err: (e as Error).message, type: body.type }, 'webhook failed');
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
    },
    async close() {
      await Promise.allSettled([...inflight]);
    },
  };
}
