/**
 * Time to first byte of a streamed answer, through the gateway vs direct, in one run:
 * `node --import tsx bench/streaming.ts`. A server-sent-events backend (its own process)
 * answers each POST with its first event at once, then EVENTS more, GAP_MS apart (an LLM
 * emitting tokens). The client (this process) opens CONCURRENCY streams at a time and notes,
 * per stream, when the first body chunk and the end arrived. Direct and gateway batches are
 * interleaved for ROUNDS rounds so the noise of a shared machine hits both alike.
 * Env: BENCH_STREAMS (per target per round, 200), BENCH_ROUNDS (3), BENCH_CONCURRENCY (8),
 * BENCH_EVENTS (10), BENCH_GAP_MS (10). Writes bench/results/streaming.md.
 */
import { createServer } from 'node:http';
import { writeFileSync, mkdirSync } from 'node:fs';
import { Agent, request } from 'undici';
import { freePort, start, stop, waitHttp } from './procs.ts';
import { fmt, gatewayProcess, tsx } from './common.ts';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10);
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 10);

function serveSse(port: number): void {
  const chunk = (i: number) => `data: {"choices":[{"index":0,"delta":{"content":"token${i} "}}]}\n\n`;
  createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'GET') return void res.end('ok');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(chunk(0));
      let i = 1;
      const t = setInterval(() => {
        if (i > EVENTS || res.destroyed) {
          clearInterval(t);
          return void res.end('data: [DONE]\n\n');
        }
        res.write(chunk(i++));
      }, GAP_MS);
    });
  }).listen(port, '127.0.0.1');
}

interface Sample {
  ttfb: number;
  total: number;
}

async function one(url: string, agent: Agent): Promise<Sample> {
  const t0 = performance.now();
  const r = await request(url, { method: 'POST', dispatcher: agent, body: '{"model":"fraud","stream":true,"messages":[]}', headers: { 'content-type': 'application/json' } });
  let ttfb = NaN;
  for await (const _ of r.body) if (Number.isNaN(ttfb)) ttfb = performance.now() - t0;
  if (r.statusCode !== 200) throw new Error(`status ${r.statusCode}`);
  return { ttfb, total: performance.now() - t0 };
}

async function batch(url: string, agent: Agent, n: number): Promise<Sample[]> {
  const out: Sample[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next++ < n) out.push(await one(url, agent));
  }));
  return out;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

async function main() {
  if (process.argv[2] === 'backend') return serveSse(Number(process.argv[3]));
  const port = await freePort();
  const be = start(process.execPath, [...tsx, 'bench/streaming.ts', 'backend', String(port)], { BENCH_EVENTS: String(EVENTS), BENCH_GAP_MS: String(GAP_MS) });
  await waitHttp(`http://127.0.0.1:${port}/`);
  const gw = await gatewayProcess({ models: ['fraud'], unit: { header: 'x-user-id' }, variants: [{ name: 'v1', backend: `http://127.0.0.1:${port}`, version: '1', weight: 100 }] });
  const gwUrl = gw.url.replace('/v1/models/fraud:predict', '/v1/chat/completions');
  const direct = `http://127.0.0.1:${port}/v1/chat/completions`;
  const agent = new Agent({ connections: CONCURRENCY * 2 });
  const samples: Record<'direct' | 'gateway', Sample[]> = { direct: [], gateway: [] };
  try {
    await batch(direct, agent, 50); // warm up both paths
    await batch(gwUrl, agent, 50);
    for (let r = 0; r < ROUNDS; r++) {
      samples.direct.push(...(await batch(direct, agent, STREAMS)));
      samples.gateway.push(...(await batch(gwUrl, agent, STREAMS)));
      process.stderr.write(`round ${r + 1}/${ROUNDS} done\n`);
    }
  } finally {
    await agent.close();
    await stop(gw.proc);
    await stop(be);
  }
  const row = (name: 'direct' | 'gateway') => {
    const t = samples[name].map((s) => s.ttfb);
    const all = samples[name].map((s) => s.total);
    return { name, p50: pct(t, 0.5), p90: pct(t, 0.9), p99: pct(t, 0.99), total: pct(all, 0.5), n: t.length };
  };
  const d = row('direct');
  const g = row('gateway');
  const lines = [
    `# Streaming: time to first byte (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${ROUNDS} interleaved rounds, ${CONCURRENCY} concurrent streams, ${EVENTS + 1} events ${GAP_MS} ms apart)`,
    '',
    '| target | streams | TTFB p50 ms | TTFB p90 ms | TTFB p99 ms | whole stream p50 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...[d, g].map((r) => `| ${r.name} | ${r.n} | ${fmt(r.p50, 2)} | ${fmt(r.p90, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.total, 1)} |`),
    '',
    `Added by the gateway: TTFB p50 +${fmt(g.p50 - d.p50, 2)} ms, p99 +${fmt(g.p99 - d.p99, 2)} ms; whole stream p50 +${fmt(g.total - d.total, 1)} ms.`,
  ];
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/streaming.md', `${lines.join('\n')}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

void main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
