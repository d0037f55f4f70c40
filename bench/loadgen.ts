/**
 * Fixed-rate load generator (open loop): sends `rate` requests/s for `seconds` over a pool of
 * keep-alive connections and records each latency with microsecond resolution. Prints JSON.
 * Usage: loadgen.ts URL RATE SECONDS CONNECTIONS
 */
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';

const [url, rateArg, secondsArg, connArg] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const u = new URL(url);
const pool = new Pool(u.origin, { connections: Number(connArg ?? 64), pipelining: 1 });
// the same request as bench/wrk-post.lua: bench/request.json, 10,000 users in rotation
const body = readFileSync('bench/request.json');
const latencies: number[] = [];
let errors = 0;
let sent = 0;
const total = rate * seconds;
const t0 = performance.now();

function one(i: number): Promise<void> {
  const start = performance.now();
  return pool
    .request({ path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'x-user-id': `user-${i % 10000}` }, body })
    .then(async (r) => {
      await r.body.dump();
      if (r.statusCode !== 200) errors++;
      latencies.push(performance.now() - start);
    })
    .catch(() => {
      errors++;
    });
}

const inflight: Promise<void>[] = [];
while (sent < total) {
  const due = t0 + (sent * 1000) / rate;
  const now = performance.now();
  if (due > now) await new Promise((r) => setTimeout(r, Math.max(0, due - now)));
  // catch up in a burst if timers were late (open loop: the schedule, not the replies, sets the pace)
  const target = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
  while (sent < target) inflight.push(one(sent++));
}
await Promise.all(inflight);
const elapsed = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
process.stdout.write(JSON.stringify({ requests: latencies.length, errors, rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99), max: latencies.at(-1) }) + '\n');
await pool.close();
