/**
 * Access logs: JSON lines with the request's id, route, variant, version, status, latency,
 * level by status class, sampling, and nothing secret. In-process through a capturing
 * destination, and once through a real `modelgate gateway` process writing to stdout.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.ts';
import { accessLevel, createAccessLog } from '../src/telemetry/access-log.ts';
import { silentLogger } from '../src/telemetry/logger.ts';
import { modelBehaviour, sleep, startBackend, type TestBackend } from './helpers/backend.ts';
import { splitRoute } from './helpers/gateway.ts';
import { predict } from './helpers/http.ts';
import { freePort } from './helpers/ports.ts';

function capture() {
  const lines: any[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, stream };
}

const PINO_LEVEL = { info: 30, error: 50 } as const;
let backend: TestBackend;
beforeAll(async () => {
  backend = await startBackend(modelBehaviour('v1'));
});
afterAll(async () => {
  await backend.close();
});

describe('access log', () => {
  it('is off by default', () => {
    expect(createAccessLog(parseConfig({}, 'test', {}), silentLogger())).toBeUndefined();
  });

  it('levels by status class: 5xx error, 4xx and 2xx info', () => {
    expect(accessLevel(200)).toBe('info');
    expect(accessLevel(404)).toBe('info');
    expect(accessLevel(429)).toBe('info');
    expect(accessLevel(502)).toBe('error');
    expect(accessLevel(504)).toBe('error');
  });

  it('writes one JSON line per record with the request fields, 5xx at error', async () => {
    const { lines, stream } = capture();
    const al = createAccessLog(parseConfig({ access_log: { enabled: true } }, 'test', {}), silentLogger(), stream)!;
    al.log({ rid: 'r1', route: 'fraud', variant: 'v1', version: '1.0.0', status: 200, latencyMs: 1.23456, assign: 'forced' });
    al.log({ rid: 'r2', route: 'fraud', variant: 'v2', version: '2.0.0', status: 502, latencyMs: 3, assign: 'hash', error: 'UPSTREAM_ERROR' });
    al.log({ rid: 'r3', route: 'fraud', variant: 'v1', version: '1.0.0', status: 200, latencyMs: 1, assign: 'hash', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' });
    await sleep(10);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ rid: 'r3', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' });
    expect(lines[0].trace_id).toBeUndefined();
    expect(lines[0]).toMatchObject({ level: PINO_LEVEL.info, name: 'access', rid: 'r1', route: 'fraud', variant: 'v1', version: '1.0.0', status: 200, latency_ms: 1.235, assign: 'forced' });
    expect(lines[0].error).toBeUndefined();
    expect(lines[1]).toMatchObject({ level: PINO_LEVEL.error, status: 502, error: 'UPSTREAM_ERROR' });
  });

  it('samples successes by sample_percent but keeps every 5xx', () => {
    const { lines, stream } = capture();
    const al = createAccessLog(parseConfig({ access_log: { enabled: true, sample_percent: 10 } }, 'test', {}), silentLogger(), stream)!;
    for (let i = 0; i < 2000; i++) al.log({ rid: `r${i}`, route: 'fraud', variant: 'v1', version: '1', status: 200, latencyMs: 1, assign: 'hash' });
    for (let i = 0; i < 50; i++) al.log({ rid: `e${i}`, route: 'fraud', variant: 'v1', version: '1', status: 503, latencyMs: 1, assign: 'hash', error: 'NO_BACKEND' });
    return sleep(10).then(() => {
      const ok = lines.filter((l) => l.status === 200).length;
      expect(ok).toBeGreaterThan(120);
      expect(ok).toBeLessThan(300);
      expect(lines.filter((l) => l.status === 503)).toHaveLength(50);
    });
  });

  it('the level threshold drops info lines', async () => {
    const { lines, stream } = capture();
    const al = createAccessLog(parseConfig({ access_log: { enabled: true, level: 'error' } }, 'test', {}), silentLogger(), stream)!;
    al.log({ rid: 'a', route: 'fraud', variant: 'v1', version: '1', status: 404, latencyMs: 1, assign: 'hash' });
    al.log({ rid: 'b', route: 'fraud', variant: 'v1', version: '1', status: 500, latencyMs: 1, assign: 'hash', error: 'X' });
    await sleep(10);
    expect(lines.map((l) => l.rid)).toEqual(['b']);
  });

  it('a gateway process writes access lines to stdout, without the unit id or token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-access-'));
    const port = await freePort();
    const file = join(dir, 'gw.yaml');
    writeFileSync(
      file,
      JSON.stringify({
        listen: { host: '127.0.0.1', port },
        admin: { enabled: false },
        access_log: { enabled: true },
        routes: { fraud: splitRoute([backend.url]) },
      }),
    );
    const proc = spawn(process.execPath, ['bin/modelgate.js', 'gateway', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MODELGATE_LOG_LEVEL: 'info' } });
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    proc.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    try {
      const deadline = Date.now() + 30_000;
      while (!out.includes('gateway listening')) {
        if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`gateway did not start:\n${out}`);
        await sleep(50);
      }
      const rids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await predict(`http://127.0.0.1:${port}`, { instances: [[1]] }, { 'x-user-id': 'alice-secret-unit', authorization: 'Bearer sekret-token' });
        expect(r.status).toBe(200);
        rids.push(String(r.headers['x-request-id']));
      }
      proc.kill('SIGTERM');
      await new Promise<void>((r) => (proc.exitCode !== null ? r() : proc.once('exit', () => r())));
      const access = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l))
        .filter((l) => l.name === 'access');
      expect(access.map((l) => l.rid)).toEqual(rids);
      for (const l of access) expect(l).toMatchObject({ level: 30, route: 'fraud', variant: 'v1', version: '1.0.0', status: 200, assign: 'hash' });
      for (const l of access) expect(l.trace_id).toBeUndefined(); // tracing off
      expect(out).not.toContain('alice-secret-unit');
      expect(out).not.toContain('sekret-token');
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
