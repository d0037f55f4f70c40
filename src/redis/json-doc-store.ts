/**
 * One JSON document per key (the monitor's per-route state: drift reports, canary plans, SRM
 * and shadow reports, ...): read, write, and compare-and-set on a numeric top-level field of
 * the document (a Lua script, so concurrent writers, the admin API and a monitor, never
 * overwrite each other: the loser reloads and decides again). Keys come from redis/keys.ts.
 */
import type { RedisClient as Redis } from './connect.ts';

/** KEYS: the doc. ARGV: field, expected value (-1: absent), new JSON ('' deletes). 1 on success. */
const CAS = `
local cur = redis.call('GET', KEYS[1])
local v = -1
if cur then v = tonumber(cjson.decode(cur)[ARGV[1]]) or 0 end
if v ~= tonumber(ARGV[2]) then return 0 end
if ARGV[3] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[3]) end
return 1
`;

export class JsonDocStore<T> {
  constructor(
    private readonly redis: Redis,
    /** the document's key for an id (a route) */
    readonly keyOf: (id: string) => string,
  ) {}

  async load(id: string): Promise<T | null> {
    const raw = await this.redis.get(this.keyOf(id));
    return raw ? (JSON.parse(raw) as T) : null;
  }

  async save(id: string, doc: T): Promise<void> {
    await this.redis.set(this.keyOf(id), JSON.stringify(doc));
  }

  /**
   * Writes `doc` (null deletes) only while the stored document's numeric `field` is still
   * `expected` (-1: no document). Returns whether it did.
   */
  async saveIf(id: string, field: string, expected: number, doc: T | null): Promise<boolean> {
    return Number(await this.redis.eval(CAS, 1, this.keyOf(id), field, String(expected), doc === null ? '' : JSON.stringify(doc))) === 1;
  }
}
