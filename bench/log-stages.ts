/**
 * Where the prediction log's gateway CPU goes: `node --import tsx bench/log-stages.ts` (after
 * `npm run build`; measures the last commit). Builds the last commit twice more
 * (bench/baseline.sh) and cuts the log short in each build's compiled stream sink, nothing in
 * src/ changes:
 * - `HEAD-nowrite`: entries are built (entry.ts, at each flush) and then dropped as if
 *   written: no MessagePack batch, no Redis command;
 * - `HEAD-nolog`: `push` drops each event: the request path still builds it, nothing else runs.
 * Then runs bench/concurrent.ts on split+log with both as baselines, so the three builds and
 * the Node floor share one core at once: this checkout ÷ nowrite is the cost of writing,
 * nowrite ÷ nolog the cost of building entries. Env: BENCH_ROUNDS (default 10), BENCH_SECONDS.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const SINK = 'dist/predictions/stream-sink.js';

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
}

/** a copy of the HEAD build with one replacement in its compiled sink (fails if the code moved) */
function variant(name: string, find: string, insert: string): string {
  const dir = `bench/.build/base-HEAD-${name}`;
  rmSync(dir, { recursive: true, force: true });
  cpSync('bench/.build/base-HEAD', dir, { recursive: true, verbatimSymlinks: true });
  const file = `${dir}/${SINK}`;
  const text = readFileSync(file, 'utf8');
  if (!text.includes(find)) throw new Error(`${SINK} no longer has ${JSON.stringify(find)}: update bench/log-stages.ts`);
  writeFileSync(file, text.replace(find, `${insert}\n${find}`));
  return `${dir}/bin/modelgate.js`;
}

sh('sh', ['bench/baseline.sh', 'HEAD']);
const nowrite = variant(
  'nowrite',
  '        const batch = this.buffer.take(this.s.batchEntries, BATCH_BYTES);',
  '        while (this.buffer.queued > 0) { for (const e of this.buffer.take(this.s.batchEntries, BATCH_BYTES)) e.counters.written.inc(); this.buffer.settle([]); }\n        if (this.buffer.queued === 0) return;',
);
const nolog = variant('nolog', '        this.pending.push(event);', '        if (event) return;');
sh(process.execPath, ['--import', 'tsx', 'bench/concurrent.ts'], { BENCH_PATH: 'split+log', BENCH_BASELINE: `${nowrite},${nolog}` });
