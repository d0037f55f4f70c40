/**
 * Model quality of a route in Redis: one hash, `<prefix>:performance:<route>` (one key, one
 * cluster slot), fields
 *   report   JSON PerformanceReport, rewritten by the owning monitor when labels join
 *   state    JSON PerformanceState (kept pairs, outcome-stream cursor, counters) for a takeover
 */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import type { LabelCounter } from './label-join.ts';
import type { PerformanceReport } from './performance-report.ts';
import type { WindowSnapshot } from './quality-windows.ts';

import { performanceKey } from '../../redis/keys.ts';
export { performanceKey };

export interface PerformanceState {
  /** the performance block the pairs were scored with (a change starts afresh) */
  config: string;
  /** the last outcome-stream entry read */
  cursor: string;
  windows: WindowSnapshot[];
  expired: number;
  counters: Record<LabelCounter, number>;
}

export class PerformanceStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async report(route: string): Promise<PerformanceReport | null> {
    const raw = await this.redis.hget(performanceKey(this.prefix, route), 'report');
    return raw ? (JSON.parse(raw) as PerformanceReport) : null;
  }

  async state(route: string): Promise<PerformanceState | null> {
    const raw = await this.redis.hget(performanceKey(this.prefix, route), 'state');
    try {
      return raw ? (JSON.parse(raw) as PerformanceState) : null;
    } catch {
      return null;
    }
  }

  async save(route: string, report: PerformanceReport, state?: PerformanceState): Promise<void> {
    const fields = ['report', JSON.stringify(report)];
    if (state) fields.push('state', JSON.stringify(state));
    await this.redis.hset(performanceKey(this.prefix, route), ...fields);
  }
}
