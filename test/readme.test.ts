/**
 * The manual (README.md and docs/): every error code of src/errors.ts and every metric the
 * gateway and the monitor export (with every plug-in) must be documented in it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.ts';
import { startMonitor, type MonitorHandle } from '../src/monitor/runtime/monitor.ts';
import { monitorAnalyses } from '../src/monitor/analyses.ts';
import { parseConfig } from '../src/config/load.ts';
import { createRegistry } from '../src/telemetry/registry.ts';
import { silentLogger } from '../src/telemetry/logger.ts';
import { modelBehaviour, startBackend, type TestBackend } from './helpers/backend.ts';
import { gatewayWith, splitRoute } from './helpers/gateway.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';

// the manual: the README and every page of docs/
const readme = [readFileSync('README.md', 'utf8'), ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => readFileSync(`docs/${f}`, 'utf8'))].join('\n');
const names = (text: string) => [...new Set([...text.matchAll(/^# TYPE (modelgate_\w+)/gm)].map((m) => m[1]))].filter((n) => !/^modelgate_(process|nodejs)_/.test(n));

describe('README', () => {
  let redis: PrivateRedis;
  let backend: TestBackend;
  let gw: Awaited<ReturnType<typeof gatewayWith>>;
  let monitor: MonitorHandle;
  beforeAll(async () => {
    redis = await startRedis();
    backend = await startBackend(modelBehaviour('a'));
    const routes = { fraud: splitRoute([backend.url, backend.url], { shadows: [{ name: 's', backend: backend.url }] }) };
    gw = await gatewayWith({ redis: { url: redis.url }, log: { hmac_key: 'k' }, routes });
    const cfg = parseConfig({ redis: { url: redis.url }, monitor: { port: 0 }, routes }, 'test', {});
    const registry = createRegistry('monitor');
    monitor = await startMonitor(cfg, { logger: silentLogger(), registry, analyses: monitorAnalyses(), store: gw.store });
  });
  afterAll(async () => {
    await monitor.close();
    await gw.close();
    await backend.close();
    await redis.stop();
  });

  it('stays under 300 lines, and its "first ten minutes" section points to the walkthrough', () => {
    const text = readFileSync('README.md', 'utf8');
    expect(text.split('\n').length).toBeLessThan(300);
    const section = /^## The first ten minutes\n([\s\S]*?)^## /m.exec(text)?.[1] ?? '';
    expect(section).toContain('](docs/first-ten-minutes.md)');
  });

  it('lists every error code with its status', () => {
    for (const [code, { status }] of Object.entries(ERROR_CODES)) expect(readme, code).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
  });

  it('documents every metric the gateway and the monitor export', async () => {
    const gatewayNames = names(await gw.registry.metrics());
    const monitorNames = names(await monitor.registry.metrics());
    expect(gatewayNames).toContain('modelgate_requests_total');
    expect(monitorNames).toContain('modelgate_drift_psi');
    const missing = [...gatewayNames, ...monitorNames].filter((n) => !readme.includes(n.replace(/_(bucket|sum|count)$/, '')));
    expect(gatewayNames.length + monitorNames.length).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });
});
