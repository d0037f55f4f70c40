/**
 * `node --import tsx bench/log-write.ts`: the cost per prediction-log entry once it leaves the
 * request path, against a private redis-server: building the entry (entry.ts, from the bench's
 * request and the bench backend's answer), then each way a batch can reach Redis. Client CPU is
 * this process's, Redis CPU comes from INFO commandstats. 20,000 entries in batches of 100
 * (BENCH_ENTRIES, BENCH_BATCH), 3 alternating rounds, medians. It runs compiled (bench/.build/),
 * like every other benchmark: through tsx the encoders measure up to 3x slower.
 * - `script` and `xadd` are BatchWriter's two modes (log.redis_write), as the gateway runs them;
 * - `script, JSON + cjson` is the script's earlier transport (the batch as JSON, decoded by
 *   cjson), and `script, flat ARGV` every field as its own argument: kept to compare.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { stop } from './procs.ts';
import { compiled, median, redisServer, REQUEST_FILE } from './common.ts';
import { BatchWriter } from '../src/predictions/batch-writer.ts';
import { toEntry, type Entry } from '../src/predictions/entry.ts';
import { JsonText } from '../src/predictions/json-text.ts';
import type { PredictionEvent } from '../src/predictions/record.ts';
import { unitEncoder } from '../src/predictions/unit-hash.ts';
import { routeSchema } from '../src/config/schema.ts';
import { compileRoute } from '../src/routing/compile.ts';

if (import.meta.url.endsWith('.ts')) {
  const r = spawnSync(process.execPath, [compiled(fileURLToPath(import.meta.url))], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const N = Number(process.env.BENCH_ENTRIES ?? 20_000);
const B = Number(process.env.BENCH_BATCH ?? 100);
const ROUNDS = 3;

const server = await redisServer();
process.on('exit', () => server.proc.kill('SIGKILL')); // a mode that throws must not leave it running
const r = new Redis(server.url);
r.defineCommand('js', { numberOfKeys: 1, lua: `local e = cjson.decode(ARGV[2]); for i = 1, #e do redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(e[i], 6)) end return #e` });
// flat ARGV: maxlen, then per entry its field count and fields (no encoding on either side)
r.defineCommand('flat', { numberOfKeys: 1, lua: `local i = 2 local n = #ARGV local c = 0 while i <= n do local k = tonumber(ARGV[i]) redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(ARGV, i + 1, i + k)) c = c + 1 i = i + k + 1 end return c` });

const KEY = 'bench:predictions:fraud';
const route = compileRoute('fraud', routeSchema.parse({ models: ['fraud'], variants: [{ name: 'v1', backend: 'http://127.0.0.1:1', version: '1', weight: 90 }, { name: 'v2', backend: 'http://127.0.0.1:2', version: '2', weight: 10 }] }), 1);
const request = readFileSync(REQUEST_FILE);
const answer = Buffer.from(JSON.stringify({ predictions: [0.4213, 0.0871, 0.9034] })); // bench/backend.ts
const ctx = { keyPrefix: 'bench:predictions:', maxlen: '100000', maxEntryBytes: 65_536, maxFeatures: 256, maxDepth: 64, unit: unitEncoder('hmac', 'bench').encode };
const event = (i: number): PredictionEvent => ({ ts: Date.now(), rid: `m3x9k2-${i.toString(36)}`, route, variant: i % 10 ? 'v1' : 'v2', version: i % 10 ? '1' : '2', role: 'live', assign: 'hash', unit: `user-${i % 10_000}`, bucket: i % 10_000, status: 200, latencyMs: 0.4 + (i % 7) / 10, protocol: 'v1', request: new JsonText(Buffer.from(request)), response: Buffer.from(answer), cfg: 1 });

const writers = { script: new BatchWriter(r as never, 'script'), xadd: new BatchWriter(r as never, 'xadd') };
type Mode = 'entry' | 'script' | 'xadd' | 'json' | 'flat';
const MODES: Mode[] = ['entry', 'script', 'xadd', 'json', 'flat'];
const NAMES: Record<Mode, string> = { entry: 'building the entry (toEntry)', script: 'script (default): MessagePack + cmsgpack', xadd: 'xadd: pipelined XADDs', json: 'script, JSON + cjson (earlier transport)', flat: 'script, flat ARGV' };

async function commandUs(): Promise<number> {
  const s = await r.info('commandstats');
  return [...s.matchAll(/cmdstat_(\w+):calls=\d+,usec=(\d+)/g)].filter((m) => !['info', 'config', 'del'].includes(m[1])).reduce((n, m) => n + Number(m[2]), 0);
}

async function once(mode: Mode): Promise<{ client: number; redis: number }> {
  const events = Array.from({ length: N }, (_, i) => event(i));
  let entries: Entry[] = [];
  if (mode !== 'entry') entries = events.map((e) => toEntry(e, ctx));
  await r.config('RESETSTAT');
  await r.del(KEY);
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i += B) {
    if (mode === 'entry') {
      for (let k = i; k < i + B; k++) entries[k - i] = toEntry(events[k], ctx);
      continue;
    }
    const batch = entries.slice(i, i + B);
    if (mode === 'script' || mode === 'xadd') {
      const out = await writers[mode].write(batch);
      if (out.some((x) => x !== null)) throw new Error(`${mode}: a write failed`);
    } else if (mode === 'json') {
      let j = '[';
      batch.forEach((e, k) => (j += (k ? ',' : '') + JSON.stringify(e.args)));
      await (r as unknown as { js(k: string, m: string, a: string): Promise<number> }).js(KEY, '100000', `${j}]`);
    } else {
      const flat: string[] = ['100000'];
      for (const e of batch) {
        flat.push(String(e.args.length - 5));
        for (let k = 5; k < e.args.length; k++) flat.push(e.args[k]);
      }
      await (r as unknown as { flat(k: string, a: string[]): Promise<number> }).flat(KEY, flat);
    }
  }
  const c = process.cpuUsage(c0);
  if (mode !== 'entry' && (await r.xlen(KEY)) !== N) throw new Error(`${mode}: ${await r.xlen(KEY)} of ${N} entries in the stream`);
  return { client: (c.user + c.system) / N, redis: mode === 'entry' ? 0 : (await commandUs()) / N };
}

const results = new Map<Mode, { client: number[]; redis: number[] }>(MODES.map((m) => [m, { client: [], redis: [] }]));
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of round % 2 ? [...MODES].reverse() : MODES) {
    const x = await once(mode);
    results.get(mode)!.client.push(x.client);
    results.get(mode)!.redis.push(x.redis);
  }
}
console.log(`${N} entries of bench/request.json in batches of ${B}, ${ROUNDS} alternating rounds, medians; Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log('| per entry | client CPU µs | Redis CPU µs |\n|---|---:|---:|');
for (const [mode, x] of results) console.log(`| ${NAMES[mode]} | ${median(x.client).toFixed(2)} | ${mode === 'entry' ? '' : median(x.redis).toFixed(2)} |`);
r.disconnect();
await stop(server.proc);
