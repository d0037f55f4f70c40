/**
 * `node --import tsx bench/undici-handler.ts`: CPU per request of undici's two handler APIs on
 * the undici this project pins, against bench/backend.ts in its own process: the legacy
 * callbacks send.ts uses (onConnect/onHeaders/onData/onComplete/onError) and the current API
 * (onRequestStart/onResponseStart/onResponseData/onResponseEnd/onResponseError, which undici 8
 * requires), both through `dispatch`, and `Pool.request` for reference. 64 requests in flight,
 * ~400-byte POSTs; rounds alternate the order. Prints µs of this process's CPU per request.
 * Run through tsx it compiles itself (bench/.build/) and runs the plain JavaScript, since tsx's
 * wrappers would weigh on the handlers being compared.
 * Env: BENCH_REQUESTS (per measurement, default 40000), BENCH_ROUNDS (3).
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { Pool, type Dispatcher } from 'undici';
import { stop } from './procs.ts';
import { backend, compiled } from './common.ts';

if (import.meta.url.endsWith('.ts')) process.exit(spawnSync(process.execPath, [compiled('bench/undici-handler.ts')], { stdio: 'inherit' }).status ?? 1);

const N = Number(process.env.BENCH_REQUESTS ?? 40_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const body = readFileSync('bench/request.json');
const headers = ['content-type', 'application/json', 'x-user-id', 'user-1', 'x-request-id', 'r-1'];

type One = (pool: Pool, origin: string) => Promise<number>;

const legacy: One = (pool, origin) =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status = 0;
    const h: Dispatcher.DispatchHandler = {
      onConnect() {},
      onHeaders(s) {
        status = s;
        return true;
      },
      onData(c) {
        chunks.push(c);
        return true;
      },
      onComplete() {
        resolve(status + Buffer.concat(chunks).length * 0);
      },
      onError: reject,
    };
    pool.dispatch({ origin, path: '/v1/models/fraud:predict', method: 'POST', headers, body }, h);
  });

const current: One = (pool, origin) =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status = 0;
    const h = {
      onRequestStart() {},
      onResponseStart(_c: unknown, s: number) {
        status = s;
      },
      onResponseData(_c: unknown, c: Buffer) {
        chunks.push(c);
      },
      onResponseEnd() {
        resolve(status + Buffer.concat(chunks).length * 0);
      },
      onResponseError(_c: unknown, err: Error) {
        reject(err);
      },
    };
    pool.dispatch({ origin, path: '/v1/models/fraud:predict', method: 'POST', headers, body }, h as unknown as Dispatcher.DispatchHandler);
  });

const request: One = async (pool) => {
  const r = await pool.request({ path: '/v1/models/fraud:predict', method: 'POST', headers, body });
  await r.body.arrayBuffer();
  return r.statusCode;
};

async function measure(one: One, pool: Pool, origin: string): Promise<number> {
  let next = 0;
  const c0 = process.cpuUsage();
  const worker = async () => {
    while (next < N) {
      next++;
      if ((await one(pool, origin)) !== 200) throw new Error('not 200');
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / N;
}

const b = await backend();
const origin = `http://127.0.0.1:${b.port}`;
const pool = new Pool(origin, { connections: 64, pipelining: 1 });
const kinds: Array<[string, One]> = [
  ['legacy handler (send.ts today)', legacy],
  ['current handler API', current],
  ['Pool.request', request],
];
const results = new Map<string, number[]>(kinds.map(([k]) => [k, []]));
for (const [, one] of kinds) await measure(one, pool, origin); // warm up
for (let r = 0; r < ROUNDS; r++) for (const [k, one] of r % 2 ? [...kinds].reverse() : kinds) results.get(k)!.push(await measure(one, pool, origin));
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const base = median(results.get(kinds[0][0])!);
for (const [k, xs] of results) process.stdout.write(`${k}: ${median(xs).toFixed(1)} µs CPU/request (rounds ${xs.map((x) => x.toFixed(1)).join(', ')}), ${(median(xs) / base).toFixed(2)}× legacy\n`);
await pool.close();
await stop(b.proc);
