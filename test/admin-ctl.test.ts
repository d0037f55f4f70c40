/** `modelgate ctl` as an operator runs it, against a real admin server. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.ts';
import { MemoryConfigStore } from '../src/config/memory-store.ts';
import { initialSnapshot } from '../src/config/snapshot.ts';
import { startAdminServer, type AdminServer } from '../src/admin/server.ts';
import { silentLogger } from '../src/telemetry/logger.ts';

const run = promisify(execFile);

describe('modelgate ctl', () => {
  let server: AdminServer;
  let store: MemoryConfigStore;
  let env: NodeJS.ProcessEnv;
  const ctl = async (...args: string[]) => {
    try {
      const r = await run(process.execPath, ['bin/modelgate.js', 'ctl', ...args], { env, timeout: 20_000 });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, stdout: x.stdout, stderr: x.stderr };
    }
  };

  beforeAll(async () => {
    const cfg = parseConfig({
      routes: {
        fraud: {
          models: ['fraud'],
          variants: [
            { name: 'v1', backend: 'http://127.0.0.1:9001', weight: 90 },
            { name: 'v2', backend: 'http://127.0.0.1:9002', weight: 10 },
          ],
        },
      },
    });
    store = new MemoryConfigStore(initialSnapshot(cfg));
    server = (await startAdminServer({ cfg, store, prefix: 'modelgate', logger: silentLogger(), replicaId: 'one' }, '127.0.0.1', 0, { env: { MODELGATE_ADMIN_TOKENS: 'ops:tok-ops' } }))!;
    env = { ...process.env, MODELGATE_ADMIN_URL: `http://127.0.0.1:${server.port}`, MODELGATE_ADMIN_TOKEN: 'tok-ops' };
  });
  afterAll(() => server.close());

  it('lists routes as a table, and as JSON for scripts', async () => {
    const t = await ctl('routes');
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/│ fraud\s+│ fraud\s+│ v1 90%, v2 10%/);
    expect(t.stderr).toMatch(/warning: .*in memory/);
    const j = await ctl('routes', '--json');
    expect(JSON.parse(j.stdout).routes.fraud.weights).toEqual({ v1: 90, v2: 10 });
  });

  it('changes weights with If-Match taken from the ETag, and shows the audit', async () => {
    const w = await ctl('weights', 'fraud', 'v1=75', 'v2=25');
    expect(w.stdout.trim()).toBe('fraud: v1 75%, v2 25% (config version 2; 15% of units changed variant)');
    expect(store.current().version).toBe(2);
    const a = await ctl('audit');
    expect(a.stdout).toMatch(/│ 2\s+│ [^│]+│ ops\s+│ weights │ fraud │ \/fraud\/variants\/v1\/weight: 90 → 75/);
  });

  it('explains a unit and dry-runs a change', async () => {
    const e = JSON.parse((await ctl('explain', 'fraud', 'user-1', '--json')).stdout);
    expect(e).toMatchObject({ unit: 'user-1', bucket: expect.any(Number), variant: expect.stringMatching(/^v[12]$/) });
    expect((await ctl('dry-run', 'fraud', 'v1=50', 'v2=50')).stdout).toMatch(/25% of units would change variant/);
  });

  it('adds and removes a shadow, restores a version', async () => {
    expect((await ctl('shadow', 'set', 'fraud', 's1', 'http://127.0.0.1:9100', '--percent', '5')).stdout).toMatch(/│ s1\s+│ 5%/);
    expect(store.current().snapshot.routes.fraud.shadows[0]).toMatchObject({ name: 's1', percent: 5 });
    expect((await ctl('shadow', 'remove', 'fraud', 's1')).stdout).toMatch(/no shadows/);
    expect((await ctl('restore', '1')).stdout.trim()).toBe('restored version 1 as config version 5');
    expect(store.current().snapshot.routes.fraud.variants[0].weight).toBe(90);
  });

  it('gives one clear message on 401 and lists every problem on 400', async () => {
    const bad = await ctl('--token', 'wrong', 'routes');
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('modelgate ctl: 401 unauthorized: missing or invalid bearer token (set MODELGATE_ADMIN_TOKEN or --token)');
    const inv = await ctl('weights', 'fraud', 'v1=70', 'v3=20');
    expect(inv.code).toBe(1);
    expect(inv.stderr).toContain('400 INVALID_CONFIG');
    expect(inv.stderr).toContain('  - weights.v3: unknown variant "v3"');
    expect(inv.stderr).toContain('  - weights.v2: every variant of the route must be listed');
    expect(inv.stderr).toContain('  - weights: weights must sum to 100 (got 90)');
  });
});
