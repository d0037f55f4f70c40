/**
 * `modelgate demo` as a process: flags are checked, --port-base moves every port, the traffic
 * reports outcomes and delayed labels (scored in the performance report), and every child (its private redis-server included) and temp folder is
 * gone after Ctrl-C and after a failed start (a port clash).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePortRange } from './helpers/port-range.ts';
import { until } from './helpers/wait.ts';

const answers = (port: number) =>
  new Promise<boolean>((r) => {
    const c = createConnection(port, '127.0.0.1');
    c.once('connect', () => (c.end(), r(true)));
    c.once('error', () => (c.destroy(), r(false)));
  });

function demoEnv(tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, MODELGATE_ADMIN_TOKENS: 'demo:demo-token' };
  delete env.REDIS_URL;
  delete env.MODELGATE_ADMIN_TOKEN;
  return env;
}

function demo(args: string[], tmp: string): { proc: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const proc = spawn(process.execPath, ['bin/modelgate.js', 'demo', ...args], { env: demoEnv(tmp), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, output: () => out, exit };
}

describe('modelgate demo (process lifecycle)', () => {
  it('rejects bad flag values, naming the valid ones', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['bin/modelgate.js', 'demo', ...args], { encoding: 'utf8', env: demoEnv(tmpdir()) });
    const traffic = run('--traffic', 'abc');
    expect(traffic.status).toBe(1);
    expect(traffic.stderr).toContain("--traffic <rps>' argument 'abc' is invalid");
    const shift = run('--traffic', '5', '--shift', 'amout');
    expect(shift.status).toBe(1);
    expect(shift.stderr).toContain('expected one of amount, merchant_risk, hour, country');
    expect(run('--shift-after', '-3').stderr).toContain('whole number');
    expect(run('--port-base', '80').stderr).toContain('expected a port from 1024');
    expect(run('--shift', 'hour').stderr).toContain('--shift needs --traffic');
  }, 60_000);

  it('moves every port with --port-base, reports outcomes, and leaves nothing behind on Ctrl-C', async () => {
    const base = await freePortRange(14);
    const tmp = mkdtempSync(join(tmpdir(), 'mg-demo-life-'));
    const d = demo(['--port-base', String(base), '--traffic', '40'], tmp);
    try {
      await until('the demo to start', () => (d.output().includes('reporting outcomes') ? true : undefined), 60_000, 100, d.output);
      const out = d.output();
      expect(out).toContain(`gateway on http://127.0.0.1:${base} `);
      expect(out).toContain(`admin API on http://127.0.0.1:${base + 1}`);
      expect(out).toContain(`monitor on http://127.0.0.1:${base + 2}/metrics`);
      expect(out).toContain(`redis-server for the demo at redis://127.0.0.1:${base + 3}`);
      for (const p of [base + 10, base + 11, base + 12]) expect(out).toContain(`on http://127.0.0.1:${p}`);
      expect(readdirSync(tmp).filter((f) => f.startsWith('modelgate'))).toHaveLength(1); // the redis-server's folder
      const accepted = await until('outcomes to be accepted', async () => {
        const m = await (await fetch(`http://127.0.0.1:${base}/metrics`)).text();
        const n = Number(/^modelgate_outcomes_total\{route="fraud",outcome="written"\} (\d+)/m.exec(m)?.[1] ?? 0);
        return n > 0 ? n : undefined;
      }, 60_000, 200);
      expect(accepted).toBeGreaterThan(0);
      // labels follow each answer after LABEL_DELAY_MS and join its live and shadow predictions
      const perf = await until('labels in the performance report', async () => {
        const r = await fetch(`http://127.0.0.1:${base + 1}/admin/routes/fraud/performance`, { headers: { authorization: 'Bearer demo-token' } });
        const b = r.status === 200 ? await r.json() : undefined;
        return b?.variants?.v1?.labels >= 20 && b.shadows?.v3?.labels >= 20 ? b : undefined;
      }, 60_000, 250);
      expect(perf).toMatchObject({ status: 'ok', task: 'binary', threshold: 0.2 });
      expect(perf.variants.v1.log_loss).toBeGreaterThan(0);
      expect(perf.labels.matched).toBeGreaterThanOrEqual(perf.variants.v1.labels);
    } finally {
      d.proc.kill('SIGINT');
    }
    expect(await d.exit).toBe(0);
    for (const p of [base, base + 1, base + 2, base + 3, base + 10]) expect(await answers(p), `port ${p}`).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.startsWith('modelgate'))).toEqual([]); // (tsx, when running the sources, keeps its cache here)
  }, 120_000);

  it('stops its redis-server and removes its folder when a port is taken', async () => {
    const base = await freePortRange(14);
    const tmp = mkdtempSync(join(tmpdir(), 'mg-demo-clash-'));
    const blocker = createServer().listen(base, '127.0.0.1');
    try {
      const d = demo(['--port-base', String(base)], tmp);
      expect(await d.exit).toBe(1);
      expect(d.output()).toContain('EADDRINUSE');
      expect(d.output()).toContain('--port-base');
      expect(d.output()).toContain(`redis://127.0.0.1:${base + 3}`); // it had started one
      expect(await answers(base + 3)).toBe(false);
      expect(await answers(base + 10)).toBe(false);
      expect(readdirSync(tmp).filter((f) => f.startsWith('modelgate'))).toEqual([]); // (tsx, when running the sources, keeps its cache here)
    } finally {
      blocker.close();
    }
  }, 60_000);
});
