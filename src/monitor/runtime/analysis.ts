/**
 * The one shape of a monitor analysis (drift, canary, SRM, shadow report, experiments, ...).
 * Every analysis lives in its own folder under src/monitor/ with the same kinds of files: a
 * plan (what an operator asks for, validated once), pure window statistics and a pure
 * decision (`decide`), a store (its document in Redis, keys from redis/keys.ts), a window
 * consumer (the I/O: consumes the route's entries and closed windows under the delivery
 * contract of window-consumer.ts), and its admin routes, metrics and CLI view. It registers
 * in the one list, src/monitor/analyses.ts; the scheduler (runtime/monitor.ts) knows nothing
 * about any of them.
 */
import type { Registry } from 'prom-client';
import type { FileConfig } from '../../config/schema.ts';
import type { ConfigStore } from '../../config/store.ts';
import type { Logger } from '../../telemetry/logger.ts';
import type { Alerter } from './alerts.ts';
import type { MonitorEvents } from './events.ts';
import type { Notifier } from './notify.ts';
import type { ConsumerFactory } from './window-consumer.ts';

/** What the monitor process shares with every analysis. */
export interface AnalysisRuntime {
  readonly cfg: FileConfig;
  readonly logger: Logger;
  /** the registry the monitor's /metrics serves */
  readonly registry: Registry;
  readonly events: MonitorEvents;
  /** the one notifier (log line + webhook) */
  readonly notifier: Notifier;
  /** drift alerts, built on the notifier */
  readonly alerter: Alerter;
  /** the versioned config store (weights change only through it); absent in bare test setups */
  readonly store?: ConfigStore;
}

export interface Analysis {
  /** `drift`, `canary`, `srm`, `shadow-report`, `experiments`, ... */
  readonly name: string;
  /** the plan an operator starts it with (its schema or parser), when it has one */
  readonly plan?: string;
  /** the Redis documents it keeps, as `<prefix>:...` patterns (built in redis/keys.ts) */
  readonly store: readonly string[];
  /** the admin API routes that serve or change it */
  readonly routes: readonly string[];
  /** the metric names it exports */
  readonly metrics: readonly string[];
  /** the `modelgate ctl` command that shows it */
  readonly view?: string;
  /** the per-route consumer (consume(window) and decide() live behind it); undefined: not run here (logged) */
  consumer(rt: AnalysisRuntime): ConsumerFactory | undefined;
}
