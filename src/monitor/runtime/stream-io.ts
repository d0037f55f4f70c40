/**
 * The route worker's Redis stream operations: the consumer group, reads with a consistent
 * lag/loss snapshot, reclaiming a dead consumer's pending entries, acknowledgements.
 */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import { parseEntry, type LogEntry } from '../../predictions/schema.ts';
import { parseGroupInfo, parseStreamInfo, trimmedUnread, groupLag, type GroupInfo, type StreamInfo } from './loss.ts';

export const MONITOR_GROUP = 'modelgate-monitor';

/**
 * XREADGROUP run inside Redis, each entry's fields joined with NUL into one string: the
 * client then decodes 2 bulk strings per entry instead of 2 + 2 x fields, which is most of
 * the monitor's CPU at high rates. Entry fields never hold a raw NUL (JSON escapes it).
 */
const READ_JOINED = `local r = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', KEYS[1], '>')
if not r then return {} end
local out = {}
for _, e in ipairs(r[1][2]) do
  out[#out + 1] = e[1]
  out[#out + 1] = table.concat(e[2], '\\0')
end
return out`;

type RawEntry = [string, string[]];

const toEntries = (raw: RawEntry[] | null | undefined): LogEntry[] => (raw ?? []).filter((r) => Array.isArray(r[1])).map(([id, flat]) => parseEntry(id, flat));

export class StreamIO {
  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly consumer: string,
    readonly group = MONITOR_GROUP,
  ) {}

  /**
   * Creates the group at the start of the stream (so entries already there are judged), with
   * entries-read set to what was trimmed before it existed: that is not loss.
   */
  async ensureGroup(): Promise<void> {
    let info: StreamInfo | null = null;
    try {
      info = parseStreamInfo(await this.redis.call('XINFO', 'STREAM', this.key));
    } catch {
      /* no stream yet */
    }
    const already = info ? Math.max(0, info.entriesAdded - info.length) : 0;
    try {
      await this.redis.call('XGROUP', 'CREATE', this.key, this.group, '0', 'MKSTREAM', 'ENTRIESREAD', String(already));
    } catch (e) {
      if (!String((e as Error).message).includes('BUSYGROUP')) throw e;
    }
  }

  /** Claims every pending entry of the group from `start` (any consumer), in id order. */
  async reclaim(start: string, count: number): Promise<{ next: string; entries: LogEntry[]; deleted: number }> {
    const r = (await this.redis.call('XAUTOCLAIM', this.key, this.group, this.consumer, '0', start, 'COUNT', String(count))) as [string, RawEntry[], string[]?];
    return { next: r[0], entries: toEntries(r[1]), deleted: r[2]?.length ?? 0 };
  }

  /** New entries, with the stream and group state as they were just before the read. */
  async read(count: number): Promise<{ entries: LogEntry[]; stream: StreamInfo; group: GroupInfo | null }> {
    const res = await this.redis
      .pipeline()
      .call('XINFO', 'STREAM', this.key)
      .call('XINFO', 'GROUPS', this.key)
      .eval(READ_JOINED, 1, this.key, this.group, this.consumer, String(count))
      .exec();
    if (!res) throw new Error('pipeline aborted');
    for (const [err] of res) if (err) throw err;
    const stream = parseStreamInfo(res[0][1]);
    const group = parseGroupInfo(res[1][1], this.group);
    const joined = (res[2][1] ?? []) as string[];
    const entries: LogEntry[] = [];
    for (let i = 0; i + 1 < joined.length; i += 2) entries.push(parseEntry(joined[i], joined[i + 1].split('\0')));
    return { entries, stream, group };
  }

  /** Moves the group's entries-read past a gap already reported as lost. */
  async skipLost(lost: number): Promise<void> {
    const g = parseGroupInfo(await this.redis.call('XINFO', 'GROUPS', this.key), this.group);
    if (!g || g.entriesRead === null) return;
    await this.redis.call('XGROUP', 'SETID', this.key, this.group, g.lastDeliveredId, 'ENTRIESREAD', String(g.entriesRead + lost));
  }

  async ack(ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 5000) await this.redis.xack(this.key, this.group, ...ids.slice(i, i + 5000));
  }

  /** Removes consumers of the group that hold nothing (dead monitors, after a reclaim). */
  async forgetIdleConsumers(): Promise<void> {
    const list = (await this.redis.call('XINFO', 'CONSUMERS', this.key, this.group)) as unknown[][];
    for (const c of list) {
      const o: Record<string, unknown> = {};
      for (let i = 0; i + 1 < c.length; i += 2) o[String(c[i])] = c[i + 1];
      if (o.name !== this.consumer && Number(o.pending) === 0) await this.redis.call('XGROUP', 'DELCONSUMER', this.key, this.group, String(o.name));
    }
  }
}

export { trimmedUnread, groupLag };
