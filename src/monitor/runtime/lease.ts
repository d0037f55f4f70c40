/**
 * One route's ownership lease, `<prefix>:lease:<route>`: SET NX PX to take it, a
 * compare-and-renew script to keep it, compare-and-delete to give it back. The holder counts
 * itself owner only until its last successful renewal's start + ttl, minus a safety margin,
 * so an owner cut off from Redis stops before another monitor can take over.
 */
import type { RedisClient as Redis } from '../../redis/connect.ts';

const RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

export class Lease {
  private validUntil = 0;
  constructor(
    private readonly redis: Redis,
    readonly key: string,
    readonly owner: string,
    readonly ttlMs: number,
  ) {}

  /** Whether this process may still act as the owner. */
  held(now = Date.now()): boolean {
    return now < this.validUntil;
  }

  /** Takes the lease if free, or renews it if already ours. */
  async acquireOrRenew(): Promise<boolean> {
    const started = Date.now();
    try {
      if (this.validUntil > 0 && (await this.renewOnce())) {
        this.validUntil = started + this.ttlMs - this.margin();
        return true;
      }
      const ok = (await this.redis.set(this.key, this.owner, 'PX', this.ttlMs, 'NX')) === 'OK';
      this.validUntil = ok ? started + this.ttlMs - this.margin() : 0;
      return ok;
    } catch {
      // Unknown outcome: keep acting only until the last lease we are sure of runs out.
      return this.held();
    }
  }

  private async renewOnce(): Promise<boolean> {
    return Number(await this.redis.eval(RENEW, 1, this.key, this.owner, String(this.ttlMs))) === 1;
  }

  async release(): Promise<void> {
    this.validUntil = 0;
    try {
      await this.redis.eval(RELEASE, 1, this.key, this.owner);
    } catch {
      /* it expires by itself */
    }
  }

  /** drop the claim locally (after a failed renewal) */
  forget(): void {
    this.validUntil = 0;
  }

  private margin(): number {
    return Math.min(500, Math.floor(this.ttlMs / 10));
  }
}
