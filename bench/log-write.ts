/**
 * `node --import tsx bench/log-write.ts`: the cost per prediction-log entry of the two ways a
 * batch reaches Redis (log.redis_write): client CPU (this process) and Redis CPU (from INFO
 * commandstats), 20,000 entries in batches of 50, against a private redis-server.
 */
import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort, start, stop } from './procs.ts';

const port = await freePort();
const server = start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
for (let i = 0; i < 100 && !spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().includes('PONG'); i++) await new Promise((r) => setTimeout(r, 50));
const r = new Redis(`redis://127.0.0.1:${port}`);
const JSONS = `local e = cjson.decode(ARGV[2]); for i = 1, #e do redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(e[i], 6)) end return #e`;
r.defineCommand('js', { numberOfKeys: 1, lua: JSONS });
// flat ARGV: maxlen, then per entry its field count and fields (no JSON on either side)
const FLAT = `local i = 2 local n = #ARGV local c = 0 while i <= n do local k = tonumber(ARGV[i]) redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(ARGV, i + 1, i + k)) c = c + 1 i = i + k + 1 end return c`;
r.defineCommand('flat', { numberOfKeys: 1, lua: FLAT });
const feats = JSON.stringify([{ amount: 120.5, merchant_risk: 0.31, hour: 23, country: 'BR' }]);
const entry = (i: number) => ['k', 'MAXLEN', '~', '100000', '*', 'v', '1', 'ts', String(Date.now()), 'rid', 'abcdef12-mwx-' + i, 'route', 'fraud', 'variant', 'v1', 'version', '1.4.2', 'role', 'live', 'assign', 'hash', 'unit', '0123456789abcdef', 'bucket', '1234', 'status', '200', 'latency_ms', '0.512', 'features', feats, 'prediction', '[0.4213]', 'cfg', '1'];
const N = 20000, B = 50;
async function stat() { const s = await r.info('commandstats'); const m = [...s.matchAll(/cmdstat_(\w+):calls=(\d+),usec=(\d+)/g)]; return Object.fromEntries(m.map((x) => [x[1], Number(x[3])])); }
for (const mode of ['pipeline', 'json', 'flat', 'pipeline', 'json', 'flat']) {
  await r.config('RESETSTAT'); await r.del('k');
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < N; i += B) {
    const batch = Array.from({ length: B }, (_, k) => entry(i + k));
    if (mode === 'pipeline') { const p = r.pipeline(); for (const e of batch) p.call('xadd', e); await p.exec(); }
    else if (mode === 'json') { let j = '['; batch.forEach((e, k) => (j += (k ? ',' : '') + JSON.stringify(e))); await (r as any).js('k', '100000', j + ']'); }
    else { const flat: string[] = ['100000']; for (const e of batch) { flat.push(String(e.length - 5)); for (let k = 5; k < e.length; k++) flat.push(e[k]); } await (r as any).flat('k', flat); }
  }
  const c = process.cpuUsage(c0); const st = await stat();
  const redisUs = Object.entries(st).filter(([k]) => k !== 'info' && k !== 'config' && k !== 'del').reduce((s, [, v]) => s + v, 0);
  console.log(mode === 'json' ? 'script (EVALSHA + cjson)' : mode === 'flat' ? 'script (EVALSHA, flat ARGV)' : 'xadd (pipeline)', 'client CPU µs/entry', ((c.user + c.system) / N).toFixed(2), 'redis µs/entry', (redisUs / N).toFixed(2), 'len', await r.xlen('k'), 'wall ms', (performance.now() - t0).toFixed(0));
}
r.disconnect();
await stop(server);
