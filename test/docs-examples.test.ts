/**
 * Every shell example of the README's quick start and of docs/first-ten-minutes.md, run as a
 * reader would: against a fresh `modelgate demo` (started here with --port-base on free ports;
 * the pages' default ports are moved to it), in page order, each block in bash with `-e` and
 * `pipefail`, after the `export` lines of the blocks before it. Each must exit 0, and where the
 * page shows an output its lines must be there (test/helpers/doc-examples.ts says how).
 * The setup lines (`npm ci`, `npm run demo`, `npm test`) are what this test itself plays.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linePattern, missingLines, movePorts, shellExamples, type Example } from './helpers/doc-examples.ts';
import { freePortRange } from './helpers/port-range.ts';
import { until } from './helpers/wait.ts';

const SETUP = /^\s*npm (ci|test|run demo)\b/;

const pages: Example[] = [
  ...shellExamples(readFileSync('README.md', 'utf8'), 'README.md', '## Quick start'),
  ...shellExamples(readFileSync('docs/first-ten-minutes.md', 'utf8'), 'docs/first-ten-minutes.md'),
];

function bash(script: string, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.once('close', (code) => (clearTimeout(t), resolve({ code, out, err })));
  });
}

describe('the pages\' pattern of shown outputs', () => {
  it('masks what changes per run and keeps what must match', () => {
    expect(linePattern('fraud: v1 75%, v2 25% (config version 2; 15% of units changed variant)').test('fraud: v1 75%, v2 25% (config version 2; 15% of units changed variant)')).toBe(true);
    expect(linePattern('fraud: v1 75%, v2 25% (config version 2)').test('fraud: v1 70%, v2 30% (config version 2)')).toBe(false);
    expect(linePattern('│ bucket │ 6975  │').test('│ bucket          │ 1234 │')).toBe(true);
    expect(linePattern('├──────┼────┤').test('├─────────┼──┤')).toBe(true);
    expect(linePattern('x-request-id: …').test('x-request-id: 21e4142c-mx5h865d-1')).toBe(true);
    expect(linePattern('route fraud: significant (updated 2026-12-02T01:59:43.269Z)').test('route fraud: significant (updated 2027-01-05T11:09:03.001Z)')).toBe(true);
    expect(missingLines('a\n…\nc', 'a\nb\nc')).toEqual([]);
    expect(missingLines('c\na', 'a\nb\nc')).toEqual(['a']);
  });
});

describe('shell examples of the README quick start and docs/first-ten-minutes.md, against the demo', () => {
  let demo: ChildProcess;
  let exited: Promise<number | null>;
  let output = '';
  let base: number;
  let tmp: string;
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.REDIS_URL;
  delete env.MODELGATE_ADMIN_URL;
  delete env.MODELGATE_ADMIN_TOKEN;
  delete env.MODELGATE_ADMIN_TOKENS;

  beforeAll(async () => {
    base = await freePortRange(14);
    tmp = mkdtempSync(join(tmpdir(), 'mg-docs-'));
    demo = spawn(process.execPath, ['bin/modelgate.js', 'demo', '--port-base', String(base)], { env: { ...env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
    demo.stdout!.on('data', (d) => (output += d));
    demo.stderr!.on('data', (d) => (output += d));
    exited = new Promise((r) => demo.once('exit', (code) => r(code)));
    await until('the demo to start', () => (output.includes('Ctrl-C stops everything') ? true : undefined), 60_000, 100, () => output);
  }, 90_000);

  afterAll(async () => {
    demo?.kill('SIGINT');
    await exited;
    rmSync(tmp, { recursive: true, force: true });
  });

  it('finds the examples, and the setup each page starts with', () => {
    expect(pages.length).toBeGreaterThan(8);
    expect(pages.filter((e) => e.output).length).toBeGreaterThan(6);
    for (const file of ['README.md', 'docs/first-ten-minutes.md']) expect(pages.some((e) => e.where.startsWith(file) && e.code.split('\n').some((l) => /npm (ci && npm )?run demo/.test(l))), file).toBe(true);
    expect(pages.flatMap((e) => e.code.split('\n')).filter((l) => /(^|\s)modelgate ctl/.test(l) && !/npx modelgate ctl/.test(l))).toEqual([]);
    expect(pages.map((e) => e.code).join('\n')).not.toMatch(/If-Match: "\d+"/);
  });

  it('runs every example: exit 0, and the outputs the pages show', async () => {
    let exports = '';
    const ran: string[] = [];
    for (const ex of pages) {
      const code = ex.code
        .split('\n')
        .filter((l) => !SETUP.test(l))
        .join('\n');
      if (!code.trim()) continue;
      const script = movePorts(code, base);
      const r = await bash(`${exports}\n${script}`, env);
      const where = `${ex.where}\n${code}\n--- stdout\n${r.out}\n--- stderr\n${r.err}`;
      expect(r.code, where).toBe(0);
      if (ex.output) expect(missingLines(movePorts(ex.output, base), r.out), where).toEqual([]);
      exports += script.split('\n').filter((l) => /^export\s/.test(l)).join('\n') + '\n';
      ran.push(ex.where);
    }
    expect(ran.length).toBeGreaterThan(8);
  }, 120_000);
});
