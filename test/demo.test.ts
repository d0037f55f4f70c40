/**
 * The demo end to end, as a user runs it: `modelgate demo --traffic ... --shift amount`
 * (demo backends, a private redis-server, the gateway, the monitor with baselines). Through
 * the gateway → stream → monitor path, the shifted feature turns significant and the others
 * stay below it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { sleep } from './helpers/backend.ts';
import { freePort } from './helpers/ports.ts';
import { predict } from './helpers/http.ts';

describe('modelgate demo', () => {
  it('serves the split, logs, and flags a shifted feature as drift', async () => {
    const cfg = parse(readFileSync('config/demo.yaml', 'utf8'));
    const [data, admin, mon, b1, b2, b3] = await Promise.all(Array.from({ length: 6 }, freePort));
    cfg.listen.port = data;
    cfg.admin.port = admin;
    cfg.monitor = { ...cfg.monitor, port: mon, window_entries: 400, window_ms: 60_000, min_entries: 100 };
    const ports = [b1, b2, b3];
    cfg.routes.fraud.variants.forEach((v: { backend: string }, i: number) => (v.backend = `http://127.0.0.1:${ports[i]}`));
    cfg.routes.fraud.shadows[0].backend = `http://127.0.0.1:${b3}`;
    const file = join(mkdtempSync(join(tmpdir(), 'mg-demo-')), 'demo.yaml');
    writeFileSync(file, stringify(cfg));
    const env: NodeJS.ProcessEnv = { ...process.env, MODELGATE_ADMIN_TOKENS: 'demo:demo-token' };
    delete env.REDIS_URL;
    const proc = spawn(process.execPath, ['bin/modelgate.js', 'demo', '--config', file, '--traffic', '300', '--shift', 'amount', '--shift-after', '2400'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    try {
      const base = `http://127.0.0.1:${data}`;
      for (let i = 0; i < 150 && !out.includes('Ctrl-C'); i++) await sleep(100);
      expect(out).toContain('started a private redis-server');
      expect(out).toContain(`gateway on ${base}`);
      const r = await predict(base, { instances: [{ amount: 120.5, merchant_risk: 0.3, hour: 23, country: 'BR' }] }, { 'x-user-id': 'alice' });
      expect(r.status).toBe(200);
      expect(['v1', 'v2']).toContain(r.headers['x-model-variant']);
      expect(r.json.predictions[0]).toBeGreaterThan(0);
      expect(r.json.predictions[0]).toBeLessThan(1);

      const drift = async () => {
        const res = await fetch(`http://127.0.0.1:${admin}/admin/routes/fraud/drift`, { headers: { authorization: 'Bearer demo-token' } });
        return (await res.json()) as any;
      };
      let report: any;
      for (let i = 0; i < 300; i++) {
        report = await drift();
        if (report?.variants?.v1?.features?.amount?.status === 'significant') break;
        await sleep(200);
      }
      // before the shift, `amount` was judged stable: the drift history keeps every window,
      // so this holds however far behind the monitor ran on a busy machine
      const hist = (await (await fetch(`http://127.0.0.1:${admin}/admin/routes/fraud/drift/history?role=live&variant=v1`, { headers: { authorization: 'Bearer demo-token' } })).json()) as any;
      const amount = (hist.windows as any[]).map((w) => w.features?.amount?.status).filter(Boolean);
      const firstSignificant = amount.indexOf('significant');
      expect(firstSignificant, JSON.stringify(amount)).toBeGreaterThan(0);
      expect(amount.slice(0, firstSignificant), JSON.stringify(amount)).toContain('stable');
      const v1 = report.variants.v1;
      expect(v1.features.amount.status, JSON.stringify(v1)).toBe('significant');
      for (const f of ['merchant_risk', 'hour', 'country']) expect(v1.features[f].status, f).not.toBe('significant');
      expect(v1.status).toBe('significant');
    } finally {
      proc.kill('SIGINT');
      await new Promise((r) => proc.once('exit', r));
    }
  }, 120_000);
});
