/**
 * Real Prometheus tooling for the ops tests: `promtool check metrics` on an exposition, and a
 * private `prometheus` server on a free port with a temp config and TSDB, killed by stop().
 * Missing binaries fail loudly: CI installs the Debian `prometheus` package (.ci/run).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './helpers/ports.ts';

function need(bin: string): void {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} is not installed: install the Debian package "prometheus" (apt-get install -y prometheus); .ci/run does this`);
}

/** Runs `promtool check metrics` on the text; returns its exit code and output. */
export function promtoolCheckMetrics(text: string): { code: number; output: string } {
  need('promtool');
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}`.trim() };
}

/** Runs `promtool check <what> FILE...`. */
export function promtoolCheck(what: 'config' | 'rules', ...files: string[]): { code: number; output: string } {
  need('promtool');
  const r = spawnSync('promtool', ['check', what, ...files], { encoding: 'utf8' });
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}`.trim() };
}

export interface ScrapeJob {
  job: string;
  targets: string[];
}

export interface PrivatePrometheus {
  readonly url: string;
  /** instant query; throws on a query error */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** the active targets and their health */
  targets(): Promise<{ job: string; instance: string; health: string; lastError: string }[]>;
  /** the loaded alerting rules */
  rules(): Promise<{ name: string; health: string; lastError?: string }[]>;
  stop(): Promise<void>;
}

export async function startPrometheus(jobs: ScrapeJob[], opts: { ruleFiles?: string[]; scrapeIntervalS?: number } = {}): Promise<PrivatePrometheus> {
  need('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'mg-prom-'));
  const port = await freePort();
  const interval = `${opts.scrapeIntervalS ?? 1}s`;
  const config = {
    global: { scrape_interval: interval, evaluation_interval: interval },
    rule_files: opts.ruleFiles ?? [],
    scrape_configs: jobs.map((j) => ({ job_name: j.job, static_configs: [{ targets: j.targets }] })),
  };
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config));
  let log = '';
  const proc: ChildProcess = spawn(
    'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', '--web.enable-lifecycle'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout!.on('data', (c: Buffer) => (log += c.toString('utf8')));
  proc.stderr!.on('data', (c: Buffer) => (log += c.toString('utf8')));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited with ${proc.exitCode}:\n${log}`);
    }
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const api = async (path: string) => {
    const r = await fetch(`${url}${path}`);
    const body = (await r.json()) as { status: string; data: any; error?: string };
    if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? r.status}`);
    return body.data;
  };
  return {
    url,
    query: async (expr) => (await api(`/api/v1/query?query=${encodeURIComponent(expr)}`)).result,
    targets: async () => (await api('/api/v1/targets')).activeTargets.map((t: any) => ({ job: t.labels.job, instance: t.labels.instance, health: t.health, lastError: t.lastError })),
    rules: async () => (await api('/api/v1/rules')).groups.flatMap((g: any) => g.rules.map((r: any) => ({ name: r.name, health: r.health, lastError: r.lastError }))),
    stop,
  };
}
