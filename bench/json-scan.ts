/**
 * `node --import tsx bench/json-scan.ts`: ns per call of scanJson (src/http/json-scan.ts)
 * against what the hot path does today, JSON.parse(body.toString('utf8')), and against tooDeep
 * alone, on bench/request.json (444 bytes) and on a ~64 KB body of the same shape. Best of 5
 * rounds; a sink keeps every result alive so nothing is optimized away.
 */
import { readFileSync } from 'node:fs';
import { tooDeep } from '../src/http/json-depth.ts';
import { JSON_OK, scanJson } from '../src/http/json-scan.ts';

const MAX_DEPTH = 64;
const small = readFileSync(new URL('./request.json', import.meta.url));
const instance = (JSON.parse(small.toString('utf8')) as { instances: Record<string, unknown>[] }).instances[0];
const large = Buffer.from(JSON.stringify({ instances: Array.from({ length: 460 }, (_, k) => ({ ...instance, txn_count_24h: k })) }));

let sink = 0;
const candidates: [string, (body: Buffer) => void][] = [
  ['scanJson', (body) => { sink += scanJson(body, MAX_DEPTH); }],
  ["JSON.parse(toString('utf8'))", (body) => { sink += JSON.parse(body.toString('utf8')) === null ? 1 : 0; }],
  ['tooDeep', (body) => { sink += tooDeep(body, MAX_DEPTH) ? 1 : 0; }],
];

function bestNsPerCall(run: (body: Buffer) => void, body: Buffer, calls: number): number {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < calls; k++) run(body);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / calls);
  }
  return best;
}

for (const [label, body, calls] of [['request.json', small, 200_000], ['~64 KB', large, 2_000]] as const) {
  if (scanJson(body, MAX_DEPTH) !== JSON_OK) throw new Error(`${label} does not scan as valid JSON`);
  console.log(`${label} (${body.length} bytes, best of 5 rounds of ${calls} calls)`);
  for (const [name, run] of candidates) console.log(`  ${name.padEnd(30)} ${bestNsPerCall(run, body, calls).toFixed(0).padStart(8)} ns/call`);
}
if (sink === -1) console.log(sink);
