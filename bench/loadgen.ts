/**
 * Fixed-rate load generator (open loop): sends `rate` requests/s for `seconds` over a pool of
 * keep-alive connections and records each latency (from the request's write to its answer's
 * last byte) with microsecond resolution. Prints JSON.
 *
 * Raw `node:net` sockets and pre-built request heads, not an HTTP client: undici's ~30 µs and
 * several promises per request made this process's own garbage collections and event-loop
 * stalls the largest part of the p99 it reported (2-4 ms loop delay at the 99th percentile,
 * p99s of 5-8 ms against the bare backend). The first WARM_SECONDS (default 1) run at the same
 * rate but are not recorded: they open the connections and warm this process's JIT, which
 * otherwise set the p99 of a 5 s run (40-120 ms against the bare backend), whatever the target.
 * Answers must carry a Content-Length (every target in bench/run.ts does); one that does not,
 * or a status other than 200, counts as an error.
 * Usage: loadgen.ts URL RATE SECONDS CONNECTIONS [WARM_SECONDS]
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

const [url, rateArg, secondsArg, connArg, warmArg] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const connections = Number(connArg ?? 64);
const u = new URL(url);
// the same request as bench/wrk-post.lua: bench/request.json, 10,000 users in rotation
const body = readFileSync('bench/request.json');
const USERS = 10_000;
const heads = Array.from({ length: USERS }, (_, i) =>
  Buffer.from(`POST ${u.pathname}${u.search} HTTP/1.1\r\nhost: ${u.host}\r\ncontent-type: application/json\r\nx-user-id: user-${i}\r\ncontent-length: ${body.length}\r\n\r\n`, 'latin1'),
);
const warm = Math.round(rate * Number(warmArg ?? 1));
const total = warm + Math.round(rate * seconds);
const latencies = new Float64Array(total - warm);
let recorded = 0;
let errors = 0;
let completed = 0;
let sent = 0;

const HEAD_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;

class Conn {
  private sock!: Socket;
  private buf: Buffer = Buffer.alloc(0);
  /** body bytes still expected, or -1 while reading the head */
  private need = -1;
  private status = 0;
  private index = 0;
  private start = 0;
  busy = false;

  constructor() {
    this.open();
  }

  connected(): Promise<void> {
    return new Promise((r) => this.sock.once('connect', () => r()));
  }

  private open(): void {
    this.sock = connect({ host: u.hostname, port: Number(u.port), noDelay: true });
    this.sock.on('data', (c: Buffer) => this.data(c));
    this.sock.on('error', () => {});
    this.sock.on('close', () => {
      if (this.busy) this.done(false);
      this.buf = Buffer.alloc(0);
      this.need = -1;
      this.open();
    });
  }

  send(i: number): void {
    this.busy = true;
    this.index = i;
    this.start = performance.now();
    this.sock.cork();
    this.sock.write(heads[i % USERS]);
    this.sock.write(body);
    this.sock.uncork();
  }

  private data(c: Buffer): void {
    this.buf = this.buf.length === 0 ? c : Buffer.concat([this.buf, c]);
    if (this.need < 0) {
      const end = this.buf.indexOf(HEAD_END);
      if (end < 0) return;
      const head = this.buf.toString('latin1', 0, end + 2);
      this.status = Number(head.slice(9, 12));
      const m = CONTENT_LENGTH.exec(head);
      if (!m) {
        this.done(false);
        this.sock.destroy();
        return;
      }
      this.need = Number(m[1]);
      this.buf = this.buf.subarray(end + 4);
    }
    if (this.buf.length < this.need) return;
    this.buf = this.buf.subarray(this.need);
    this.need = -1;
    this.done(this.status === 200);
  }

  private done(ok: boolean): void {
    const ms = performance.now() - this.start;
    this.busy = false;
    completed++;
    if (this.index >= warm) {
      if (!ok) errors++;
      else latencies[recorded++] = ms;
    }
    idle.push(this);
    drainQueue();
    if (completed === total) finish();
  }
}

const idle: Conn[] = [];
/** requests due while every connection was busy (the open loop does not wait for answers) */
const queue: number[] = [];
const drainQueue = () => {
  while (queue.length > 0 && idle.length > 0) idle.pop()!.send(queue.shift()!);
};
for (let i = 0; i < connections; i++) idle.push(new Conn());

let t0 = 0;
let finished = false;
function finish(): void {
  if (finished) return;
  finished = true;
  const elapsed = (performance.now() - t0) / 1000 - warm / rate;
  const got = latencies.subarray(0, recorded).sort();
  const q = (p: number) => got[Math.min(got.length - 1, Math.floor(p * got.length))] ?? NaN;
  process.stdout.write(JSON.stringify({ requests: got.length, errors, rps: got.length / elapsed, p50: q(0.5), p99: q(0.99), max: got.at(-1) }) + '\n');
  process.exit(0);
}

function tick(): void {
  // catch up in a burst if the timer was late (open loop: the schedule, not the replies, sets the pace)
  const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
  while (sent < due) {
    const c = idle.pop();
    if (c) c.send(sent++);
    else queue.push(sent++);
  }
  if (sent < total) setTimeout(tick, Math.max(0, t0 + (sent * 1000) / rate - performance.now()));
}

// every connection open before the clock starts
await Promise.all(idle.map((c) => c.connected()));
t0 = performance.now();
tick();
