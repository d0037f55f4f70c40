/** scripts/ensure-system-deps.mjs: what is missing, and a fast failure naming the one line to run. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs script without types
import { installLine, missingPackages, NEEDS } from '../scripts/ensure-system-deps.mjs';

describe('ensure-system-deps', () => {
  it('names the packages whose commands are missing', () => {
    expect(NEEDS.demo).toEqual(['redis-server']);
    expect(NEEDS.test).toContain('prometheus');
    const only = (cmds: string[]) => (c: string) => cmds.includes(c);
    expect(missingPackages(NEEDS.test, only(['redis-server', 'promtool', 'prometheus', 'chromium']))).toEqual([]);
    expect(missingPackages(NEEDS.test, only(['redis-server', 'promtool', 'chromium-browser']))).toEqual(['prometheus']);
    expect(missingPackages(NEEDS.test, only([]))).toEqual(['redis-server', 'prometheus', 'chromium']);
    expect(installLine(['redis-server', 'prometheus'])).toBe('sudo apt-get update && sudo apt-get install -y redis-server prometheus');
  });

  it('fails in the first seconds with the line to run when it cannot install', () => {
    const bin = mkdtempSync(join(tmpdir(), 'mg-nopkgs-'));
    symlinkSync(process.execPath, join(bin, 'node')); // a PATH with node and nothing else: no apt-get, no redis-server
    for (const target of ['test', 'demo']) {
      const t0 = Date.now();
      const env = { PATH: bin, HOME: process.env.HOME ?? '/tmp' };
      const r = spawnSync(process.execPath, ['scripts/ensure-system-deps.mjs', target], { env, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain(installLine(NEEDS[target]));
      expect(Date.now() - t0).toBeLessThan(5000);
    }
  });

  it('passes when everything is installed, and the demo needs no redis-server with REDIS_URL set', () => {
    expect(spawnSync(process.execPath, ['scripts/ensure-system-deps.mjs', 'test']).status).toBe(0);
    const bin = mkdtempSync(join(tmpdir(), 'mg-nopkgs-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = spawnSync(process.execPath, ['scripts/ensure-system-deps.mjs', 'demo'], { env: { PATH: bin, REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(r.status).toBe(0);
  });
});
