/**
 * Writes a batch of stream entries to Redis. Mode `script` (default) sends one EVALSHA per
 * stream: the entries travel as one MessagePack argument (msgpack-batch.ts, a Buffer: their
 * fields' bytes as they are, nothing escaped) and a Lua script decodes it with Redis'
 * built-in cmsgpack and XADDs them in order. Mode `xadd` sends a pipeline of plain XADDs, for
 * deployments where Redis CPU is the scarcer resource (`bench/log-write.ts` measures both).
 * The script stops at the first failing XADD and reports how many it wrote, so the rest are
 * retried in order. If the script cannot run on a group (a Redis-compatible server without
 * cmsgpack, an entry with more fields than Lua's unpack takes), that group is written at once
 * as a pipeline of plain XADDs. Each script call touches one key, so it runs on Redis
 * Cluster, where each goes to its key's node.
 */
import type { RedisClient as Redis } from '../redis/connect.ts';
import { pipelineByKey } from '../redis/cluster-ops.ts';
import { msgpackBatch, type Fields } from './msgpack-batch.ts';

const SCRIPT = `
local ok_count = 0
local entries = cmsgpack.unpack(ARGV[2])
for i = 1, #entries do
  local e = entries[i]
  local ok, err = pcall(redis.call, 'XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(e))
  if not ok then
    return {ok_count, tostring(err and (err.err or err) or 'error')}
  end
  ok_count = ok_count + 1
end
return {ok_count, ''}
`;


/** An entry as the writer takes it (entry.ts makes them). */
export interface Writable extends Fields {
  /** XADD arguments: key MAXLEN ~ N * field value ... */
  readonly args: string[];
}

/** args before the fields: key MAXLEN ~ N * */
const FIELDS_AT = 5;

/** Per entry of `batch`, in order: null when written, else the error. */
export type WriteOutcome = Array<Error | null>;

export type WriteMode = 'script' | 'xadd';

export class BatchWriter {
  /** groups that needed the plain-XADD fallback (for tests and diagnostics) */
  fallbacks = 0;
  constructor(
    private readonly client: Redis,
    private readonly mode: WriteMode = 'script',
  ) {
    if (!('xaddBatch' in client)) client.defineCommand('xaddBatch', { numberOfKeys: 1, lua: SCRIPT });
  }

  async write(batch: readonly Writable[]): Promise<WriteOutcome> {
    if (this.mode === 'xadd') return this.writePipeline(batch);
    const groups = new Map<string, number[]>();
    batch.forEach((e, i) => {
      const g = groups.get(e.args[0]);
      if (g) g.push(i);
      else groups.set(e.args[0], [i]);
    });
    const out: WriteOutcome = new Array(batch.length).fill(null);
    const order = [...groups].map(([key, idx]) => ({ key, idx }));
    // one call per stream, all in flight at once (on a cluster each goes to its key's node); not
    // a pipeline, which builds a Pipeline object per batch and copies Buffer arguments twice more
    // (its saving did not show above this machine's noise in bench/log-write.ts)
    const client = this.client as unknown as { xaddBatch(key: string, maxlen: string, entries: Buffer): Promise<[number, string]> };
    const results = await Promise.all(
      order.map(({ key, idx }) => {
        const entries = idx.length === batch.length ? batch : idx.map((i) => batch[i]);
        return client.xaddBatch(key, batch[idx[0]].args[3], msgpackBatch(entries, FIELDS_AT)).then(
          (reply): [Error | null, unknown] => [null, reply],
          (err: Error): [Error | null, unknown] => [err, null],
        );
      }),
    );
    const retry: number[] = [];
    order.forEach(({ idx }, g) => {
      const [err, reply] = results[g];
      if (err) {
        // the script could not run on this group (not a connection problem): plain XADDs instead
        if (/user_script|cmsgpack/i.test(err.message)) retry.push(...idx);
        else for (const i of idx) out[i] = err;
        return;
      }
      const [written, message] = reply as [number, string];
      for (let k = written; k < idx.length; k++) out[idx[k]] = new Error(message || 'not written');
    });
    if (retry.length > 0) {
      this.fallbacks++;
      const plain = await this.writePipeline(retry.map((i) => batch[i]));
      retry.forEach((i, k) => (out[i] = plain[k]));
    }
    return out;
  }

  private async writePipeline(batch: readonly Writable[]): Promise<WriteOutcome> {
    const results = await pipelineByKey(this.client, batch.map((e) => ({ key: e.args[0], args: e.args })), (pipe, e) => void pipe.call('xadd', e.args));
    return results.map((r) => r[0]);
  }
}
