/**
 * `<prefix>:canary:<route>`: the plan and its state, one JSON document (state.ts). Every
 * write is a compare-and-set on the document's `rev` (a Lua script), so the admin API and
 * the controller never overwrite each other's changes: the loser reloads and decides again.
 */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import type { CanaryDoc } from './state.ts';
import { canaryKey } from '../../redis/keys.ts';


/** KEYS: the doc. ARGV: expected rev (-1: absent), new JSON ('' deletes). 1 on success. */
const CAS = `
local cur = redis.call('GET', KEYS[1])
local rev = -1
if cur then rev = tonumber(cjson.decode(cur).rev) or 0 end
if rev ~= tonumber(ARGV[1]) then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end
return 1
`;

export class CanaryStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async load(route: string): Promise<CanaryDoc | null> {
    const raw = await this.redis.get(canaryKey(this.prefix, route));
    return raw ? (JSON.parse(raw) as CanaryDoc) : null;
  }

  /** Writes `doc` if the stored rev is still `expectedRev` (-1: no doc); returns the stored doc or null. */
  async save(doc: CanaryDoc, expectedRev: number): Promise<CanaryDoc | null> {
    const next = { ...doc, rev: expectedRev + 1 };
    const ok = await this.redis.eval(CAS, 1, canaryKey(this.prefix, doc.route), String(expectedRev), JSON.stringify(next));
    return Number(ok) === 1 ? next : null;
  }

  async remove(route: string, expectedRev: number): Promise<boolean> {
    return Number(await this.redis.eval(CAS, 1, canaryKey(this.prefix, route), String(expectedRev), '')) === 1;
  }
}
