/**
 * Every Redis key modelgate uses, built here and nowhere else (DESIGN.md "Redis keys"; the
 * table below mirrors it and adds the monitor's own keys). `<prefix>` is `redis.prefix`
 * (default `modelgate`). Keys are laid out for Redis Cluster: the config keys share one hash
 * tag `{<prefix>}` (one compare-and-set script spans them); everything per route is keyed by
 * route, so the streams and the monitor's state spread across the cluster.
 *
 * | key | holds |
 * | --- | --- |
 * | `{<prefix>}:config`, `{<prefix>}:config:history`, `{<prefix>}:audit` | versioned config, history, audit stream |
 * | `<prefix>:config:events` | pub/sub channel announcing new versions |
 * | `<prefix>:replicas:<id>` | replica heartbeat and applied version (with a TTL) |
 * | `<prefix>:predictions:<route>`, `<prefix>:outcomes:<route>` | the streams |
 * | `<prefix>:baseline:<route>`, `<prefix>:drift:<route>`, `<prefix>:lease:<route>`, `<prefix>:canary:<route>` | monitor state |
 * | `<prefix>:srm:<route>`, `<prefix>:shadows:<route>`, `<prefix>:experiment:<route>` | SRM watch, shadow report, A/B experiment |
 * | `<prefix>:baseline:<route>:hours` | seasonal baselines: sampled entries per hour of the week (hash) |
 * | `<prefix>:drift-history:<route>`, `<prefix>:experiment-history:<route>` | capped histories of drift windows and experiment looks |
 * | `<prefix>:performance:<route>` | model quality from delayed labels (report and takeover state) |
 * | `<prefix>:monitors` | live monitors (sorted set scored by their last heartbeat) |
 */

/** The config keys (one hash tag) and the replica keys. */
export function configKeys(prefix: string) {
  const tag = `{${prefix}}`;
  return {
    config: `${tag}:config`,
    history: `${tag}:config:history`,
    audit: `${tag}:audit`,
    events: `${prefix}:config:events`,
    replica: (id: string) => `${prefix}:replicas:${id}`,
    replicaPattern: `${prefix}:replicas:*`,
  };
}

/** The stream key prefix of the prediction log: `<prefix>:predictions:` + route. */
export const predictionsKeyPrefix = (prefix: string): string => `${prefix}:predictions:`;
export const predictionsKey = (prefix: string, route: string): string => predictionsKeyPrefix(prefix) + route;
/** The stream key prefix of business outcomes and labels: `<prefix>:outcomes:` + route. */
export const outcomesKeyPrefix = (prefix: string): string => `${prefix}:outcomes:`;
export const outcomesKey = (prefix: string, route: string): string => outcomesKeyPrefix(prefix) + route;

export const baselineKey = (prefix: string, route: string): string => `${prefix}:baseline:${route}`;
export const driftKey = (prefix: string, route: string): string => `${prefix}:drift:${route}`;
export const leaseKey = (prefix: string, route: string): string => `${prefix}:lease:${route}`;
export const canaryKey = (prefix: string, route: string): string => `${prefix}:canary:${route}`;
export const srmKey = (prefix: string, route: string): string => `${prefix}:srm:${route}`;
export const shadowsKey = (prefix: string, route: string): string => `${prefix}:shadows:${route}`;
export const experimentKey = (prefix: string, route: string): string => `${prefix}:experiment:${route}`;
export const baselineHoursKey = (prefix: string, route: string): string => `${prefix}:baseline:${route}:hours`;
export const driftHistoryKey = (prefix: string, route: string): string => `${prefix}:drift-history:${route}`;
export const experimentHistoryKey = (prefix: string, route: string): string => `${prefix}:experiment-history:${route}`;
export const performanceKey = (prefix: string, route: string): string => `${prefix}:performance:${route}`;
export const monitorsKey = (prefix: string): string => `${prefix}:monitors`;
