/**
 * The IPC messages between a replica's primary process (admin API, /metrics aggregation,
 * worker supervision) and its data-plane workers (node:cluster). One definition for both sides.
 */
import type { Registry } from 'prom-client';
import type { ConfigSnapshot } from '../config/snapshot.ts';

export type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** worker -> primary */
export type WorkerMessage =
  | { t: 'mg:hello' }
  | { t: 'mg:listening'; port: number }
  | { t: 'mg:metrics-req'; id: number }
  | { t: 'mg:metrics-json'; id: number; json: MetricsJson };

/** primary -> worker */
export type PrimaryMessage =
  | { t: 'mg:snapshot'; snapshot: ConfigSnapshot | null }
  | { t: 'mg:collect'; id: number }
  | { t: 'mg:metrics-res'; id: number; ok: true; body: string; contentType: string }
  | { t: 'mg:metrics-res'; id: number; ok: false; message: string };

export function isMessage<T extends { t: string }>(m: unknown): m is T {
  return typeof m === 'object' && m !== null && typeof (m as { t?: unknown }).t === 'string' && (m as { t: string }).t.startsWith('mg:');
}

/** env var through which the primary hands its replica id to the workers */
export const REPLICA_ID_ENV = 'MODELGATE_REPLICA_ID';
/** how long the primary waits for one worker's metrics before leaving it out of a scrape */
export const COLLECT_TIMEOUT_MS = 2_000;
