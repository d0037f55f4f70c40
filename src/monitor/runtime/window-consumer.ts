/**
 * The per-route half of an analysis (runtime/analysis.ts). The route worker reads a route's
 * stream, drops duplicates, cuts tumbling windows per (role, variant), and hands entries and
 * closed windows to the consumer of every analysis in src/monitor/analyses.ts (drift, canary
 * controller, SRM watch, shadow reports, experiments), each in its own folder, without
 * touching the worker.
 *
 * Delivery contract: entries arrive once per process in stream order; a window's entries are
 * acknowledged in Redis only after every consumer's onWindow resolved. After a takeover the
 * pending entries are replayed, so a consumer that keeps results in Redis must skip windows
 * (or entries) it already accounted for: it persists its own progress with its results.
 */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import type { FileConfig, RouteConfig } from '../../config/schema.ts';
import type { Logger } from '../../telemetry/logger.ts';
import type { LogEntry } from '../../predictions/schema.ts';
import type { MonitorEvents } from './events.ts';
import type { Window } from './windows.ts';

export interface RouteContext {
  readonly route: string;
  /** the route's config, when the monitor's config file knows it */
  readonly routeConfig: RouteConfig | undefined;
  readonly monitor: FileConfig['monitor'];
  readonly prefix: string;
  readonly redis: Redis;
  readonly logger: Logger;
  readonly events: MonitorEvents;
  /** false once the lease is lost: stop writing shared state */
  owned(): boolean;
}

export interface WindowConsumer {
  readonly name: string;
  /** the route was acquired: load persisted state before any entry */
  start?(): Promise<void>;
  /** each batch of new entries, in stream order, before they are put in windows */
  onEntries?(entries: readonly LogEntry[]): void | Promise<void>;
  /** a closed window; throwing leaves its entries pending (they are replayed) */
  onWindow?(window: Window): void | Promise<void>;
  /** called about every poll interval, also when the stream is idle */
  onTick?(now: number): void | Promise<void>;
  /** the route was released (shutdown or lease lost) */
  stop?(): void | Promise<void>;
}

export type ConsumerFactory = (ctx: RouteContext) => WindowConsumer;
