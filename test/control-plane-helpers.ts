/**
 * Real gateway processes for the control-plane tests: `node bin/modelgate.js gateway
 * --config FILE`, on free ports, with admin tokens from the environment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './helpers/ports.ts';

export const TOKENS = 'alice:tok-alice-0123456789,bob:tok-bob-0123456789';
export const ALICE = 'tok-alice-0123456789';

export interface GatewayProc {
  readonly dataUrl: string;
  readonly adminUrl: string;
  readonly output: string[];
  /** SIGTERM, wait for exit */
  stop(): Promise<void>;
  /** start again on the same ports with the same file */
  restart(): Promise<void>;
}

export function writeConfig(config: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'mg-cp-'));
  const file = join(dir, 'modelgate.yaml');
  writeFileSync(file, stringify(config));
  return file;
}

async function waitReady(dataUrl: string, adminUrl: string, proc: ChildProcess, output: string[], ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`gateway exited ${proc.exitCode}:\n${output.join('')}`);
    try {
      const [d, a] = await Promise.all([fetch(`${dataUrl}/readyz`), fetch(`${adminUrl}/admin/routes`)]);
      await Promise.all([d.text(), a.text()]);
      if (d.status === 200 && a.status === 401) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gateway not ready:\n${output.join('')}`);
}

/** `base` is a config without listen/admin ports; they are chosen here. */
export async function startGatewayProc(base: Record<string, any>): Promise<GatewayProc> {
  const [dataPort, adminPort] = [await freePort(), await freePort()];
  const file = writeConfig({ ...base, listen: { host: '127.0.0.1', port: dataPort }, admin: { ...(base.admin ?? {}), host: '127.0.0.1', port: adminPort } });
  const dataUrl = `http://127.0.0.1:${dataPort}`;
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const output: string[] = [];
  let proc: ChildProcess;
  const launch = async () => {
    proc = spawn(process.execPath, ['bin/modelgate.js', 'gateway', '--config', file], {
      env: { ...process.env, MODELGATE_ADMIN_TOKENS: TOKENS, MODELGATE_LOG_LEVEL: 'info', REDIS_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout!.on('data', (b: Buffer) => output.push(b.toString()));
    proc.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
    await waitReady(dataUrl, adminUrl, proc, output);
  };
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  };
  await launch();
  return { dataUrl, adminUrl, output, stop, restart: async () => (await stop(), await launch()) };
}

export async function admin(base: string, method: string, path: string, init: { body?: unknown; ifMatch?: string; token?: string | null } = {}) {
  const headers: Record<string, string> = {};
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? ALICE}`;
  if (init.ifMatch !== undefined) headers['if-match'] = init.ifMatch;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(base + path, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await r.text();
  return { status: r.status, etag: r.headers.get('etag'), headers: r.headers, body: text ? JSON.parse(text) : undefined };
}

/** The config version a replica serves, from its data-plane /readyz. */
export async function servedVersion(dataUrl: string): Promise<number> {
  const r = await fetch(`${dataUrl}/readyz`);
  return (await r.json()).checks.config.version;
}

export async function variantFor(dataUrl: string, unit: string): Promise<string> {
  const r = await fetch(`${dataUrl}/v1/models/fraud:predict`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-user-id': unit }, body: '{"instances":[[1,2]]}' });
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`predict answered ${r.status}`);
  return r.headers.get('x-model-variant')!;
}

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
