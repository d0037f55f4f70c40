/**
 * Stored hourly aggregates of `seasonal` routes (hour-aggregates.ts) in one Redis hash per
 * route, `<prefix>:baseline:<route>:hours`, one field per window key and UTC hour of the week
 * (`live:v1@110`): at most 168 fields per window key, each holding the newest `weeks` hours.
 * Single-key commands only (Redis Cluster).
 */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import type { SlotAggregates } from './hour-aggregates.ts';

import { baselineHoursKey as hoursKey } from '../../redis/keys.ts';
export { hoursKey };
export const slotField = (windowKey: string, hourOfWeek: number): string => `${windowKey}@${hourOfWeek}`;

export class HourStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async load(route: string, field: string): Promise<SlotAggregates | null> {
    const raw = await this.redis.hget(hoursKey(this.prefix, route), field);
    return raw ? (JSON.parse(raw) as SlotAggregates) : null;
  }

  async save(route: string, field: string, slot: SlotAggregates): Promise<void> {
    await this.redis.hset(hoursKey(this.prefix, route), field, JSON.stringify(slot));
  }
}
