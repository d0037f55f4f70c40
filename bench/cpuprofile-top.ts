/**
 * A .cpuprofile (node --cpu-prof) as text: self time by function (top N) and by where the code
 * lives (modelgate's src, undici, node's http/net/streams, prom-client, ioredis, GC, ...).
 * Only samples from `skipMs` after the profile's start count (start-up and warm-up left out).
 * Usage: cpuprofile-top.ts FILE.cpuprofile [N] [SKIP_MS]  (prints markdown)
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** where a frame's code lives, for the by-area table */
export function areaOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(idle)' || fn === '(program)' || fn === '(root)') return fn;
  if (url === '') return 'native (V8 builtins, syscalls)';
  if (/\/node_modules\/undici\//.test(url)) return 'undici';
  if (/\/node_modules\/prom-client\//.test(url)) return 'prom-client';
  if (/\/node_modules\/(ioredis|@ioredis|redis-parser|cluster-key-slot|denque)\//.test(url)) return 'ioredis';
  if (/\/node_modules\/(fastify|@fastify|find-my-way|light-my-request|avvio|fast-json-stringify|pino)/.test(url)) return 'fastify';
  if (/\/node_modules\/http-proxy\//.test(url)) return 'http-proxy';
  if (/\/node_modules\//.test(url)) return 'other packages';
  if (/^node:(_http|http)/.test(url)) return 'node:http';
  if (/^node:(net|_stream|stream|internal\/streams)|internal\/streams|node:internal\/stream_base/.test(url)) return 'node:net + streams';
  if (/^node:internal\/(timers|process\/task_queues|async_hooks|event_target|abort_controller)/.test(url)) return 'node:timers, tasks, abort';
  if (/^node:/.test(url)) return 'node: other';
  if (/\/(dist|src)\/(http|upstream)\//.test(url)) return 'modelgate http + upstream';
  if (/\/(dist|src)\/(routing)\//.test(url)) return 'modelgate routing';
  if (/\/(dist|src)\/(predictions)\//.test(url)) return 'modelgate predictions (log)';
  if (/\/(dist|src)\/(telemetry|gateway)\//.test(url)) return 'modelgate telemetry + gateway';
  if (/\/(dist|src)\//.test(url)) return 'modelgate other';
  if (/\/bench\//.test(url)) return 'bench peer';
  return 'other';
}

/** `requests`, when given, adds a µs-per-request column (the measured part's busy time ÷ requests) */
export function summarize(p: Profile, topN = 25, skipMs = 0, requests = 0): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    if (t >= skipMs * 1000) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idleIds = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const idle = [...idleIds].reduce((s, id) => s + (self.get(id) ?? 0), 0);
  const busy = total - idle;
  const byFn = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const [id, us] of self) {
    if (idleIds.has(id)) continue;
    const f = byId.get(id)!.callFrame;
    const where = f.url ? `${f.url.replace(/^.*\/(node_modules|dist|src|bench)\//, '$1/')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'}|${where}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    const a = areaOf(f.url, f.functionName);
    byArea.set(a, (byArea.get(a) ?? 0) + us);
  }
  const pct = (us: number) => ((us / busy) * 100).toFixed(1) + (requests > 0 ? ` | ${(us / requests).toFixed(2)}` : '');
  const col = requests > 0 ? ' | µs/req' : '';
  const rule = requests > 0 ? '|---:' : '';
  const perReq = requests > 0 ? `, ${(busy / requests).toFixed(1)} µs per request over ${requests} requests` : '';
  const out = [`busy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s sampled (idle ${(idle / 1e6).toFixed(2)} s)${perReq}`, '', `| area | self % of busy${col} |`, `|---|---:${rule}|`];
  for (const [a, us] of [...byArea].sort((x, y) => y[1] - x[1])) out.push(`| ${a} | ${pct(us)} |`);
  out.push('', `| top ${topN} functions by self time | where | self % of busy${col} |`, `|---|---|---:${rule}|`);
  for (const [k, us] of [...byFn].sort((x, y) => y[1] - x[1]).slice(0, topN)) {
    const [fn, where] = k.split('|');
    out.push(`| ${fn} | ${where} | ${pct(us)} |`);
  }
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('cpuprofile-top.ts')) {
  const [file, n, skip] = process.argv.slice(2);
  process.stdout.write(summarize(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(n ?? 25), Number(skip ?? 0)) + '\n');
}
